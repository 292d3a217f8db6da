/**
 * The one error type of the Auth API boundary and its wire format.
 *
 * GoTrue answers in two shapes, chosen by the request's `X-Supabase-Api-Version` header:
 * from 2024-01-01 on `{code:"<error code>", message}` (and the header is echoed), before that
 * `{code:<http status>, error_code, msg}`. auth-js only reads `code` as the error code when the
 * response carries the version header, so echoing it matters as much as the body.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DATABASE_RETRY_AFTER_SECONDS, DATABASE_UNAVAILABLE_MESSAGE } from '../db';
import { sendJson } from '../http';

/** Closed set of error codes this service emits (a subset of GoTrue's `apierrors/errorcode.go`). */
export const AUTH_ERROR_CODES = [
  'unexpected_failure',
  'validation_failed',
  'bad_json',
  'request_entity_too_large',
  'email_exists',
  'phone_exists',
  'bad_jwt',
  'not_admin',
  'no_authorization',
  'user_not_found',
  'session_not_found',
  'session_expired',
  'refresh_token_not_found',
  'refresh_token_already_used',
  'signup_disabled',
  'user_banned',
  'user_already_exists',
  'weak_password',
  'same_password',
  'invalid_credentials',
  'email_not_confirmed',
  'phone_provider_disabled',
  'anonymous_provider_disabled',
  'over_request_rate_limit',
  'not_found',
  'method_not_allowed',
  // Not in GoTrue's list (it answers an outage with a 500): the local stack's 503 for "Postgres is
  // down", which auth-js treats as retryable (AuthRetryableFetchError) instead of a failed request.
  'database_unavailable',
] as const;

export type AuthErrorCode = (typeof AUTH_ERROR_CODES)[number];

export const API_VERSION_HEADER = 'X-Supabase-Api-Version';
export const API_VERSION_2024_01_01 = '2024-01-01';

export class AuthApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: AuthErrorCode,
    message: string,
    /** Extra top-level body fields (GoTrue adds `weak_password: {reasons}` to weak-password errors). */
    readonly extra: Record<string, unknown> = {},
    /** Extra response headers (e.g. `Retry-After` on 429). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AuthApiError';
  }
}

export const badRequest = (code: AuthErrorCode, message: string) => new AuthApiError(400, code, message);
export const forbidden = (code: AuthErrorCode, message: string) => new AuthApiError(403, code, message);
export const unprocessable = (code: AuthErrorCode, message: string) => new AuthApiError(422, code, message);
export const notFound = (code: AuthErrorCode, message: string) => new AuthApiError(404, code, message);
export const internal = (message: string) => new AuthApiError(500, 'unexpected_failure', message);
export const databaseUnavailable = () =>
  new AuthApiError(
    503,
    'database_unavailable',
    DATABASE_UNAVAILABLE_MESSAGE,
    {},
    { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) },
  );

export const INVALID_LOGIN_MESSAGE = 'Invalid login credentials';
export const DUPLICATE_EMAIL_MESSAGE = 'A user with this email address has already been registered';
export const DUPLICATE_PHONE_MESSAGE = 'A user with this phone number has already been registered';

/**
 * True when the request asks for the 2024-01-01 error format. GoTrue parses `YYYY-MM-DD` and picks
 * the closest known version; anything unparsable falls back to the initial (legacy) format.
 */
export function wantsModernErrors(req: IncomingMessage): boolean {
  const raw = req.headers['x-supabase-api-version'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(parsed) && parsed >= Date.parse(`${API_VERSION_2024_01_01}T00:00:00Z`);
}

/** The JSON body GoTrue would send for `err` in the requested format (exported for unit tests). */
export function errorBody(err: AuthApiError, modern: boolean): Record<string, unknown> {
  if (modern) return { code: err.code, message: err.message, ...err.extra };
  const body: Record<string, unknown> = {
    code: err.status,
    error_code: err.code,
    msg: err.message,
    ...err.extra,
  };
  if (err.status >= 500) body.error_id = randomUUID();
  return body;
}

export function sendAuthError(req: IncomingMessage, res: ServerResponse, err: AuthApiError): void {
  const modern = wantsModernErrors(req);
  const headers: Record<string, string> = { 'x-sb-error-code': err.code, ...err.headers };
  if (modern) headers[API_VERSION_HEADER] = API_VERSION_2024_01_01;
  sendJson(res, err.status, errorBody(err, modern), headers);
}
