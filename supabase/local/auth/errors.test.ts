import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { AuthApiError, errorBody, wantsModernErrors } from './errors';
import { checkPasswordStrength, validateEmail } from './validation';

const request = (version?: string) =>
  ({ headers: version === undefined ? {} : { 'x-supabase-api-version': version } }) as IncomingMessage;

describe('error format selection', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['2023-12-31', false],
    ['2024-01-01', true],
    ['2025-06-30', true],
    ['garbage', false],
  ])('X-Supabase-Api-Version %j → modern=%s', (version, modern) => {
    expect(wantsModernErrors(request(version))).toBe(modern);
  });

  it('renders both GoTrue shapes', () => {
    const err = new AuthApiError(422, 'weak_password', 'Password should be at least 6 characters.', {
      weak_password: { reasons: ['length'] },
    });
    expect(errorBody(err, true)).toEqual({
      code: 'weak_password',
      message: err.message,
      weak_password: { reasons: ['length'] },
    });
    expect(errorBody(err, false)).toEqual({
      code: 422,
      error_code: 'weak_password',
      msg: err.message,
      weak_password: { reasons: ['length'] },
    });
    expect(errorBody(new AuthApiError(500, 'unexpected_failure', 'x'), false)).toHaveProperty('error_id');
  });
});

describe('validation', () => {
  it.each([
    ['Ada@Example.TEST', 'ada@example.test'],
    ['first.last+tag@sub.example.org', 'first.last+tag@sub.example.org'],
  ])('accepts %s', (email, normalized) => {
    expect(validateEmail(email)).toBe(normalized);
  });

  it.each(['', 'plain', 'a@b', '@x.test', 'a b@x.test'])('rejects e-mail %j', (email) => {
    expect(() => validateEmail(email)).toThrow(AuthApiError);
  });

  it.each([
    ['12345', 422, 'weak_password'],
    ['x'.repeat(73), 400, 'validation_failed'],
    // Four 2-byte characters are 8 bytes, enough for a 6-byte minimum — Go counts bytes.
    ['éééé', null, null],
  ])('password %j → %s %s', (password, status, code) => {
    let caught: AuthApiError | null = null;
    try {
      checkPasswordStrength(password, 6);
    } catch (err) {
      caught = err as AuthApiError;
    }
    expect(caught ? [caught.status, caught.code] : [null, null]).toEqual([status, code]);
  });
});
