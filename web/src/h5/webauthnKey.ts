// WebAuthn device keys: where the browser has a user-verifying platform authenticator
// (fingerprint, face, or the phone's screen lock), the security page binds a WebAuthn credential
// instead of the browser key (deviceKey.ts). The private key stays in the authenticator and
// every use needs the customer's biometric. The server's challenge nonce is the WebAuthn
// challenge; the server checks the origin, the rp id, the flags, the signature and the counter
// (docs/SECURITY.md, "Device keys in the browser").
//
// answerDeviceChallenge answers a challenge with whichever key this browser holds for the phone.
import type { DeviceChallenge, DeviceSignature, WebAuthnBindingChallenge } from '../api/deviceKeys';
import { fromBase64Url, loadDeviceKey, signChallengeMessage, toBase64Url, type StoredDeviceKey } from './deviceKey';

/** Whether this browser offers WebAuthn with a user-verifying platform authenticator. */
export async function webauthnAvailable(): Promise<boolean> {
  if (typeof window === 'undefined' || window.PublicKeyCredential === undefined) return false;
  if (typeof navigator === 'undefined' || navigator.credentials === undefined) return false;
  try {
    return await window.PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable();
  } catch {
    return false;
  }
}

function hexToBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

function bytesOf(buffer: ArrayBuffer): Uint8Array {
  return new Uint8Array(buffer);
}

/** 138****1234: what the authenticator may show as the account, without the whole number. */
function maskedPhone(phone: string): string {
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : 'qianbao';
}

export interface NewWebAuthnCredential {
  credentialId: string;
  attestationObject: string;
  clientDataJson: string;
}

/**
 * Makes a credential for a binding challenge: ES256 (or EdDSA), "none" attestation, user
 * verification required, on the platform authenticator.
 */
export async function createWebAuthnCredential(
  challenge: WebAuthnBindingChallenge,
  phone: string,
): Promise<NewWebAuthnCredential> {
  const userId = new Uint8Array(16);
  crypto.getRandomValues(userId);
  const credential = (await navigator.credentials.create({
    publicKey: {
      rp: { id: challenge.webauthn.rp_id, name: 'Qianbao' },
      user: { id: userId as BufferSource, name: maskedPhone(phone), displayName: maskedPhone(phone) },
      challenge: fromBase64Url(challenge.webauthn.challenge) as BufferSource,
      pubKeyCredParams: [
        { type: 'public-key', alg: -7 },
        { type: 'public-key', alg: -8 },
      ],
      authenticatorSelection: {
        authenticatorAttachment: 'platform',
        userVerification: 'required',
        residentKey: 'discouraged',
      },
      attestation: 'none',
      timeout: 120_000,
    },
  })) as PublicKeyCredential | null;
  if (credential === null) throw new Error('no credential was made');
  const response = credential.response as AuthenticatorAttestationResponse;
  return {
    credentialId: toBase64Url(bytesOf(credential.rawId)),
    attestationObject: toBase64Url(bytesOf(response.attestationObject)),
    clientDataJson: toBase64Url(bytesOf(response.clientDataJSON)),
  };
}

/** A WebAuthn assertion answering `challenge` with the stored credential. */
export async function webauthnAnswer(key: StoredDeviceKey, challenge: DeviceChallenge): Promise<DeviceSignature> {
  if (key.credentialId === undefined) throw new Error('not a WebAuthn credential');
  const credential = (await navigator.credentials.get({
    publicKey: {
      challenge: hexToBytes(challenge.nonce) as BufferSource,
      rpId: key.rpId,
      allowCredentials: [{ type: 'public-key', id: fromBase64Url(key.credentialId) as BufferSource }],
      userVerification: 'required',
      timeout: 120_000,
    },
  })) as PublicKeyCredential | null;
  if (credential === null) throw new Error('no assertion was made');
  const response = credential.response as AuthenticatorAssertionResponse;
  return {
    device_id: key.deviceId,
    nonce: challenge.nonce,
    signature: toBase64Url(bytesOf(response.signature)),
    authenticator_data: toBase64Url(bytesOf(response.authenticatorData)),
    client_data_json: toBase64Url(bytesOf(response.clientDataJSON)),
  };
}

/**
 * Answers `challenge` with the key this browser holds for `phone`: a WebAuthn assertion for a
 * WebAuthn credential, else the browser key's signature over the challenge's message.
 */
export async function answerDeviceChallenge(challenge: DeviceChallenge, phone: string): Promise<DeviceSignature> {
  const key = await loadDeviceKey(phone);
  if (key === null) throw new Error('no device key is stored in this browser');
  if (key.kind === 'webauthn') return webauthnAnswer(key, challenge);
  const signature = await signChallengeMessage(challenge.message, phone);
  return { device_id: key.deviceId, nonce: challenge.nonce, signature };
}
