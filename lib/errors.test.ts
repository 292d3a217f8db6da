import { AuthApiError, AuthRetryableFetchError, AuthWeakPasswordError } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import { AUTH_FAILURE_MESSAGES, classifyAuthError, toAuthFailure } from './errors';

describe('classifyAuthError', () => {
  it.each([
    [
      'wrong password',
      new AuthApiError('Invalid login credentials', 400, 'invalid_credentials'),
      'invalid_credentials',
    ],
    [
      'existing user on sign-up',
      new AuthApiError('User already registered', 422, 'user_already_exists'),
      'user_already_exists',
    ],
    [
      'email taken (admin wording)',
      new AuthApiError('A user with this email address has already been registered', 422, 'email_exists'),
      'user_already_exists',
    ],
    [
      'unconfirmed email',
      new AuthApiError('Email not confirmed', 400, 'email_not_confirmed'),
      'email_not_confirmed',
    ],
    [
      'sign-ups off',
      new AuthApiError('Signups not allowed for this instance', 422, 'signup_disabled'),
      'signup_disabled',
    ],
    [
      'rate limit by code',
      new AuthApiError('Request rate limit reached', 429, 'over_request_rate_limit'),
      'rate_limited',
    ],
    ['rate limit by status only', new AuthApiError('Too many requests', 429, undefined), 'rate_limited'],
    ['network failure', new AuthRetryableFetchError('fetch failed', 0), 'service_unavailable'],
    ['gateway error', new AuthApiError('Bad gateway', 502, undefined), 'service_unavailable'],
    ['unknown code', new AuthApiError('Something new', 400, 'brand_new_code'), 'unexpected'],
    ['not an error object', 'boom', 'unexpected'],
    ['null', null, 'unexpected'],
  ])('%s', (_name, error, code) => {
    expect(classifyAuthError(error)).toBe(code);
  });
});

describe('toAuthFailure', () => {
  it('never shows upstream wording for unexpected errors', () => {
    const failure = toAuthFailure(
      new AuthApiError('relation "auth.users" does not exist', 500, 'unexpected_failure'),
    );
    expect(failure).toEqual({
      code: 'service_unavailable',
      message: AUTH_FAILURE_MESSAGES.service_unavailable,
    });
  });

  it('keeps the password policy text of a weak-password error', () => {
    const failure = toAuthFailure(
      new AuthWeakPasswordError('Password should be at least 6 characters.', 422, ['length']),
    );
    expect(failure.code).toBe('weak_password');
    expect(failure.message).toBe(
      `${AUTH_FAILURE_MESSAGES.weak_password} Password should be at least 6 characters.`,
    );
  });
});
