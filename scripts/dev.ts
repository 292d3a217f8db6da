/**
 * `npm run dev`: the local Supabase stack and `next dev`, wired together; one Ctrl-C stops both.
 *
 * - Starts the Docker-free local stack on the contract's ports (54321/54322, or SUPABASE_API_PORT /
 *   SUPABASE_DB_PORT / SUPABASE_DATA_DIR), or reuses one already started with `npm run supabase:start`,
 *   or uses none when NEXT_PUBLIC_SUPABASE_URL points at another Supabase (e.g. a hosted project).
 * - Records the stack like `supabase:start` does, so `npm run supabase:status` works meanwhile.
 * - Runs `next dev` in its own process group and stops that whole group on exit, so no next-server
 *   child outlives us; `npx` is avoided because killing its wrapper orphans the server.
 */
import { loadEnvConfig } from '@next/env';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { DEMO_LOGINS } from '../lib/domain/demo-logins';
import { isAlive, readState, removeState, writeState } from '../supabase/local/cli';
import { readEnvOverrides, REPO_ROOT } from '../supabase/local/config';
import { startLocalStack, type LocalStack } from '../supabase/local/stack';

const DEFAULT_APP_PORT = 3000;
/** The first `next dev` request compiles the page; on 2 cores that can take a while. */
const READY_TIMEOUT_MS = 180_000;
const READY_POLL_MS = 300;
const READY_REQUEST_TIMEOUT_MS = 60_000;
/** How long next gets to exit on SIGTERM before its process group is killed. */
const NEXT_STOP_GRACE_MS = 5_000;

const NEXT_BIN = path.join(REPO_ROOT, 'node_modules', '.bin', 'next');

interface SupabaseTarget {
  apiUrl: string;
  dbUrl: string | null;
  anonKey: string;
  serviceRoleKey: string;
  /** started = ours to stop; reused = a `supabase:start` process owns it; external = not local. */
  source: 'started' | 'reused' | 'external';
  stack: LocalStack | null;
}

function log(line: string): void {
  process.stdout.write(`[dev] ${line}\n`);
}

function readAppPort(): number {
  const raw = process.env.PORT;
  if (!raw) return DEFAULT_APP_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port <= 0 || port > 65535)
    throw new Error(`PORT must be a TCP port, got "${raw}"`);
  return port;
}

/** True when `url` is this machine's gateway on the configured API port, i.e. the stack we manage. */
function isManagedStackUrl(url: string, apiPort: number, isLoopbackUrl: (url: string) => boolean): boolean {
  const parsed = new URL(url);
  const port = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
  return isLoopbackUrl(url) && port === apiPort;
}

async function resolveSupabase(): Promise<SupabaseTarget> {
  // Imported only now: lib/env validates the environment when loaded, which must happen after the
  // .env files were read.
  const { isLoopbackUrl, parseServerEnv } = await import('../lib/env');
  const overrides = readEnvOverrides();
  const configuredUrl = process.env.NEXT_PUBLIC_SUPABASE_URL?.trim();
  if (configuredUrl && !isManagedStackUrl(configuredUrl, overrides.apiPort, isLoopbackUrl)) {
    // Validates that the keys for that project are set too.
    const env = parseServerEnv({
      NEXT_PUBLIC_SUPABASE_URL: configuredUrl,
      NEXT_PUBLIC_SUPABASE_ANON_KEY: process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY,
      NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: process.env.NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY,
      SUPABASE_SERVICE_ROLE_KEY: process.env.SUPABASE_SERVICE_ROLE_KEY,
    });
    log(`NEXT_PUBLIC_SUPABASE_URL points at ${env.supabaseUrl}; not starting the local stack.`);
    return {
      apiUrl: env.supabaseUrl,
      dbUrl: null,
      anonKey: env.supabaseKey,
      serviceRoleKey: env.serviceRoleKey,
      source: 'external',
      stack: null,
    };
  }

  const running = readState();
  if (running && isAlive(running.pid)) {
    log(`Reusing the local stack already running (pid ${running.pid}) at ${running.apiUrl}.`);
    return { ...running, source: 'reused', stack: null };
  }

  log(
    `Starting the local Supabase stack (API port ${overrides.apiPort}, DB port ${overrides.dbPort}, data in ${path.relative(REPO_ROOT, overrides.dataDir) || '.'})…`,
  );
  const stack = await startLocalStack({
    apiPort: overrides.apiPort,
    dbPort: overrides.dbPort,
    dataDir: overrides.dataDir,
    log: process.env.SUPABASE_DEBUG ? (line) => process.stderr.write(line) : undefined,
  });
  writeState(stack);
  if (stack.appliedMigrations.length) log(`Applied migrations: ${stack.appliedMigrations.join(', ')}`);
  return { ...stack, source: 'started', stack };
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, {
      redirect: 'manual',
      signal: AbortSignal.timeout(READY_REQUEST_TIMEOUT_MS),
    });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

