// Two-step log-in (TOTP, RFC 6238) for the customer: enrolment, confirmation with the first
// code, turning it off, and the log-in that carries the second factor.
import type { ApiClient } from './client';
import type { SessionAnswer } from './types';

export type TotpState = 'off' | 'pending' | 'on';

/** GET /me/totp and the answer of DELETE /me/totp. */
export interface TotpStatus {
  state: TotpState;
  recovery_codes_left: number;
  /** Set while two-step log-in is locked after 5 wrong codes. */
  locked_until: string | null;
}

/** POST /me/totp: the secret, shown this once. */
export interface TotpEnrolment {
  state: 'pending';
  /** Unpadded base32, for typing into the authenticator app. */
  secret: string;
  /** otpauth://totp/qianbao:<masked phone>?secret=...: the QR code's text. */
  otpauth_uri: string;
  issuer: string;
  digits: number;
  period: number;
}

/** POST /me/totp/confirm: the recovery codes, shown this once. */
export interface TotpConfirmation {
  state: 'on';
  recovery_codes: string[];
}

/** What the customer offers as the second factor. */
export type SecondFactor = { totp_code: string } | { recovery_code: string };

export function getTotp(api: ApiClient): Promise<TotpStatus> {
  return api.get<TotpStatus>('/api/v1/me/totp');
}

export function beginTotp(api: ApiClient): Promise<TotpEnrolment> {
  return api.post<TotpEnrolment>('/api/v1/me/totp', {});
}

export function confirmTotp(api: ApiClient, code: string): Promise<TotpConfirmation> {
  return api.post<TotpConfirmation>('/api/v1/me/totp/confirm', { code });
}

/** Turns two-step log-in off with a current code or a recovery code. */
export function disableTotp(api: ApiClient, factor: { code: string } | { recovery_code: string }) {
  return api.request<TotpStatus>('DELETE', '/api/v1/me/totp', { body: factor });
}

/** POST /sessions with the second factor (when the server answered TOTP_REQUIRED). */
export function logInWithSecondFactor(
  api: ApiClient,
  phone: string,
  password: string,
  factor: SecondFactor,
): Promise<SessionAnswer> {
  return api.post<SessionAnswer>('/api/v1/sessions', { phone, password, ...factor });
}

/** A typed second factor: six digits are a TOTP code, anything else a recovery code. */
export function secondFactorOf(typed: string): SecondFactor {
  const trimmed = typed.trim();
  return /^[0-9]{6}$/.test(trimmed) ? { totp_code: trimmed } : { recovery_code: trimmed };
}
