/**
 * The local stack as one programmatic call: PostgreSQL + bootstrap + migrations + seed + the API
 * gateway (Auth, REST, Realtime). Used by the CLI, `npm run dev`, the test global setup, Playwright
 * and the benchmarks.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createAuthService, type AuthOptionsInput } from './auth';
import {
  DEFAULT_HOST,
  LOCAL_ANON_KEY,
  LOCAL_JWT_SECRET,
  LOCAL_SERVICE_ROLE_KEY,
  MIGRATIONS_DIR,
  SEED_FILE,
  readProjectAuthConfig,
} from './config';
import { createPool, endIdleStackSessions, STACK_APPLICATION_PREFIX, type Pool } from './db';
import { startGateway } from './gateway';
import { JwtCodec } from './jwt';
import { applyBootstrap, applyMigrations, applySeed, applySqlFiles } from './migrate';
import { readPostmasterStatus, startPostgres, type RunningPostgres } from './postgres';
import { createRealtimeService, type RealtimeOptions } from './realtime';
import { createRestService } from './rest';
import type { ServiceContext, StackSettings } from './service';

export interface LocalStackOptions {
  /** 0 = pick a free port. */
  apiPort?: number;
  /** 0 = pick a free port. */
  dbPort?: number;
  /** Folder for the cluster; omitted = a fresh temporary folder removed on stop. */
  dataDir?: string;
  host?: string;
  migrationsDir?: string;
  /** Seed file applied when the database is new (or always with `reset`). `false` = no seed. */
  seedFile?: string | false;
  /** Wipe the data dir first (`supabase:reset`). */
  reset?: boolean;
  /** Extra SQL applied after migrations and seed (test fixtures). */
  extraSqlFiles?: string[];
  log?: (line: string) => void;
  jwtExpiry?: number;
  /** supabase/config.toml by default: the `[auth]` settings the Auth server follows. */
  configFile?: string;
  /** Auth options over those of the config file (tests tighten limits). */
  auth?: AuthOptionsInput;
  /** Realtime limits and timeouts (tests shorten the idle timeout, tighten limits). */
  realtime?: Partial<RealtimeOptions>;
}

export interface LocalStack {
  apiUrl: string;
  dbUrl: string;
  anonKey: string;
  serviceRoleKey: string;
  jwtSecret: string;
  apiPort: number;
  dbPort: number;
  dataDir: string;
  appliedMigrations: string[];
  /**
   * The stack's PostgreSQL for outage drills (chaos tests): shut it down and start it again while
   * the API keeps running. The API answers 503 meanwhile and recovers by itself.
   */
  postgres: Pick<RunningPostgres, 'shutdown' | 'restart' | 'running'>;
  stop(): Promise<void>;
}

/** How often the stack looks for a shutdown request in postmaster.pid (a file read, no query). */
const SHUTDOWN_WATCH_INTERVAL_MS = 250;

/**
 * Lets a smart shutdown (SIGTERM) finish: it waits for every session, and the pool plus the REST
 * schema listener would hold it forever. While postmaster.pid says `stopping`, the stack ends its
 * idle sessions and retires busy ones when their request returns them to the pool (pg-pool drops a
 * client on release once it reached maxUses). The termination runs on a session kept for this
 * alone, because new sessions are refused by then and the pool may have none left.
 * Fast and immediate shutdowns end all sessions anyway. Returns a function that stops watching.
 */
function releaseSessionsOnShutdown(
  clusterDir: string,
  dbUrl: string,
  pool: Pool,
  log: (line: string) => void,
): () => Promise<void> {
  const normalMaxUses = pool.options.maxUses;
  let control: pg.Client | null = null;
  let busy = false;
  const dropControl = (client: pg.Client) => {
    if (control === client) control = null;
    client.end().catch(() => {});
  };
  const openControl = async () => {
    const client = new pg.Client({
      connectionString: dbUrl,
      application_name: `${STACK_APPLICATION_PREFIX}-shutdown-watch`,
    });
    client.on('error', () => dropControl(client));
    client.on('end', () => dropControl(client));
    control = client;
    await client.connect();
  };
  const tick = async () => {
    const status = readPostmasterStatus(clusterDir);
    if (status !== 'stopping') {
      pool.options.maxUses = normalMaxUses;
      if (status === 'ready' && !control) await openControl();
      return;
    }
    pool.options.maxUses = 0;
    const client = control;
    if (!client) return;
    const ended = await endIdleStackSessions(client);
    dropControl(client);
    if (ended > 0) log(`[stack] postgres is shutting down: ended ${ended} idle session(s)\n`);
  };
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    tick()
      // The server went away meanwhile: the next tick looks again.
      .catch(() => {})
      .finally(() => (busy = false));
  }, SHUTDOWN_WATCH_INTERVAL_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    if (control) await control.end().catch(() => {});
    control = null;
  };
}

