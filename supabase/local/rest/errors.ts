/**
 * The one error type of the REST service and the one mapper from PostgreSQL errors to HTTP, as
 * PostgREST does it (`{code, details, hint, message}` bodies; SQLSTATE → status table).
 */
import { DATABASE_RETRY_AFTER_SECONDS, DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from '../db';

export interface RestErrorBody {
  code: string;
  details: string | null | unknown[];
  hint: string | null;
  message: string;
}

export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: string | null | unknown[] = null,
    readonly hint: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'RestError';
  }

  body(): RestErrorBody {
    return { code: this.code, details: this.details, hint: this.hint, message: this.message };
  }
}

/** Constructors for the PostgREST errors this service raises itself. */
export const Errors = {
  parse: (message: string, details: string | null = null) => new RestError(400, 'PGRST100', message, details),
  invalidBody: (details: string) => new RestError(400, 'PGRST102', 'Empty or invalid json', details),
  rangeNotSatisfiable: (offset: number, total: number) =>
    new RestError(
      416,
      'PGRST103',
      'Requested range not satisfiable',
      `An offset of ${offset} was requested, but there are only ${total} rows.`,
    ),
  invalidSchema: (schema: string, exposed: readonly string[]) =>
    new RestError(
      406,
      'PGRST106',
      `Invalid schema: ${schema}`,
      null,
      `Only the following schemas are exposed: ${exposed.join(', ')}`,
    ),
  notAcceptable: (accept: string) =>
    new RestError(406, 'PGRST107', `None of these media types are available: ${accept}`),
  singular: (rows: number) =>
    new RestError(
      406,
      'PGRST116',
      'Cannot coerce the result to a single JSON object',
      `The result contains ${rows} rows`,
    ),
  orderToMany: (parent: string, child: string) =>
    new RestError(
      400,
      'PGRST118',
      `A related order on '${child}' is not possible`,
      `'${parent}' and '${child}' do not form a many-to-one or one-to-one relationship`,
    ),
  badEmbedFilter: (embed: string) =>
    new RestError(
      400,
      'PGRST120',
      `Bad operator on the '${embed}' embedded resource`,
      'Only is null or not is null filters are allowed on embedded resources',
    ),
  maxAffected: (max: number, actual: number) =>
    new RestError(
      400,
      'PGRST124',
      'Query result exceeds max-affected preference constraint',
      `The query affects ${actual} rows`,
    ),
  invalidPath: () => new RestError(404, 'PGRST125', 'Invalid path specified in request URL'),
  noRelationship: (parent: string, child: string, schema: string, hint: string | null = null) =>
    new RestError(
      400,
      'PGRST200',
      `Could not find a relationship between '${parent}' and '${child}' in the schema cache`,
      `Searched for a foreign key relationship between '${parent}' and '${child}' in the schema '${schema}', but no matches were found.`,
      hint,
    ),
  columnNotFound: (column: string, table: string) =>
    new RestError(400, 'PGRST204', `Could not find the '${column}' column of '${table}' in the schema cache`),
  tableNotFound: (schema: string, name: string, suggestion: string | null) =>
    new RestError(
      404,
      'PGRST205',
      `Could not find the table '${schema}.${name}' in the schema cache`,
      null,
      suggestion ? `Perhaps you meant the table '${schema}.${suggestion}'` : null,
    ),
  jwtInvalid: (message: string) =>
    new RestError(401, 'PGRST301', message, null, null, {
      'WWW-Authenticate': `Bearer error="invalid_token", error_description="${message}"`,
    }),
  jwtExpired: () =>
    new RestError(401, 'PGRST303', 'JWT expired', null, null, {
      'WWW-Authenticate': 'Bearer error="invalid_token", error_description="JWT expired"',
    }),
  unknownRole: (role: string) => new RestError(401, '22023', `role "${role}" does not exist`),
  bodyTooLarge: (limit: number) =>
    new RestError(413, 'PGRST413', `Request body is larger than ${limit} bytes`),
  /** PostgreSQL's own answer to NUL in text, which PostgREST passes on. */
  nulCharacter: () => new RestError(400, '22021', 'invalid byte sequence for encoding "UTF8": 0x00'),
  /** PostgreSQL's answer to a body that is not UTF-8 (PostgREST hands the bytes to it unchanged). */
  invalidUtf8: () => new RestError(400, '22021', 'invalid byte sequence for encoding "UTF8"'),
  methodNotAllowed: (method: string) => new RestError(405, 'PGRST117', `Unsupported HTTP method: ${method}`),
} as const;

