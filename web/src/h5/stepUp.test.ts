import { describe, expect, it } from 'vitest';

import { ApiClient, ApiError } from '../api/client';
import { secondCodeOf } from './stepUp';

describe('secondCodeOf', () => {
  it('takes the SMS code first, else the authenticator code', () => {
    expect(secondCodeOf('123456', '')).toEqual({ sms_code: '123456' });
    expect(secondCodeOf('', '654321')).toEqual({ totp_code: '654321' });
    expect(secondCodeOf('123456', '654321')).toEqual({ sms_code: '123456' });
  });
  it('refuses anything but six digits, and answers null for nothing typed', () => {
    expect(secondCodeOf('12345', '')).toBe('invalid');
    expect(secondCodeOf('', '12a456')).toBe('invalid');
    expect(secondCodeOf('', '')).toBeNull();
  });
});

describe('CHALLENGE_REQUIRED answers', () => {
  const answering = (body: unknown, status = 403) =>
    new ApiClient({
      fetch: async () => new Response(JSON.stringify(body), { status }),
      getDeviceId: () => 'device-1',
    });

  it('carry what would do and the held payment', async () => {
    const api = answering({
      error: {
        code: 'CHALLENGE_REQUIRED',
        message: 'm',
        needed: 'two_factors',
        factors: ['sms_code', 'totp_code', 'device_signature'],
        payment_id: '42',
        expires_at: '2026-11-23T10:05:00Z',
      },
    });
    const error = await api.post('/x', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).stepUp).toEqual({
      needed: 'two_factors',
      factors: ['sms_code', 'totp_code', 'device_signature'],
      paymentId: '42',
      expiresAt: '2026-11-23T10:05:00Z',
    });
  });

  it('are absent from other errors', async () => {
    const api = answering({ error: { code: 'PIN_WRONG', message: 'm', needed: 'x' } });
    const error = (await api.post('/x', {}).catch((e: unknown) => e)) as ApiError;
    expect(error.stepUp).toBeUndefined();
  });

  it('the device id goes out as X-Device-Id', async () => {
    let sent: string | null = null;
    const api = new ApiClient({
      fetch: async (_input, init) => {
        sent = new Headers(init?.headers).get('X-Device-Id');
        return new Response('{}', { status: 200 });
      },
      getDeviceId: () => 'device-1',
    });
    await api.get('/y');
    expect(sent).toBe('device-1');
  });
});
