// The pure part of closing the account (CloseAccountSection.tsx): when the wallet counts as
// empty, what still stops the confirm button, the request the form makes, and the notice the
// log-in page shows afterwards.
import type { CloseAccountRequest } from '../api/accountClosure';
import type { Balance } from '../api/types';
import type { Language } from '../i18n/translate';

// PaymentPin.tsx has the same check, but importing it would pull React into this module.
const SIX_DIGITS = /^[0-9]{6}$/;

/** The word the customer types to confirm, per language: deliberate, and hard to mistype. */
export const CONFIRMATION_WORDS: Readonly<Record<Language, string>> = { zh: '注销', en: 'CLOSE' };

/**
 * Whether the server would let the wallet close: nothing posted and nothing pending either way
 * (a held payment, a top-up or withdrawal in flight), as the engine checks.
 */
export function walletIsEmpty(balance: Pick<Balance, 'balance' | 'pending_in' | 'pending_out'>): boolean {
  return balance.balance === 0 && balance.pending_in === 0 && balance.pending_out === 0;
}

/** What the customer has typed into the closure form. */
export interface ClosureForm {
  smsCode: string;
  paymentPin: string;
  confirmation: string;
}

export interface ClosureContext {
  /** null while the balance is loading (or could not be read). */
  balance: Pick<Balance, 'balance' | 'pending_in' | 'pending_out'> | null;
  /** The customer has set a payment PIN (GET /me/security payment_pin_set). */
  pinRequired: boolean;
  language: Language;
}

/**
 * The first reason the confirm button stays disabled, in the order the customer meets them on
 * the page; null when the form may be sent.
 */
export type ClosureBlocker = 'loading' | 'balance' | 'code' | 'pin' | 'confirmation';

/**
 * Surrounding spaces (a phone keyboard adds one after a word) are ignored; otherwise the word
 * must match exactly, case included, so "close" does not confirm.
 */
export function confirmationMatches(typed: string, language: Language): boolean {
  return typed.trim() === CONFIRMATION_WORDS[language];
}

export function closureBlocker(form: ClosureForm, context: ClosureContext): ClosureBlocker | null {
  if (context.balance === null) return 'loading';
  if (!walletIsEmpty(context.balance)) return 'balance';
  if (!SIX_DIGITS.test(form.smsCode)) return 'code';
  if (context.pinRequired && !SIX_DIGITS.test(form.paymentPin)) return 'pin';
  if (!confirmationMatches(form.confirmation, context.language)) return 'confirmation';
  return null;
}

export function canConfirmClosure(form: ClosureForm, context: ClosureContext): boolean {
  return closureBlocker(form, context) === null;
}

/** The request the form sends: the PIN only when one is set (the server refuses no other). */
export function closureRequest(form: ClosureForm, pinRequired: boolean): CloseAccountRequest {
  return pinRequired ? { smsCode: form.smsCode, paymentPin: form.paymentPin } : { smsCode: form.smsCode };
}

/** The router state the section hands to the log-in page after closing. */
export interface AccountClosedState {
  accountClosedAt: string;
}

/** The closing time a log-in page was sent with, or null for any other (or no) state. */
export function accountClosedAt(state: unknown): string | null {
  if (typeof state !== 'object' || state === null) return null;
  const closedAt = (state as { accountClosedAt?: unknown }).accountClosedAt;
  return typeof closedAt === 'string' && closedAt !== '' ? closedAt : null;
}
