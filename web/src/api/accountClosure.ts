// Closing the customer's account (注销账户; PIPL art. 47): POST /me/close-account with a code
// sent by POST /otp {"purpose": "close_account"} and, once one is set, the payment PIN. Only an
// empty wallet closes (409 BALANCE_NOT_ZERO otherwise). The answer ends every session of the
// customer, this one included: the caller must drop its token afterwards.
import type { ApiClient } from './client';
import type { OtpAnswer } from './types';
import { sendOtp } from './wallet';

export interface CloseAccountRequest {
  /** The six digits of the close_account SMS code. */
  smsCode: string;
  /** Required once the customer has set a payment PIN; wrong ones count towards its lock. */
  paymentPin?: string;
}

/** The 200 answer of POST /me/close-account. */
export interface AccountClosed {
  /** RFC 3339. */
  closed_at: string;
  /** How many sessions ended, this one included. */
  sessions_revoked: number;
}

/** Sends the SMS code that authorizes closing the account to the customer's own phone. */
export function sendCloseAccountCode(api: ApiClient, phone: string): Promise<OtpAnswer> {
  return sendOtp(api, phone, 'close_account');
}

export function closeAccount(api: ApiClient, request: CloseAccountRequest): Promise<AccountClosed> {
  const body: { sms_code: string; payment_pin?: string } = { sms_code: request.smsCode };
  if (request.paymentPin) body.payment_pin = request.paymentPin;
  return api.post<AccountClosed>('/api/v1/me/close-account', body);
}
