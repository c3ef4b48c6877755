// The customer's payment code (付款码), computed on the phone exactly as the server checks it
// (src/paytoken/payment_code.h):
//
//   code  := prefix:2 slot:7 value:9                       18 decimal digits
//   value := HOTP-SHA256(secret, step) mod 10^9
//   step  := floor(unix_seconds / step_seconds)
//   HOTP-SHA256 := RFC 4226 dynamic truncation (31 bits) of HMAC-SHA256(secret, step as 8-byte
//                  big-endian), as RFC 6238 computes TOTP with SHA-256.
//
// The HMAC is WebCrypto's (crypto.subtle); nothing here is hand-rolled cryptography.
//
// Where the device secret lives: localStorage, per customer. This is a development trade-off:
// a real phone keeps the secret in its secure element / keystore and never lets script read
// it; a browser has nothing equivalent, so anyone with this browser profile can make codes.
import type { PaymentDeviceAnswer } from '../api/types';

export const PAYMENT_CODE_SLOT_DIGITS = 7;
export const PAYMENT_CODE_VALUE_DIGITS = 9;
const VALUE_MODULUS = 1_000_000_000;

/** What the phone keeps after registering: enough to make codes offline. */
export interface PaymentDevice {
  slot: number;
  /** base64url without padding, 32 bytes. */
  secret: string;
  prefix: number;
  step_seconds: number;
}

/** The bytes of a base64url string (with or without padding); throws on anything else. */
export function decodeBase64Url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) throw new RangeError('not base64url');
  const base64 = text.replace(/=+$/, '').replaceAll('-', '+').replaceAll('_', '/');
  const binary = atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '='));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The counter as RFC 4226 wants it: 8 bytes, big-endian. */
export function counterBytes(counter: number): Uint8Array<ArrayBuffer> {
  if (!Number.isSafeInteger(counter) || counter < 0) throw new RangeError('bad counter');
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(counter), false);
  return bytes;
}

/** RFC 4226 dynamic truncation of an HMAC: 31 bits. */
export function dynamicTruncate(mac: Uint8Array): number {
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const at = (i: number) => mac[offset + i] ?? 0;
  return ((at(0) & 0x7f) << 24) | (at(1) << 16) | (at(2) << 8) | at(3);
}

/** HOTP-SHA256(secret, counter): the 31-bit truncated HMAC-SHA256 of the counter. */
export async function hotpSha256(secret: Uint8Array<ArrayBuffer>, counter: number) {
  const key = await crypto.subtle.importKey(
    'raw',
    secret,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = await crypto.subtle.sign('HMAC', key, counterBytes(counter));
  return dynamicTruncate(new Uint8Array(mac));
}

/** The time step that contains `nowMs`. */
export function paymentCodeStep(nowMs: number, stepSeconds: number): number {
  return Math.floor(Math.floor(nowMs / 1000) / stepSeconds);
}

/** Whole seconds until the step containing `nowMs` ends (1..stepSeconds). */
export function secondsLeftInStep(nowMs: number, stepSeconds: number): number {
  const nowSeconds = Math.floor(nowMs / 1000);
  return stepSeconds - (nowSeconds % stepSeconds);
}

/** The 18-digit code the device shows during `step`. */
export async function makePaymentCode(device: PaymentDevice, step: number): Promise<string> {
  const value = (await hotpSha256(decodeBase64Url(device.secret), step)) % VALUE_MODULUS;
  return (
    String(device.prefix).padStart(2, '0') +
    String(device.slot).padStart(PAYMENT_CODE_SLOT_DIGITS, '0') +
    String(value).padStart(PAYMENT_CODE_VALUE_DIGITS, '0')
  );
}

/** "28 0012 3456 7890 1234" style grouping for reading the code aloud: 4-digit groups. */
export function groupCode(code: string): string {
  return code.replace(/(\d{4})(?=\d)/g, '$1 ');
}

/** The localStorage key of a customer's device. */
export function paymentDeviceKey(customerId: string): string {
  return `qianbao.payment-device.${customerId}`;
}

export function toPaymentDevice(answer: PaymentDeviceAnswer): PaymentDevice {
  return {
    slot: answer.slot,
    secret: answer.secret,
    prefix: answer.prefix,
    step_seconds: answer.step_seconds,
  };
}

function isPaymentDevice(value: unknown): value is PaymentDevice {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    Number.isSafeInteger(v.slot) &&
    typeof v.secret === 'string' &&
    Number.isSafeInteger(v.prefix) &&
    Number.isSafeInteger(v.step_seconds) &&
    (v.step_seconds as number) > 0
  );
}

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function loadPaymentDevice(storage: StorageLike, customerId: string): PaymentDevice | null {
  try {
    const text = storage.getItem(paymentDeviceKey(customerId));
    const parsed: unknown = text ? JSON.parse(text) : null;
    return isPaymentDevice(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

export function savePaymentDevice(
  storage: StorageLike,
  customerId: string,
  device: PaymentDevice,
): void {
  try {
    storage.setItem(paymentDeviceKey(customerId), JSON.stringify(device));
  } catch {
    // Storage refused: the device works for this page only and registers again next time.
  }
}
