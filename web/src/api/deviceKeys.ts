// Device keys (Ed25519): the customer binds a key this browser holds (h5/deviceKey.ts) with
// proof of possession, lists and removes keys, and logs in by signing a challenge. The server
// sends every challenge's exact bytes to sign as `message` (base64url); the signature travels
// back as base64url too. See docs/SECURITY.md for what a browser key does and does not protect.
import type { ApiClient } from './client';
import type { SessionAnswer } from './types';

export type ChallengePurpose = 'login' | 'payment_confirmation' | 'security_change' | 'device_binding';

/** A challenge: single use, valid for 2 minutes. */
export interface DeviceChallenge {
  device_id: string;
  /** 64 lower-case hex digits. */
  nonce: string;
  purpose: ChallengePurpose;
  expires_at: string;
  /** base64url of the exact bytes to sign. */
  message: string;
}

export interface DeviceKeyInfo {
  device_id: string;
  name: string;
  kind?: 'ed25519' | 'webauthn';
  /** null for a WebAuthn credential, which has credential_id instead. */
  public_key: string | null;
  credential_id?: string;
  created_at: string;
  last_used_at: string | null;
  status: 'active' | 'suspended';
}

/** The answer to a challenge, as a request that needs a device signature carries it. */
export interface DeviceSignature {
  device_id: string;
  nonce: string;
  signature: string;
  /** A WebAuthn assertion's other two parts (base64url); absent for the browser key. */
  authenticator_data?: string;
  client_data_json?: string;
}

/** A binding challenge for a WebAuthn credential: the nonce's bytes are the WebAuthn challenge. */
export interface WebAuthnBindingChallenge extends DeviceChallenge {
  webauthn: { rp_id: string; challenge: string };
}

export function webauthnBindingChallenge(api: ApiClient): Promise<WebAuthnBindingChallenge> {
  return api.post<WebAuthnBindingChallenge>('/api/v1/me/device-keys/challenge', { kind: 'webauthn' });
}

export function registerWebAuthnKey(
  api: ApiClient,
  challenge: DeviceChallenge,
  name: string,
  attestationObject: string,
  clientDataJson: string,
): Promise<DeviceKeyInfo> {
  return api.post<DeviceKeyInfo>('/api/v1/me/device-keys', {
    kind: 'webauthn',
    device_id: challenge.device_id,
    name,
    nonce: challenge.nonce,
    attestation_object: attestationObject,
    client_data_json: clientDataJson,
  });
}

export function bindingChallenge(api: ApiClient, publicKey: string): Promise<DeviceChallenge> {
  return api.post<DeviceChallenge>('/api/v1/me/device-keys/challenge', { public_key: publicKey });
}

export function registerDeviceKey(
  api: ApiClient,
  challenge: DeviceChallenge,
  publicKey: string,
  name: string,
  signature: string,
): Promise<DeviceKeyInfo> {
  return api.post<DeviceKeyInfo>('/api/v1/me/device-keys', {
    device_id: challenge.device_id,
    public_key: publicKey,
    name,
    nonce: challenge.nonce,
    signature,
  });
}

export async function listDeviceKeys(api: ApiClient): Promise<DeviceKeyInfo[]> {
  const answer = await api.get<{ device_keys: DeviceKeyInfo[] }>('/api/v1/me/device-keys');
  return answer.device_keys;
}

export function removeDeviceKey(api: ApiClient, deviceId: string): Promise<void> {
  return api.request<void>('DELETE', `/api/v1/me/device-keys/${encodeURIComponent(deviceId)}`);
}

/** What a transfer's challenge binds: the payee, the amount and the Idempotency-Key it goes with. */
export interface TransferToSign {
  to_phone: string;
  amount: number;
  idempotency_key: string;
}

/**
 * A payment_confirmation challenge bound to one of the customer's held payments or to a transfer
 * about to be sent (or a security_change one).
 */
export function stepUpChallenge(
  api: ApiClient,
  deviceId: string,
  request:
    | { purpose: 'payment_confirmation'; payment_id: string }
    | { purpose: 'payment_confirmation'; transfer: TransferToSign }
    | { purpose: 'security_change' },
): Promise<DeviceChallenge> {
  return api.post<DeviceChallenge>(
    `/api/v1/me/device-keys/${encodeURIComponent(deviceId)}/challenge`,
    request,
  );
}

export function deviceLogInChallenge(api: ApiClient, phone: string, deviceId: string): Promise<DeviceChallenge> {
  return api.post<DeviceChallenge>('/api/v1/auth/device-challenge', { phone, device_id: deviceId });
}

/** `answer`: the browser key's signature, or a whole answer (a WebAuthn assertion). */
export function deviceLogIn(
  api: ApiClient,
  phone: string,
  challenge: DeviceChallenge,
  answer: string | DeviceSignature,
): Promise<SessionAnswer> {
  const signed = typeof answer === 'string' ? { signature: answer } : answer;
  return api.post<SessionAnswer>('/api/v1/auth/device-login', {
    ...signed,
    phone,
    device_id: challenge.device_id,
    nonce: challenge.nonce,
  });
}
