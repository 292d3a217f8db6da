/**
 * Errors of the operations endpoints (/api/realtime/*): one type with a closed set of codes and one
 * mapper to an HTTP status and a body. Whatever caused a failure (a PostgREST error, a network
 * error, a bug) stays on the server: the body carries only the code and a fixed sentence.
 */
import { isAuthError, isAuthRetryableFetchError } from '@supabase/supabase-js';
import type { TDataError, TDataResult } from '@/lib/data/result';

export const OPS_ERROR_CODES = [
  'invalid_request',
  'unauthenticated',
  'forbidden',
  'upstream_unavailable',
  'internal',
] as const;

export type TOpsErrorCode = (typeof OPS_ERROR_CODES)[number];

export const OPS_ERROR_STATUS: Record<TOpsErrorCode, number> = {
  invalid_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  upstream_unavailable: 503,
  internal: 500,
};

export const OPS_ERROR_MESSAGES: Record<TOpsErrorCode, string> = {
  invalid_request: 'The request is not valid.',
  unauthenticated: 'Sign in to use this endpoint.',
  forbidden: 'Your account is not allowed to use this endpoint.',
  upstream_unavailable: 'A service this endpoint depends on is unavailable. Try again shortly.',
  internal: 'Something went wrong on our side.',
};

export class OpsError extends Error {
  override name = 'OpsError';

  /**
   * `detail` is a sentence written for the caller (e.g. which query parameter is unknown); it is
   * only ever built from our own text, never from an upstream error. `cause` is for server logs.
   */
  constructor(
    readonly code: TOpsErrorCode,
    readonly detail?: string,
    options?: { cause?: unknown },
  ) {
    super(detail ? `${code}: ${detail}` : code, options);
  }
}

export interface TOpsErrorBody {
  error: { code: TOpsErrorCode; message: string };
}

/** The fields we read from a PostgREST error result of supabase-js. */
interface TPostgrestFailure {
  message: string;
  code?: string;
}

/** HTTP statuses at which a backing service, not our query, is the problem. */
function isUnavailableStatus(status: number): boolean {
  return status === 0 || status === 502 || status === 503 || status === 504;
}

/**
 * A failed supabase-js query as an OpsError: a network failure or gateway error means the backend
 * is unavailable (503); anything else is our bug or a grant we rely on (500).
 */
export function fromPostgrestFailure(what: string, status: number, error: TPostgrestFailure): OpsError {
  const code: TOpsErrorCode = isUnavailableStatus(status) ? 'upstream_unavailable' : 'internal';
  return new OpsError(code, undefined, {
    cause: new Error(`${what} failed (HTTP ${status}, ${error.code ?? 'no code'}): ${error.message}`),
  });
}

/** A failed lib/data call: 503 when the database could not be reached, else 500. */
export function fromDataFailure(what: string, error: TDataError): OpsError {
  return fromPostgrestFailure(what, error.status, {
    code: error.sqlstate ?? undefined,
    message: error.detail,
  });
}

/** The data of a lib/data result, or the OpsError its failure maps to. */
export function valueOrThrow<T>(what: string, result: TDataResult<T>): T {
  if (!result.ok) throw fromDataFailure(what, result.error);
  return result.data;
}

/** An auth failure while reading the caller: unreachable auth server → 503, anything else → 401. */
export function fromAuthFailure(error: unknown): OpsError {
  if (isAuthRetryableFetchError(error))
    return new OpsError('upstream_unavailable', undefined, { cause: error });
  if (isAuthError(error) && typeof error.status === 'number' && error.status >= 500) {
    return new OpsError('upstream_unavailable', undefined, { cause: error });
  }
  return new OpsError('unauthenticated', undefined, { cause: error });
}

export interface TMappedOpsError {
  status: number;
  body: TOpsErrorBody;
  /** True when the failure is ours or a dependency's: worth a server-side log line. */
  shouldLog: boolean;
}

/** The one mapper: any thrown value → status + body. Unknown values are internal errors. */
export function mapOpsError(error: unknown): TMappedOpsError {
  const ops = error instanceof OpsError ? error : new OpsError('internal', undefined, { cause: error });
  const message = ops.detail ? `${OPS_ERROR_MESSAGES[ops.code]} ${ops.detail}` : OPS_ERROR_MESSAGES[ops.code];
  return {
    status: OPS_ERROR_STATUS[ops.code],
    body: { error: { code: ops.code, message } },
    shouldLog: ops.code === 'internal' || ops.code === 'upstream_unavailable',
  };
}
