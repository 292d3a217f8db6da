/**
 * A local stack in a child process that a test may kill: its own data dir (kept across restarts),
 * ephemeral ports, and its own process group, so "kill -9 of the stack" can mean either the Node
 * process alone (embedded Postgres then keeps running as an orphan, as after a crashed `npm run dev`)
 * or the whole group (Node, the postmaster and its backends at once: Postgres crash recovery).
 *
 * `removeAllTraces` is the safety net every test runs in `finally`: it stops what still runs, sweeps
 * any process of our groups or on our data dir, and reports what it could not end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { z } from 'zod';
import { recoverStaleServer } from '../../supabase/local/postgres';

const ENTRY = path.join(__dirname, 'child-stack-main.ts');
/** First start runs initdb, migrations and the seed; on a loaded 2-core machine that takes a while. */
const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 20_000;
const SWEEP_TIMEOUT_MS = 15_000;
const STDERR_LINES_KEPT = 40;

const ZChildStackInfo = z.object({
  apiUrl: z.string(),
  dbUrl: z.string(),
  anonKey: z.string(),
  serviceRoleKey: z.string(),
  jwtSecret: z.string(),
  postmasterPid: z.number().int().nullable(),
});
export type TChildStackInfo = z.infer<typeof ZChildStackInfo>;

export interface TChildStack {
  info: TChildStackInfo;
  /** The Node process; also the id of its process group. */
  pid: number;
  /** SIGKILL to the Node process only; its Postgres survives as an orphan. */
  killNode(): Promise<void>;
  /** SIGKILL to the whole process group: Node, postmaster and backends. */
  killGroup(): Promise<void>;
  /** Graceful stop (SIGTERM: the stack stops Postgres cleanly). */
  stop(): Promise<void>;
}

function waitForExit(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
  });
}

export async function startChildStack(dataDir: string): Promise<TChildStack> {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
    env: { ...process.env, CHAOS_STACK_DATA_DIR: dataDir },
    stdio: ['pipe', 'pipe', 'pipe'],
    // Its own process group, so the whole stack (Postgres included) can be killed in one go.
    detached: true,
  });
  const stderrTail: string[] = [];
  readline.createInterface({ input: child.stderr! }).on('line', (line) => {
    stderrTail.push(line);
    if (stderrTail.length > STDERR_LINES_KEPT) stderrTail.shift();
  });
  const lines = readline.createInterface({ input: child.stdout! });
  const info = await new Promise<TChildStackInfo>((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`child stack ${why}. Last stderr lines:\n${stderrTail.join('\n')}`));
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(`did not start within ${START_TIMEOUT_MS / 1000} s`);
    }, START_TIMEOUT_MS);
    child.once('exit', (code, signal) => fail(`exited during start-up (${code ?? signal})`));
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      clearTimeout(timer);
      resolve(ZChildStackInfo.parse(JSON.parse(line)));
    });
  });
  const pid = child.pid as number;
  return {
    info,
    pid,
    async killNode() {
      child.kill('SIGKILL');
      await waitForExit(child);
    },
    async killGroup() {
      process.kill(-pid, 'SIGKILL');
      await waitForExit(child);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = waitForExit(child);
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Pids of live processes in one of `groups` or started with `dataDir` on their command line (Linux /proc). */
export function findLeftoverProcesses(groups: number[], dataDir: string): number[] {
  if (!fs.existsSync('/proc/self/stat')) return [];
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid pgrp …"; comm may contain spaces, so split after ')'.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z') continue; // a zombie holds nothing; its parent reaps it
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (groups.includes(Number(pgrp)) || cmdline.includes(dataDir)) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

function isGroupAlive(group: number): boolean {
  try {
    process.kill(-group, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Ends everything the scenario started, however it ended: the running child stack gracefully, a
 * postmaster still named in postmaster.pid with a fast shutdown, then SIGKILL to what is left of our
 * process groups. Returns the pids still alive afterwards (empty = clean), then removes the data dir.
 */
export async function removeAllTraces(
  running: TChildStack | undefined,
  groups: number[],
  dataDir: string,
): Promise<number[]> {
  await running?.stop().catch(() => undefined);
  const clusterDir = path.join(dataDir, 'pg');
  if (fs.existsSync(clusterDir)) await recoverStaleServer(clusterDir).catch(() => undefined);
  for (const group of groups) {
    if (isGroupAlive(group)) process.kill(-group, 'SIGKILL');
  }
  const deadline = Date.now() + SWEEP_TIMEOUT_MS;
  let left = findLeftoverProcesses(groups, dataDir);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = findLeftoverProcesses(groups, dataDir);
  }
  if (left.length === 0) fs.rmSync(dataDir, { recursive: true, force: true });
  return left;
}
