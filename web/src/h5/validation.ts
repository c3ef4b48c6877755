// Client-side checks of the customer forms. The server checks again; these only spare the
// user a round trip.
import { CHANNELS, type Channel } from '../api/types';

/** A mainland China mobile number: 11 digits starting 13–19. */
export function isValidPhone(phone: string): boolean {
  return /^1[3-9]\d{9}$/.test(phone.trim());
}

/** SMS codes are 6 digits (DESIGN.md: SMS OTP). */
export function isValidSmsCode(code: string): boolean {
  return /^\d{6}$/.test(code.trim());
}

/** 8–64 characters with at least one letter and one digit. */
export function isValidPassword(password: string): boolean {
  return (
    password.length >= 8 &&
    password.length <= 64 &&
    /[A-Za-z]/.test(password) &&
    /\d/.test(password)
  );
}

export interface RegisterForm {
  phone: string;
  smsCode: string;
  password: string;
  passwordConfirm: string;
}

type RegisterErrorKey =
  | 'error.phone'
  | 'error.smsCode'
  | 'error.password'
  | 'error.passwordConfirm';

export type RegisterErrors = Partial<Record<keyof RegisterForm, RegisterErrorKey>>;

/** The message key of each invalid field; empty when the form may be sent. */
export function validateRegisterForm(form: RegisterForm): RegisterErrors {
  const errors: RegisterErrors = {};
  if (!isValidPhone(form.phone)) errors.phone = 'error.phone';
  if (!isValidSmsCode(form.smsCode)) errors.smsCode = 'error.smsCode';
  if (!isValidPassword(form.password)) errors.password = 'error.password';
  if (form.passwordConfirm !== form.password) errors.passwordConfirm = 'error.passwordConfirm';
  return errors;
}

// Identity verification: PRC resident identity numbers (GB 11643-1999), checked the way the
// server checks them (src/identity/resident_id.cc) so the client never refuses what it accepts.

export type ResidentIdProblem =
  | 'WRONG_LENGTH'
  | 'BAD_CHARACTER'
  | 'BAD_CHECKSUM'
  | 'BAD_PROVINCE'
  | 'BAD_BIRTH_DATE'
  | 'BIRTH_DATE_IN_FUTURE';

const RESIDENT_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const RESIDENT_ID_CHECK_CHARACTERS = '10X98765432';

/** The ISO 7064 MOD 11-2 check character ('0'–'9' or 'X') of 17 digits. */
export function residentIdCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('need 17 digits');
  let sum = 0;
  RESIDENT_ID_WEIGHTS.forEach((weight, index) => {
    sum += Number(first17.charCodeAt(index) - 48) * weight;
  });
  return RESIDENT_ID_CHECK_CHARACTERS.charAt(sum % 11);
}

// Province-level codes from GB/T 2260 plus Taiwan, Hong Kong, Macao and overseas.
function isProvinceCode(code: number): boolean {
  return (
    (code >= 11 && code <= 15) ||
    (code >= 21 && code <= 23) ||
    (code >= 31 && code <= 37) ||
    (code >= 41 && code <= 46) ||
    (code >= 50 && code <= 54) ||
    (code >= 61 && code <= 65) ||
    code === 71 ||
    code === 81 ||
    code === 82 ||
    code === 91
  );
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (year < 1800 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

/** "YYYYMMDD" of a date in China time (UTC+8), the day a birth date is compared with. */
export function chinaDateDigits(now: Date): string {
  const china = new Date(now.getTime() + 8 * 3600 * 1000);
  const month = String(china.getUTCMonth() + 1).padStart(2, '0');
  const day = String(china.getUTCDate()).padStart(2, '0');
  return `${china.getUTCFullYear()}${month}${day}`;
}

/**
 * The first problem of a resident ID in the server's order of precedence, or null when it is
 * well formed. A lowercase check 'x' is accepted. `today` is "YYYYMMDD" (China time).
 */
export function residentIdProblem(
  id: string,
  today = chinaDateDigits(new Date()),
): ResidentIdProblem | null {
  if (id.length !== 18) return 'WRONG_LENGTH';
  const first17 = id.slice(0, 17);
  const check = id.charAt(17).toUpperCase();
  if (!/^\d{17}$/.test(first17) || !/^[\dX]$/.test(check)) return 'BAD_CHARACTER';
  if (residentIdCheckCharacter(first17) !== check) return 'BAD_CHECKSUM';
  if (!isProvinceCode(Number(id.slice(0, 2)))) return 'BAD_PROVINCE';
  const birth = id.slice(6, 14);
  const [year, month, day] = [birth.slice(0, 4), birth.slice(4, 6), birth.slice(6, 8)].map(Number);
  if (!isCalendarDate(year ?? 0, month ?? 0, day ?? 0)) return 'BAD_BIRTH_DATE';
  if (birth > today) return 'BIRTH_DATE_IN_FUTURE';
  return null;
}

/** The ID as sent to the server: trimmed, a lowercase check 'x' made uppercase. */
export function normalizeResidentId(id: string): string {
  return id.trim().toUpperCase();
}

/**
 * A real name as on the ID card: 2–30 characters of Chinese, or Latin letters and spaces (for
 * names in the Latin alphabet), with the middle dot "·" used in transcribed names.
 */
export function isValidRealName(name: string): boolean {
  const trimmed = name.trim();
  const length = [...trimmed].length;
  if (length < 2 || length > 30) return false;
  return /^[\u3400-\u9fff\uf900-\ufaff·•.A-Za-z ]+$/u.test(trimmed);
}

// Bank cards: ISO/IEC 7812 numbers with a Luhn check digit, 13–19 digits as the server takes.

/** True when the digits pass the Luhn check; false for empty or non-digit input. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; ++i) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** The Luhn check digit that completes `payload` (digits), e.g. for making test cards. */
export function luhnCheckDigit(payload: string): string {
  for (let digit = 0; digit <= 9; ++digit) {
    if (luhnValid(payload + String(digit))) return String(digit);
  }
  throw new RangeError('need digits');
}

/** The card number with spaces and dashes removed, or null when it is not a valid card. */
export function normalizeCardNumber(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '');
  if (!/^\d{13,19}$/.test(digits)) return null;
  return luhnValid(digits) ? digits : null;
}

/** Transfer memos: at most 50 characters (code points, as a person counts them). */
export const MAX_MEMO_LENGTH = 50;

export function isValidMemo(memo: string): boolean {
  return [...memo].length <= MAX_MEMO_LENGTH;
}

/** The sign-up channel named by `?channel=` in the page URL; organic when absent or unknown. */
export function channelFromSearch(search: string): Channel {
  const value = new URLSearchParams(search).get('channel');
  return CHANNELS.find((channel) => channel === value) ?? 'organic';
}

/** An invite code as typed: trimmed; empty means none (the field is then left out). */
export function normalizeInviteCode(code: string): string | undefined {
  const trimmed = code.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** What the invite code field takes. */
export const MAX_INVITE_CODE_LENGTH = 32;

/** The invite code an invite link carries (`?invite=7KQ2M9XA`), trimmed; "" when there is none. */
export function inviteCodeFromSearch(search: string): string {
  const value = new URLSearchParams(search).get('invite');
  return value === null ? '' : value.trim().slice(0, MAX_INVITE_CODE_LENGTH);
}