/** What node-postgres exposes of a server error. */
interface PgErrorLike {
  code?: unknown;
  message?: unknown;
  detail?: unknown;
  hint?: unknown;
}

function isPgError(err: unknown): err is PgErrorLike & { code: string } {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as PgErrorLike).code === 'string' &&
    /^[0-9A-Z]{5}$/.test((err as PgErrorLike).code as string)
  );
}

/** SQLSTATE → HTTP status, PostgREST's `mapSQLtoHTTP`. */
export function statusForSqlState(code: string, message: string, isAnon: boolean): number {
  if (code === '42501') return isAnon ? 401 : 403;
  if (code === '22023' && /^role .* does not exist$/.test(message)) return 401;
  if (code === '23505' || code === '23503') return 409;
  if (code === '25006') return 405;
  if (code === '42883' || code === '42P01') return 404;
  if (code === '53400') return 500;
  if (code === '42P17') return 500;
  if (code === '21000') return /requires a WHERE clause/.test(message) ? 400 : 500;
  if (code === '57P01') return 503;
  const p2 = code.slice(0, 2);
  if (['0L', '0P', '28'].includes(p2)) return 403;
  if (['08', '53'].includes(p2)) return 503;
  if (
    ['09', '25', '2D', '38', '39', '3B', '40', '54', '55', '57', '58', 'F0', 'HV', 'P0', 'XX'].includes(p2)
  ) {
    return code === 'P0001' ? 400 : 500;
  }
  return 400;
}

const CUSTOM_STATUS = /^PT(\d{3})$/;

/**
 * Maps anything thrown while serving a request to a RestError. Unknown (non-Postgres) errors become
 * an opaque 500 so internals never leak.
 */
export function toRestError(err: unknown, isAnon: boolean): RestError {
  if (err instanceof RestError) return err;
  // PostgREST's code for "could not connect with the database"; postgrest-js retries reads on 503.
  if (isDatabaseUnavailable(err))
    return new RestError(503, 'PGRST000', DATABASE_UNAVAILABLE_MESSAGE, null, null, {
      'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS),
    });
  if (!isPgError(err)) return new RestError(500, 'PGRST000', 'Internal server error');
  const code = err.code;
  const message = typeof err.message === 'string' ? err.message : '';
  const details = typeof err.detail === 'string' ? err.detail : null;
  const hint = typeof err.hint === 'string' ? err.hint : null;
  const custom = CUSTOM_STATUS.exec(code);
  if (custom) return new RestError(Number(custom[1]), code, message, details, hint);
  if (code === 'PGRST') return raisedPgrstError(message, details);
  const status = statusForSqlState(code, message, isAnon);
  const headers: Record<string, string> = status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {};
  return new RestError(status, code, message, details, hint, headers);
}

/**
 * `RAISE sqlstate 'PGRST' USING message = '{"code":…,"message":…}', detail = '{"status":…,"headers":{…}}'`:
 * the function chooses the whole response.
 */
function raisedPgrstError(message: string, detail: string | null): RestError {
  try {
    const m = JSON.parse(message) as Record<string, unknown>;
    const d = detail ? (JSON.parse(detail) as Record<string, unknown>) : {};
    const status = typeof d.status === 'number' ? d.status : 500;
    const headers: Record<string, string> = {};
    if (d.headers && typeof d.headers === 'object') {
      for (const [k, v] of Object.entries(d.headers as Record<string, unknown>)) headers[k] = String(v);
    }
    return new RestError(
      status,
      typeof m.code === 'string' ? m.code : '',
      typeof m.message === 'string' ? m.message : '',
      typeof m.details === 'string' ? m.details : null,
      typeof m.hint === 'string' ? m.hint : null,
      headers,
    );
  } catch {
    return new RestError(
      500,
      'PGRST121',
      'Could not parse JSON in the "RAISE SQLSTATE \'PGRST\'" error',
      detail,
    );
  }
}
