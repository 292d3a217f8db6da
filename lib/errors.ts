/**
 * Errors at the auth-form boundary: a closed set of codes and one mapper from whatever supabase-js
 * returned to a message a person can act on. Internals (stack traces, SQL, upstream wording we do not
 * control) never reach the page, except the password policy text, which is written for users.
 */
import { z } from 'zod';

export const AUTH_FAILURE_CODES = [
  'invalid_credentials',
  'user_already_exists',
  'weak_password',
  'email_not_confirmed',
  'signup_disabled',
  'rate_limited',
  'invalid_email',
  'service_unavailable',
  'unexpected',
] as const;

export type TAuthFailureCode = (typeof AUTH_FAILURE_CODES)[number];

export const AUTH_FAILURE_MESSAGES: Record<TAuthFailureCode, string> = {
  invalid_credentials: 'That email and password don’t match an account. Check both and try again.',
  user_already_exists: 'An account with this email already exists. Sign in instead.',
  weak_password: 'Choose a stronger password.',
  email_not_confirmed: 'Please confirm your email first — we sent you a link when you signed up.',
  signup_disabled: 'New sign-ups are turned off for this clinic. Ask the front desk for an account.',
  rate_limited: 'Too many attempts. Wait a minute, then try again.',
  invalid_email: 'Enter a valid email address, like name@example.com.',
  service_unavailable: 'We can’t reach the sign-in service right now. Check your connection and try again.',
  unexpected: 'Something went wrong on our side. Please try again.',
};

/** The fields we read from an AuthError (or anything shaped like one). */
const ZAuthErrorLike = z.object({
  code: z.string().optional(),
  status: z.number().optional(),
  name: z.string().optional(),
  message: z.string().optional(),
});

/** GoTrue error codes (`x-sb-error-code`) that map onto one of ours. */
const CODE_MAP: Record<string, TAuthFailureCode> = {
  invalid_credentials: 'invalid_credentials',
  user_already_exists: 'user_already_exists',
  email_exists: 'user_already_exists',
  weak_password: 'weak_password',
  email_not_confirmed: 'email_not_confirmed',
  signup_disabled: 'signup_disabled',
  email_provider_disabled: 'signup_disabled',
  over_request_rate_limit: 'rate_limited',
  over_email_send_rate_limit: 'rate_limited',
  email_address_invalid: 'invalid_email',
  validation_failed: 'invalid_email',
};

export function classifyAuthError(error: unknown): TAuthFailureCode {
  const parsed = ZAuthErrorLike.safeParse(error);
  if (!parsed.success) return 'unexpected';
  const { code, status, name } = parsed.data;
  if (code && code in CODE_MAP) return CODE_MAP[code];
  // Network failures and gateway errors: auth-js reports them as retryable fetch errors (status 0 or 5xx).
  if (name === 'AuthRetryableFetchError' || status === 0 || (status !== undefined && status >= 500)) {
    return 'service_unavailable';
  }
  if (status === 429) return 'rate_limited';
  return 'unexpected';
}

export interface TAuthFailure {
  code: TAuthFailureCode;
  message: string;
}

export function toAuthFailure(error: unknown): TAuthFailure {
  const code = classifyAuthError(error);
  let message = AUTH_FAILURE_MESSAGES[code];
  if (code === 'weak_password') {
    // GoTrue's own text states the policy ("Password should be at least 6 characters."), which is
    // what the user needs; the policy is configured per project, so we do not restate it.
    const detail = ZAuthErrorLike.safeParse(error).data?.message?.trim();
    if (detail) message = `${message} ${detail}`;
  }
  return { code, message };
}
