/**
 * "Signed out" versus "cannot reach Auth": the rule the proxy and the layouts decide redirects by,
 * fed with the errors supabase-js really produces, and the outage banner's re-check schedule.
 */
import {
  AuthApiError,
  AuthInvalidJwtError,
  AuthRetryableFetchError,
  AuthSessionMissingError,
  AuthUnknownError,
} from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import {
  FIRST_PROBE_DELAY_MS,
  MAX_PROBE_DELAY_MS,
  PROBE_JITTER,
  probeDelayMs,
} from '@/hooks/use-backend-recovery';
import { classifyAuthFailure, isUnavailableStatus } from '@/lib/supabase/auth-state';

describe('classifyAuthFailure', () => {
  it.each([
    [
      'a refused or reset connection (auth-js: retryable, status 0)',
      new AuthRetryableFetchError('fetch failed', 0),
    ],
    ['a gateway 503', new AuthRetryableFetchError('Service Unavailable', 503)],
    ['a 502 from a proxy', new AuthRetryableFetchError('Bad Gateway', 502)],
    ['a body that is not Auth’s JSON', new AuthUnknownError('Unexpected token <', new SyntaxError('x'))],
    ['an AuthApiError with a 5xx', new AuthApiError('internal', 500, 'unexpected_failure')],
    ['rate limiting', new AuthApiError('Too many requests', 429, 'over_request_rate_limit')],
    ['a thrown fetch failure', new TypeError('fetch failed')],
    ['a timeout', new DOMException('The operation timed out.', 'TimeoutError')],
    ['something that is not an error object', 'boom'],
  ])('%s means Auth is unavailable', (_, error) => {
    expect(classifyAuthFailure(error)).toBe('unavailable');
  });

  it.each([
    ['no error at all (no session cookie)', null],
    ['a missing session', new AuthSessionMissingError()],
    ['an invalid JWT', new AuthInvalidJwtError('Invalid JWT signature')],
    ['a revoked session (401)', new AuthApiError('invalid claim: missing sub claim', 401, 'bad_jwt')],
    [
      'a forbidden token (403)',
      new AuthApiError('User from sub claim in JWT does not exist', 403, 'user_not_found'),
    ],
    [
      'a refresh token that is gone (400)',
      new AuthApiError('Invalid Refresh Token', 400, 'refresh_token_not_found'),
    ],
  ])('%s means signed out', (_, error) => {
    expect(classifyAuthFailure(error)).toBe('signed-out');
  });
});

describe('isUnavailableStatus', () => {
  it('treats no response, 408, 429 and 5xx as an outage and other statuses as answers', () => {
    expect([0, 408, 429, 500, 502, 503, 504, 599].every(isUnavailableStatus)).toBe(true);
    expect([200, 204, 400, 401, 403, 404, 406, 409].some(isUnavailableStatus)).toBe(false);
  });
});

describe('probeDelayMs', () => {
  it('doubles from the first delay up to the cap, without jitter in the middle of the range', () => {
    const middle = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 10].map((attempt) => probeDelayMs(attempt, middle))).toEqual([
      FIRST_PROBE_DELAY_MS,
      FIRST_PROBE_DELAY_MS * 2,
      FIRST_PROBE_DELAY_MS * 4,
      FIRST_PROBE_DELAY_MS * 8,
      MAX_PROBE_DELAY_MS,
      MAX_PROBE_DELAY_MS,
      MAX_PROBE_DELAY_MS,
    ]);
  });

  it('spreads tabs by at most the jitter share and never exceeds the cap', () => {
    expect(probeDelayMs(0, () => 0)).toBe(Math.round(FIRST_PROBE_DELAY_MS * (1 - PROBE_JITTER)));
    expect(probeDelayMs(0, () => 1)).toBe(Math.round(FIRST_PROBE_DELAY_MS * (1 + PROBE_JITTER)));
    expect(probeDelayMs(20, () => 1)).toBe(MAX_PROBE_DELAY_MS);
  });
});
