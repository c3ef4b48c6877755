// Client-side checks of the registration form. The server checks again; these only spare the
// user a round trip.

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
