/**
 * `npm run supabase:start|stop|status|reset` — the local stack's command line.
 * `start` runs in the foreground and records itself in <data dir>/stack.json so `stop` and `status`
 * (other processes) can find it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readEnvOverrides } from './config';
import { DATABASE_TYPES_FILE, generateDatabaseTypes } from './database-types';
import { readPostmasterPid, recoverStaleServer } from './postgres';
import { startLocalStack, type LocalStack } from './stack';

export interface StackState {
  pid: number;
  apiUrl: string;
  dbUrl: string;
  anonKey: string;
  serviceRoleKey: string;
  jwtSecret: string;
}

const env = readEnvOverrides();
const stateFile = path.join(env.dataDir, 'stack.json');

/** The running stack recorded by `supabase:start` or `npm run dev` (null when none was recorded). */
export function readState(): StackState | null {
  try {
    return JSON.parse(fs.readFileSync(stateFile, 'utf8')) as StackState;
  } catch {
    return null;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Records `stack` as run by process `pid`, so `supabase:status` and `supabase:stop` can find it. */
export function writeState(stack: Omit<StackState, 'pid'>, pid = process.pid): void {
  const state: StackState = {
    pid,
    apiUrl: stack.apiUrl,
    dbUrl: stack.dbUrl,
    anonKey: stack.anonKey,
    serviceRoleKey: stack.serviceRoleKey,
    jwtSecret: stack.jwtSecret,
  };
  fs.writeFileSync(stateFile, JSON.stringify({ ...statusJson(state), ...state }, null, 2));
}

export function removeState(): void {
  fs.rmSync(stateFile, { force: true });
}

export function statusJson(
  s: Pick<StackState, 'apiUrl' | 'dbUrl' | 'anonKey' | 'serviceRoleKey' | 'jwtSecret'>,
) {
  return {
    API_URL: s.apiUrl,
    REST_URL: `${s.apiUrl}/rest/v1`,
    REALTIME_URL: `${s.apiUrl.replace(/^http/, 'ws')}/realtime/v1`,
    DB_URL: s.dbUrl,
    JWT_SECRET: s.jwtSecret,
    ANON_KEY: s.anonKey,
    SERVICE_ROLE_KEY: s.serviceRoleKey,
  };
}

export function printBanner(stack: LocalStack): void {
  const lines = [
    'Local Supabase stack is running.',
    `         API URL: ${stack.apiUrl}`,
    `        REST URL: ${stack.apiUrl}/rest/v1`,
    `    Realtime URL: ${stack.apiUrl.replace(/^http/, 'ws')}/realtime/v1`,
    `          DB URL: ${stack.dbUrl}`,
    `      JWT secret: ${stack.jwtSecret}`,
    `        anon key: ${stack.anonKey}`,
    `service_role key: ${stack.serviceRoleKey}`,
  ];
  console.log(lines.join('\n'));
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !isAlive(pid);
}

async function stopRunning(): Promise<boolean> {
  const state = readState();
  let stopped = false;
  if (state && isAlive(state.pid) && state.pid !== process.pid) {
    process.kill(state.pid, 'SIGTERM');
    if (!(await waitForExit(state.pid, 15_000))) process.kill(state.pid, 'SIGKILL');
    stopped = true;
  }
  // A postgres orphaned by a killed stack process.
  const clusterDir = path.join(env.dataDir, 'pg');
  if (readPostmasterPid(clusterDir) !== null) {
    if ((await recoverStaleServer(clusterDir)) === 'stopped') stopped = true;
  }
  fs.rmSync(stateFile, { force: true });
  return stopped;
}

async function start(reset: boolean): Promise<LocalStack> {
  const state = readState();
  if (state && isAlive(state.pid)) {
    throw new Error(
      `The local stack is already running (pid ${state.pid}) at ${state.apiUrl}. Stop it with: npm run supabase:stop`,
    );
  }
  return startLocalStack({
    apiPort: env.apiPort,
    dbPort: env.dbPort,
    dataDir: env.dataDir,
    reset,
    log: process.env.SUPABASE_DEBUG ? (l) => process.stderr.write(l) : undefined,
  });
}

async function main(): Promise<number> {
  const command = process.argv[2];
  switch (command) {
    case 'start': {
      const stack = await start(false);
      writeState(stack);
      if (stack.appliedMigrations.length)
        console.log(`Applied migrations: ${stack.appliedMigrations.join(', ')}`);
      printBanner(stack);
      console.log('Press Ctrl-C to stop.');
      let stopping = false;
      const shutdown = async () => {
        if (stopping) return;
        stopping = true;
        await stack.stop();
        fs.rmSync(stateFile, { force: true });
        console.log('Local stack stopped.');
        process.exit(0);
      };
      process.on('SIGINT', shutdown);
      process.on('SIGTERM', shutdown);
      return new Promise<number>(() => {});
    }
    case 'stop': {
      const stopped = await stopRunning();
      console.log(stopped ? 'Local stack stopped.' : 'The local stack was not running.');
      return 0;
    }
    case 'status': {
      const state = readState();
      if (!state || !isAlive(state.pid)) {
        console.error(
          'The local stack is not running. Start it with: npm run supabase:start (or npm run dev)',
        );
        return 1;
      }
      console.log(JSON.stringify(statusJson(state), null, 2));
      return 0;
    }
    case 'reset': {
      if (await stopRunning()) console.log('Stopped the running local stack.');
      const stack = await start(true);
      console.log(`Database reset: ${stack.appliedMigrations.length} migration(s) applied, seed loaded.`);
      await stack.stop();
      return 0;
    }
    case 'types': {
      // `npm run supabase:types [-- --db-url <postgres url>]`
      const at = process.argv.indexOf('--db-url');
      const dbUrl = at > 0 ? process.argv[at + 1] : undefined;
      if (at > 0 && !dbUrl) {
        console.error('--db-url needs a postgres connection string');
        return 2;
      }
      // Without --db-url: a throw-away stack with the migrations only (no seed, no fixtures).
      const stack = dbUrl ? null : await startLocalStack({ apiPort: 0, dbPort: 0, seedFile: false });
      try {
        const source = await generateDatabaseTypes(dbUrl ?? stack!.dbUrl);
        fs.writeFileSync(DATABASE_TYPES_FILE, source);
        console.log(`Wrote ${path.relative(process.cwd(), DATABASE_TYPES_FILE)}`);
      } finally {
        await stack?.stop();
      }
      return 0;
    }
    default:
      console.error('Usage: tsx supabase/local/cli.ts <start|stop|status|reset|types [--db-url <url>]>');
      return 2;
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