async function waitUntilAnswers(url: string, isCancelled: () => boolean): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!isCancelled()) {
    if (await answers(url)) return;
    if (Date.now() > deadline)
      throw new Error(`${url} did not answer 200 within ${READY_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
}

/**
 * The seed runs only when the database is created, so a data dir made before the seed existed has
 * no demo users; say how to get them instead of listing logins that would fail.
 */
async function hasDemoUsers(dbUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: dbUrl });
  try {
    await client.connect();
    const { rows } = await client.query<{ n: number }>(
      'select count(*)::int as n from auth.users where email = any($1)',
      [DEMO_LOGINS.map((login) => login.email)],
    );
    return (rows[0]?.n ?? 0) > 0;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function printBanner(appUrl: string, supabase: SupabaseTarget, isSeeded: boolean): void {
  const lines = [
    '',
    `  App:              ${appUrl}`,
    `  Supabase API:     ${supabase.apiUrl}${supabase.source === 'reused' ? '  (reused, stop it with npm run supabase:stop)' : ''}`,
  ];
  if (supabase.dbUrl) lines.push(`  Postgres:         ${supabase.dbUrl}`);
  if (supabase.source !== 'external') {
    lines.push(`  anon key:         ${supabase.anonKey}`, `  service_role key: ${supabase.serviceRoleKey}`);
  }
  // The seed creates these accounts in the local database only; a hosted project has its own users.
  if (supabase.source !== 'external' && !isSeeded) {
    lines.push(
      '',
      '  Demo logins: not in this database (it predates the seed). Load them with: npm run supabase:reset',
    );
  } else if (supabase.source !== 'external') {
    lines.push('', '  Demo logins (seeded locally):');
    for (const login of DEMO_LOGINS) {
      lines.push(
        `    ${login.role.padEnd(8)} ${login.name.padEnd(18)} ${login.email.padEnd(24)} ${login.password}`,
      );
    }
  }
  lines.push('', '  Press Ctrl-C to stop.', '');
  process.stdout.write(`${lines.join('\n')}\n`);
}

function startNext(port: number, supabase: SupabaseTarget): ChildProcess {
  if (!fs.existsSync(NEXT_BIN)) throw new Error('next is not installed; run npm install first');
  return spawn(NEXT_BIN, ['dev', '--port', String(port)], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
    // Its own process group, so stopping it reaches next-server and its workers too.
    detached: true,
    env: {
      ...process.env,
      NEXT_PUBLIC_SUPABASE_URL: supabase.apiUrl,
      NEXT_PUBLIC_SUPABASE_ANON_KEY: supabase.anonKey,
      SUPABASE_SERVICE_ROLE_KEY: supabase.serviceRoleKey,
      PORT: String(port),
      // No usage reporting from a developer's machine unless they opt in.
      NEXT_TELEMETRY_DISABLED: process.env.NEXT_TELEMETRY_DISABLED ?? '1',
    },
  });
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

async function stopNext(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    signalGroup(child, 'SIGKILL'); // stray workers of an exited parent
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), NEXT_STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
  signalGroup(child, 'SIGKILL');
}

async function main(): Promise<void> {
  // Read .env / .env.local the way `next dev` will, so a hosted project configured there is seen
  // here too (and the local stack is not started for nothing).
  loadEnvConfig(REPO_ROOT, true, { info: () => {}, error: (...args: unknown[]) => console.error(...args) });
  const appPort = readAppPort();
  const appUrl = `http://localhost:${appPort}`;
  const supabase = await resolveSupabase();

  let next: ChildProcess | null = null;
  let stopping = false;
  const shutdown = async (reason: string, code: number) => {
    if (stopping) {
      log('Still stopping…');
      return;
    }
    stopping = true;
    log(`Stopping (${reason})…`);
    if (next) await stopNext(next);
    if (supabase.stack) {
      await supabase.stack.stop();
      removeState();
      log('Local stack stopped.');
    }
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => void shutdown(signal, 0));
  }

  try {
    next = startNext(appPort, supabase);
    next.once('exit', (code, signal) => {
      if (!stopping) void shutdown(`next dev exited with ${signal ?? code}`, code ?? 1);
    });
    await Promise.all([
      waitUntilAnswers(appUrl, () => stopping),
      supabase.source === 'external'
        ? Promise.resolve()
        : waitUntilAnswers(`${supabase.apiUrl}/health`, () => stopping),
    ]);
    const isSeeded = supabase.dbUrl ? await hasDemoUsers(supabase.dbUrl) : false;
    if (!stopping) printBanner(appUrl, supabase, isSeeded);
  } catch (err) {
    log((err as Error).message);
    await shutdown('start-up failed', 1);
  }
}

main().catch(async (err: unknown) => {
  process.stderr.write(`[dev] ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
