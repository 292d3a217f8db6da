/**
 * Input rules shared by sign-up, user update and the admin API, with GoTrue's messages
 * (`internal/api/mail.go` validateEmail, `password.go` checkPasswordStrength, `phone.go`).
 */
import { AuthApiError, badRequest } from './errors';
import { MAX_EMAIL_LENGTH, MAX_PASSWORD_BYTES } from './options';

// Deliberately permissive (like checkmail's format check): local part, @, a dotted domain.
const EMAIL_PATTERN =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;
const PHONE_PATTERN = /^[1-9]\d{4,14}$/;

/** Returns the e-mail lower-cased, as GoTrue stores it. */
export function validateEmail(email: string): string {
  if (email === '') throw badRequest('validation_failed', 'An email address is required');
  if (email.length > MAX_EMAIL_LENGTH) throw badRequest('validation_failed', 'An email address is too long');
  if (!EMAIL_PATTERN.test(email))
    throw badRequest('validation_failed', 'Unable to validate email address: invalid format');
  return email.toLowerCase();
}

/** E.164 without the `+`, as GoTrue stores phone numbers. */
export function validatePhone(phone: string): string {
  const digits = phone.replace(/[\s\-()+]/g, '');
  if (!PHONE_PATTERN.test(digits))
    throw badRequest('validation_failed', 'Invalid phone number format (E.164 required)');
  return digits;
}

/**
 * Password strength as GoTrue checks it: over 72 bytes is a plain validation error (bcrypt would
 * silently truncate), too short is a 422 `weak_password` carrying `weak_password.reasons`.
 * Lengths are counted in bytes because GoTrue measures Go strings.
 */
export function checkPasswordStrength(password: string, minLength: number): void {
  const bytes = Buffer.byteLength(password, 'utf8');
  if (bytes > MAX_PASSWORD_BYTES) {
    throw badRequest('validation_failed', `Password cannot be longer than ${MAX_PASSWORD_BYTES} characters`);
  }
  if (bytes < minLength) {
    throw new AuthApiError(422, 'weak_password', `Password should be at least ${minLength} characters.`, {
      weak_password: { reasons: ['length'] },
    });
  }
}
