/** Spawn a TypeScript entry in its own Node process and read the first JSON line it prints. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { readRssBytes } from './stack-process';

export interface ChildHandle<T> {
  info: T;
  pid: number;
  rssBytes(): number;
  stop(): Promise<void>;
}

export async function startChild<T>(
  entry: string,
  env: Record<string, string> = {},
): Promise<ChildHandle<T>> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--expose-gc', path.resolve(__dirname, entry)], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout! });
  const info = await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not start within 60 s`)), 60_000);
    child.once('exit', (code) => reject(new Error(`${entry} exited early with code ${code}`)));
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      clearTimeout(timer);
      resolve(JSON.parse(line) as T);
    });
  });
  return {
    info,
    pid: child.pid!,
    rssBytes: () => readRssBytes(child.pid!),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}
