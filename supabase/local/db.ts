/**
 * Database access for the API services. One pool connects as the `postgres` superuser (like
 * PostgREST's authenticator it then switches role per request); `withRequestContext` reproduces what
 * PostgREST sets per transaction so RLS policies see exactly what they see on hosted Supabase.
 */
import pg from 'pg';

// Return timestamps, dates, numerics and bigints as strings: the JSON bodies are built in SQL, and
// the few scalars we read in Node must not lose precision or be shifted to local time.
for (const oid of [20, 1082, 1114, 1184, 1700]) pg.types.setTypeParser(oid, (v: string) => v);

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

/**
 * Database outage (Postgres stopped, shutting down, restarting): every service answers it the same
 * way, 503 with a clear message and a stable code, instead of an opaque 500. Nothing is cached
 * about the outage: each request tries the database again, so the stack recovers by itself the
 * moment Postgres accepts connections again.
 */
export const DATABASE_UNAVAILABLE_MESSAGE =
  'The database is not available right now (it is stopped, shutting down or restarting). Retry shortly.';
/** Seconds clients are told to wait before retrying (`Retry-After`). */
export const DATABASE_RETRY_AFTER_SECONDS = 1;

// SQLSTATEs meaning "the server went away or refuses sessions": admin_shutdown, crash_shutdown,
// cannot_connect_now (starting up / shutting down), and class 08, connection exceptions.
const OUTAGE_SQLSTATES = new Set(['57P01', '57P02', '57P03']);
const OUTAGE_SYSCALL_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ECONNABORTED',
]);
// node-postgres raises these without a code once a connection has died under it.
const OUTAGE_MESSAGES = [
  /^Connection terminated/i,
  /connection error and is not queryable/i,
  /Client was closed and is not queryable/i,
  /timeout exceeded when trying to connect/i,
];

/** True when `err` means the database is unreachable, not that the statement was wrong. */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (OUTAGE_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code) || OUTAGE_SYSCALL_CODES.has(code))
      return true;
  }
  // Connection failures of several addresses at once (localhost: IPv4 and IPv6).
  if (err instanceof AggregateError) return err.errors.some(isDatabaseUnavailable);
  const message = (err as { message?: unknown }).message;
  return typeof message === 'string' && OUTAGE_MESSAGES.some((re) => re.test(message));
}

export function createPool(dbUrl: string, max = 20): pg.Pool {
  const pool = new pg.Pool({
    connectionString: dbUrl,
    max,
    idleTimeoutMillis: 30_000,
    application_name: STACK_APPLICATION_PREFIX,
  });
  // An idle client's network error must not crash the stack; the pool drops that client.
  pool.on('error', () => {});
  // Nor may a checked-out one's: pg-pool removes its own listener while a client is lent out, and a
  // node-postgres client whose server goes away (shutdown, crash) between two queries emits 'error'
  // with nobody listening, an uncaught exception. The failure still reaches the request through
  // its next query ("not queryable"), which is answered as an outage.
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/** Prefix of the application_name of every session the stack's services open (pool, listeners). */
export const STACK_APPLICATION_PREFIX = 'local-supabase';

/**
 * Ends the stack's IDLE sessions (pooled connections, the REST schema listener) other than the one
 * running this, returning how many. Used while PostgreSQL is in a smart shutdown, which waits for
 * every session to end by itself: a pool never would. New sessions are refused until the server is
 * back, so nothing refills the pool meanwhile.
 */
export async function endIdleStackSessions(client: pg.ClientBase): Promise<number> {
  const res = await client.query<{ ended: string }>(
    `select count(pg_terminate_backend(pid)) as ended from pg_stat_activity
      where pid <> pg_backend_pid() and backend_type = 'client backend' and state = 'idle'
        and starts_with(application_name, $1)`,
    [STACK_APPLICATION_PREFIX],
  );
  return Number(res.rows[0]?.ended ?? 0);
}

export interface RequestContext {
  /** Database role to switch to: `anon`, `authenticated`, `service_role`, … (from the JWT `role` claim). */
  role: string;
  /** The verified JWT claims (with `role` present even for anonymous requests). */
  claims: Record<string, unknown>;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  cookies?: Record<string, string>;
  readOnly?: boolean;
  /** Extra `set_config(key, value, true)` pairs, e.g. `realtime.topic`. */
  settings?: Record<string, string>;
  searchPath?: string[];
}

const quoteIdent = (s: string) => '"' + s.replace(/"/g, '""') + '"';

/**
 * Run `fn` inside one transaction as the request's role with PostgREST's transaction-local settings.
 * Commits on success, rolls back on throw (or when `rollback` is set — used by authorization probes).
 */
export async function withRequestContext<T>(
  pool: pg.Pool,
  ctx: RequestContext,
  fn: (client: pg.PoolClient) => Promise<T>,
  opts: { rollback?: boolean } = {},
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    const settings: Array<[string, string]> = [];
    if (ctx.searchPath) settings.push(['search_path', ctx.searchPath.map(quoteIdent).join(', ')]);
    settings.push(['role', ctx.role], ['request.jwt.claims', JSON.stringify(ctx.claims)]);
    if (typeof ctx.claims.sub === 'string') settings.push(['request.jwt.claim.sub', ctx.claims.sub]);
    settings.push(
      ['request.jwt.claim.role', ctx.role],
      ['request.method', ctx.method ?? 'POST'],
      ['request.path', ctx.path ?? '/'],
      ['request.headers', JSON.stringify(ctx.headers ?? {})],
      ['request.cookies', JSON.stringify(ctx.cookies ?? {})],
      ...Object.entries(ctx.settings ?? {}),
    );
    // One round trip for BEGIN and every setting: the simple-query protocol takes several statements
    // but no bind parameters, so values are escaped with the driver's literal escaping (handles
    // quotes and backslashes) — never concatenated raw. This saves one of the request's round trips.
    const calls = settings.map(
      ([k, v]) => `set_config(${client.escapeLiteral(k)}, ${client.escapeLiteral(v)}, true)`,
    );
    await client.query(
      `${ctx.readOnly ? 'begin isolation level read committed read only' : 'begin'}; select ${calls.join(', ')}`,
    );
    const result = await fn(client);
    await client.query(opts.rollback ? 'rollback' : 'commit');
    return result;
  } catch (err) {
    try {
      await client.query('rollback');
    } catch {
      broken = true;
    }
    throw err;
  } finally {
    // `set_config('role', …, true)` is transaction-local, so the connection is clean again here.
    client.release(broken);
  }
}
