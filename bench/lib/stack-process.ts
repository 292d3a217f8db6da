/**
 * Runs the local stack in a child Node process so the benchmark measures it from the outside: its
 * memory (RSS of that process) and CPU are not mixed with the load generator's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

export interface StackHandle {
  apiUrl: string;
  dbUrl: string;
  anonKey: string;
  serviceRoleKey: string;
  jwtSecret: string;
  pid: number;
  /** Resident set size of the stack's Node process (not postgres), in bytes. */
  rssBytes(): number;
  stop(): Promise<void>;
}

const REPO_ROOT = path.resolve(__dirname, '..', '..');

export function readRssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(status);
  return m ? Number(m[1]) * 1024 : NaN;
}

export async function startStackProcess(extraSqlFiles: string[] = []): Promise<StackHandle> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', '--expose-gc', path.join(__dirname, 'stack-server.ts')],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, BENCH_EXTRA_SQL: JSON.stringify(extraSqlFiles) },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = readline.createInterface({ input: child.stdout! });
  const info = await new Promise<Omit<StackHandle, 'rssBytes' | 'stop' | 'pid'>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('stack did not start within 60 s')), 60_000);
    child.once('exit', (code) => reject(new Error(`stack process exited early with code ${code}`)));
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      clearTimeout(timer);
      resolve(JSON.parse(line));
    });
  });
  const pid = child.pid!;
  return {
    ...info,
    pid,
    rssBytes: () => readRssBytes(pid),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
      }),
  };
}
