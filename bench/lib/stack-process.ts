/**
 * Runs the local stack in a child Node process so the benchmark measures it from the outside: its
 * memory (RSS of that process) and CPU are not mixed with the load generator's.
 */
import fs from 'node:fs';
import { startChild } from './child';

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

export function readRssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(status);
  return m ? Number(m[1]) * 1024 : NaN;
}

export async function startStackProcess(extraSqlFiles: string[] = []): Promise<StackHandle> {
  const child = await startChild<Omit<StackHandle, 'rssBytes' | 'stop' | 'pid'>>('stack-server.ts', {
    BENCH_EXTRA_SQL: JSON.stringify(extraSqlFiles),
  });
  return { ...child.info, pid: child.pid, rssBytes: child.rssBytes, stop: child.stop };
}