export function getFreePort(host = DEFAULT_HOST): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const host = opts.host ?? DEFAULT_HOST;
  const log = opts.log ?? (() => {});
  // Read before anything starts, so a broken config.toml fails fast.
  const authOptions = authOptionsFromConfig(opts);
  const temporary = !opts.dataDir;
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'local-supabase-'));
  const clusterDir = path.join(dataDir, 'pg');

  if (opts.reset && fs.existsSync(clusterDir)) {
    const { recoverStaleServer } = await import('./postgres');
    await recoverStaleServer(clusterDir);
    fs.rmSync(clusterDir, { recursive: true, force: true });
  }
  fs.mkdirSync(dataDir, { recursive: true });
  // As root, postgres runs as the `postgres` OS user, which must be able to enter the data dir
  // (mkdtemp creates it 0700).
  if (process.getuid?.() === 0) fs.chmodSync(dataDir, 0o755);

  const dbPort = opts.dbPort && opts.dbPort > 0 ? opts.dbPort : await getFreePort(host);
  const postgres = await startPostgres({ clusterDir, port: dbPort, host, log });

  const cleanup: Array<() => Promise<void>> = [async () => postgres.stop()];
  const stopAll = async () => {
    for (const fn of cleanup.reverse())
      await fn().catch((e) => log(`[stack] stop: ${(e as Error)?.message ?? e}\n`));
    cleanup.length = 0;
    if (temporary) fs.rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const admin = new pg.Client({ connectionString: postgres.dbUrl });
    await admin.connect();
    let appliedMigrations: string[] = [];
    try {
      await applyBootstrap(admin);
      appliedMigrations = await applyMigrations(admin, opts.migrationsDir ?? MIGRATIONS_DIR);
      const seedFile = opts.seedFile === undefined ? SEED_FILE : opts.seedFile;
      if (seedFile && (postgres.created || opts.reset)) await applySeed(admin, seedFile);
      if (opts.extraSqlFiles?.length) await applySqlFiles(admin, opts.extraSqlFiles);
    } finally {
      await admin.end();
    }

    const pool = createPool(postgres.dbUrl, 40);
    cleanup.push(async () => pool.end());
    const stopWatching = releaseSessionsOnShutdown(clusterDir, postgres.dbUrl, pool, log);
    cleanup.push(stopWatching);

    // The gateway must know its public URL before listening (tokens carry it as `iss`), so port 0
    // ("any free port") is resolved to a concrete one first.
    const concreteApiPort = opts.apiPort && opts.apiPort > 0 ? opts.apiPort : await getFreePort(host);
    const apiUrl = `http://${host}:${concreteApiPort}`;
    const settings: StackSettings = {
      apiUrl,
      dbUrl: postgres.dbUrl,
      jwtSecret: LOCAL_JWT_SECRET,
      anonKey: LOCAL_ANON_KEY,
      serviceRoleKey: LOCAL_SERVICE_ROLE_KEY,
      jwtExpiry: opts.jwtExpiry ?? 3600,
    };
    const ctx: ServiceContext = { pool, jwt: new JwtCodec(LOCAL_JWT_SECRET), settings, log };
    const auth = createAuthService(ctx, authOptions);
    const rest = createRestService(ctx);
    const realtime = createRealtimeService(ctx, opts.realtime);
    for (const svc of [auth, rest, realtime]) {
      await svc.start?.();
      cleanup.push(async () => svc.close?.());
    }
    const gateway = await startGateway({ auth, rest, realtime }, { port: concreteApiPort, host, log });
    cleanup.push(async () => gateway.close());

    return {
      apiUrl,
      dbUrl: postgres.dbUrl,
      anonKey: LOCAL_ANON_KEY,
      serviceRoleKey: LOCAL_SERVICE_ROLE_KEY,
      jwtSecret: LOCAL_JWT_SECRET,
      apiPort: gateway.port,
      dbPort,
      dataDir,
      appliedMigrations,
      postgres: {
        shutdown: (o) => postgres.shutdown(o),
        restart: () => postgres.restart(),
        get running() {
          return postgres.running;
        },
      },
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

function authOptionsFromConfig(opts: LocalStackOptions): AuthOptionsInput {
  const { signInSignUpsPerWindow, ...config } = readProjectAuthConfig(opts.configFile);
  return {
    ...config,
    ...opts.auth,
    failedSignIns: { maxFailuresPerAddress: signInSignUpsPerWindow, ...opts.auth?.failedSignIns },
  };
}
