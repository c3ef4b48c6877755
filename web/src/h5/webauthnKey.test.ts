import { afterEach, describe, expect, it, vi } from 'vitest';

import type { DeviceChallenge } from '../api/deviceKeys';
import { fromBase64Url, toBase64Url } from './deviceKey';
import { webauthnAnswer, webauthnAvailable } from './webauthnKey';

const NONCE = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';

describe('WebAuthn device keys', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('is not offered where the browser has no PublicKeyCredential', async () => {
    vi.stubGlobal('window', {});
    expect(await webauthnAvailable()).toBe(false);
  });

  it('is offered only with a user-verifying platform authenticator', async () => {
    vi.stubGlobal('navigator', { credentials: {} });
    vi.stubGlobal('window', {
      PublicKeyCredential: { isUserVerifyingPlatformAuthenticatorAvailable: () => Promise.resolve(false) },
    });
    expect(await webauthnAvailable()).toBe(false);
    vi.stubGlobal('window', {
      PublicKeyCredential: { isUserVerifyingPlatformAuthenticatorAvailable: () => Promise.resolve(true) },
    });
    expect(await webauthnAvailable()).toBe(true);
  });

  it('asks for the nonce bytes as the challenge, with UV, and answers base64url parts', async () => {
    const get = vi.fn((_options: CredentialRequestOptions) =>
      Promise.resolve({
        response: {
          signature: new Uint8Array([0x30, 0x44]).buffer,
          authenticatorData: new Uint8Array([1, 2, 3]).buffer,
          clientDataJSON: new TextEncoder().encode('{"type":"webauthn.get"}').buffer,
        },
      }),
    );
    vi.stubGlobal('navigator', { credentials: { get } });
    const challenge: DeviceChallenge = {
      device_id: '17',
      nonce: NONCE,
      purpose: 'payment_confirmation',
      expires_at: '',
      message: '',
    };
    const credentialId = toBase64Url(new Uint8Array([9, 8, 7]));
    const answer = await webauthnAnswer(
      { phone: '13800138000', deviceId: '17', publicKey: '', boundAt: '', kind: 'webauthn', credentialId, rpId: 'localhost' },
      challenge,
    );
    const options = get.mock.calls[0]?.[0].publicKey as PublicKeyCredentialRequestOptions;
    expect(Array.from(options.challenge as Uint8Array)).toEqual(Array.from({ length: 32 }, (_, i) => i));
    expect(options.rpId).toBe('localhost');
    expect(options.userVerification).toBe('required');
    expect(Array.from(options.allowCredentials?.[0]?.id as Uint8Array)).toEqual([9, 8, 7]);
    expect(answer).toEqual({
      device_id: '17',
      nonce: NONCE,
      signature: 'MEQ',
      authenticator_data: 'AQID',
      client_data_json: toBase64Url(new TextEncoder().encode('{"type":"webauthn.get"}')),
    });
    expect(new TextDecoder().decode(fromBase64Url(answer.client_data_json ?? ''))).toBe('{"type":"webauthn.get"}');
  });
});
