/**
 * "Signed out" versus "cannot reach Auth" (or the database behind it).
 *
 * Both come back from supabase-js as an error with no user, and treating them alike sends a signed-in
 * patient to the sign-in page whenever the backend blips. The difference is in the error: auth-js
 * reports network failures and gateway/server errors as AuthRetryableFetchError (status 0 or 5xx) and
 * never drops the session for them; a 4xx from Auth (invalid or revoked token, missing session) is a
 * verdict about the session. Pure, so the proxy, the layouts and the tests share one rule.
 */
import { z } from 'zod';

export type TAuthVerdict = 'signed-out' | 'unavailable';

/** Statuses that say "the service could not answer", not "the answer is no". */
const TRANSIENT_CLIENT_STATUSES: ReadonlySet<number> = new Set([408, 429]);
const FIRST_SERVER_ERROR_STATUS = 500;

/** The fields we read from an AuthError, a PostgREST error, or a thrown fetch failure. */
const ZErrorLike = z.object({
  name: z.string().optional(),
  status: z.number().optional(),
});

/**
 * True for an HTTP status that means the backend is unreachable or failing: 0 (no response: refused,
 * reset, DNS, timeout), 408/429 (try again later) and every 5xx.
 */
export function isUnavailableStatus(status: number): boolean {
  return status === 0 || status >= FIRST_SERVER_ERROR_STATUS || TRANSIENT_CLIENT_STATUSES.has(status);
}

/**
 * What a failed session check means. No error at all (no session cookie) is "signed-out"; anything
 * that is not a clear answer from Auth — a retryable fetch error, a 5xx, a thrown TypeError("fetch
 * failed") or timeout, or a body that was not Auth's JSON (AuthUnknownError: something else answered)
 * — is "unavailable", because guessing "signed-out" there logs people out on every outage.
 */
export function classifyAuthFailure(error: unknown): TAuthVerdict {
  if (error === null || error === undefined) return 'signed-out';
  const parsed = ZErrorLike.safeParse(error);
  if (!parsed.success) return 'unavailable';
  const { name, status } = parsed.data;
  if (name === 'AuthRetryableFetchError' || name === 'AuthUnknownError') return 'unavailable';
  if (status !== undefined) return isUnavailableStatus(status) ? 'unavailable' : 'signed-out';
  // AuthSessionMissingError, AuthInvalidJwtError, … carry a verdict; a bare Error from fetch does not.
  return name?.startsWith('Auth') ? 'signed-out' : 'unavailable';
}

/**
 * Thrown by server code when Auth or the database cannot be reached, so a page shows the outage
 * state (error boundary) instead of wrong data or a sign-in redirect. Its message is safe to log.
 */
export class ServiceUnavailableError extends Error {
  override name = 'ServiceUnavailableError';
  readonly code = 'service_unavailable';
  constructor() {
    super('The clinic’s backend cannot be reached right now');
  }
}
