/**
 * The REST API (`/rest/v1`): PostgREST-compatible reads, writes and RPC for supabase-js.
 * Owns the schema cache: loaded in `start()`, reloaded on `NOTIFY pgrst, 'reload schema'` (a
 * dedicated LISTEN connection) or through `reloadSchema()`.
 */
import pg from 'pg';
import { EXPOSED_SCHEMAS, MAX_ROWS } from '../config';
import type { HttpService, ServiceContext } from '../service';
import { RequestAuthenticator } from './auth';
import { REST_BODY_LIMIT } from './body';
import { DDL_WATCH_SQL } from './ddl-watch';
import { handleRestRequest, type RestRuntime } from './handler';
import { loadSchemaCache, type SchemaCache } from './schema-cache';
import { StatementCache } from './statements';

/** Coalesces bursts of notifications (a migration emits one per statement). */
export const RELOAD_DEBOUNCE_MS = 25;
export const LISTEN_RETRY_MS = 1000;

export interface RestService extends HttpService {
  reloadSchema(): Promise<void>;
}

export function createRestService(
  ctx: ServiceContext,
  opts: { maxRows?: number; bodyLimit?: number } = {},
): RestService {
  let cache: SchemaCache | undefined;
  let listener: pg.Client | undefined;
  let closed = false;
  let reloadTimer: NodeJS.Timeout | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  const statements = new StatementCache();

  const reloadSchema = async () => {
    cache = await loadSchemaCache(ctx.pool, EXPOSED_SCHEMAS);
    statements.reset();
  };

  const scheduleReload = () => {
    if (reloadTimer) clearTimeout(reloadTimer);
    reloadTimer = setTimeout(() => {
      reloadTimer = undefined;
      reloadSchema().catch((e: unknown) => ctx.log(`[rest] schema reload failed: ${(e as Error).message}\n`));
    }, RELOAD_DEBOUNCE_MS);
  };

  const listen = async () => {
    if (closed) return;
    const client = new pg.Client({
      connectionString: ctx.settings.dbUrl,
      application_name: 'local-supabase-rest-listener',
    });
    const retry = () => {
      if (closed || listener !== client) return;
      listener = undefined;
      client.end().catch(() => {});
      retryTimer = setTimeout(() => {
        listen().catch(() => {});
        // A reconnect may have missed notifications: reload once it is back.
        scheduleReload();
      }, LISTEN_RETRY_MS);
    };
    listener = client;
    client.on('error', retry);
    client.on('end', retry);
    client.on('notification', (msg) => {
      if (
        msg.channel === 'pgrst' &&
        (msg.payload === 'reload schema' || msg.payload === '' || msg.payload === undefined)
      )
        scheduleReload();
    });
    try {
      await client.connect();
      await client.query('LISTEN pgrst');
    } catch {
      retry();
    }
  };

  const runtime: RestRuntime = {
    pool: ctx.pool,
    cache: () => {
      if (!cache) throw new Error('schema cache not loaded');
      return cache;
    },
    auth: new RequestAuthenticator(ctx.jwt),
    statements,
    maxRows: opts.maxRows ?? MAX_ROWS,
    bodyLimit: opts.bodyLimit ?? REST_BODY_LIMIT,
    log: ctx.log,
  };

  return {
    async start() {
      await ctx.pool.query(DDL_WATCH_SQL);
      await reloadSchema();
      await listen();
    },
    async close() {
      closed = true;
      if (reloadTimer) clearTimeout(reloadTimer);
      if (retryTimer) clearTimeout(retryTimer);
      const l = listener;
      listener = undefined;
      await l?.end().catch(() => {});
    },
    reloadSchema,
    handle(req, res, path, url) {
      return handleRestRequest(runtime, req, res, path, url);
    },
  };
}
