// Checks the browser's payment code against an independent computation with node:crypto (the
// RFC 4226 truncation written out again here), and HOTP against the RFC 6238 SHA-256 vectors.
import { createHmac } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import {
  counterBytes,
  decodeBase64Url,
  groupCode,
  hotpSha256,
  loadPaymentDevice,
  makePaymentCode,
  paymentCodeStep,
  savePaymentDevice,
  secondsLeftInStep,
} from './paymentCode';

function referenceHotp(secret: Buffer, counter: bigint): number {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(counter);
  const mac = createHmac('sha256', secret).update(message).digest();
  const offset = mac[mac.length - 1]! & 0xf;
  return mac.readUInt32BE(offset) & 0x7fffffff;
}

function referenceCode(prefix: number, slot: number, secret: Buffer, step: bigint): string {
  const value = referenceHotp(secret, step) % 1_000_000_000;
  return `${prefix}${String(slot).padStart(7, '0')}${String(value).padStart(9, '0')}`;
}

describe('payment code', () => {
  it('matches RFC 6238 SHA-256 test vectors (8 digits)', async () => {
    // RFC 6238 appendix B: the SHA-256 seed is the 32-byte ASCII "12345678901234567890123456789012".
    const seed = new TextEncoder().encode('12345678901234567890123456789012');
    const vectors: [number, string][] = [
      [59, '46119246'],
      [1111111109, '68084774'],
      [1111111111, '67062674'],
      [1234567890, '91819424'],
      [2000000000, '90698825'],
      [20000000000, '77737706'],
    ];
    for (const [time, expected] of vectors) {
      const value = await hotpSha256(seed, Math.floor(time / 30));
      expect(String(value % 100_000_000).padStart(8, '0')).toBe(expected);
    }
  });

  it('agrees with node:crypto for random secrets, slots and steps', async () => {
    for (let i = 0; i < 50; i += 1) {
      const secret = Buffer.from(Array.from({ length: 32 }, (_, j) => (i * 37 + j * 11) % 256));
      const slot = (i * 7_919_113) % 10_000_000;
      const step = 59_000_000 + i * 1_234;
      const device = {
        slot,
        secret: secret.toString('base64url'),
        prefix: 28,
        step_seconds: 30,
      };
      const code = await makePaymentCode(device, step);
      expect(code).toMatch(/^\d{18}$/);
      expect(code).toBe(referenceCode(28, slot, secret, BigInt(step)));
    }
  });

  it('decodes base64url with and without padding', () => {
    expect([...decodeBase64Url('AQID')]).toEqual([1, 2, 3]);
    expect([...decodeBase64Url('-_8')]).toEqual([0xfb, 0xff]);
    expect([...decodeBase64Url('-_8=')]).toEqual([0xfb, 0xff]);
    expect(() => decodeBase64Url('a+b/')).toThrow(RangeError);
    const secret = Buffer.alloc(32, 0xab);
    expect(Buffer.from(decodeBase64Url(secret.toString('base64url')))).toEqual(secret);
  });

  it('writes the counter big-endian in 8 bytes', () => {
    expect([...counterBytes(0x0102030405)]).toEqual([0, 0, 0, 1, 2, 3, 4, 5]);
    expect(() => counterBytes(-1)).toThrow(RangeError);
  });

  it('computes the step and the seconds left', () => {
    expect(paymentCodeStep(59_999, 30)).toBe(1);
    expect(paymentCodeStep(60_000, 30)).toBe(2);
    expect(secondsLeftInStep(60_000, 30)).toBe(30);
    expect(secondsLeftInStep(89_999, 30)).toBe(1);
  });

  it('groups the digits in fours', () => {
    expect(groupCode('280012345678901234')).toBe('2800 1234 5678 9012 34');
  });

  it('keeps the device per customer and ignores junk', () => {
    const map = new Map<string, string>();
    const storage = {
      getItem: (k: string) => map.get(k) ?? null,
      setItem: (k: string, v: string) => void map.set(k, v),
      removeItem: (k: string) => void map.delete(k),
    };
    const device = { slot: 5, secret: 'AQID', prefix: 28, step_seconds: 30 };
    savePaymentDevice(storage, 'c1', device);
    expect(loadPaymentDevice(storage, 'c1')).toEqual(device);
    expect(loadPaymentDevice(storage, 'c2')).toBeNull();
    map.set('qianbao.payment-device.c3', '{"slot":"x"}');
    expect(loadPaymentDevice(storage, 'c3')).toBeNull();
    map.set('qianbao.payment-device.c4', 'not json');
    expect(loadPaymentDevice(storage, 'c4')).toBeNull();
  });
});
