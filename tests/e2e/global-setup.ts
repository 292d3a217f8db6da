/**
 * One local stack and one production build of the app for the whole e2e run.
 *
 * The app is built with the stack's URL and keys in the environment because Next.js inlines
 * NEXT_PUBLIC_* at build time; the build goes to `.next/e2e` so a developer's `.next` stays theirs.
 * `next start` runs in its own process group so teardown can stop next-server and its workers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../supabase/local/config';
import { getFreePort, startLocalStack, type LocalStack } from '../../supabase/local/stack';

export const NEXT_BIN = path.join(REPO_ROOT, 'node_modules', '.bin', 'next');
/** Overridable so concurrent runs on one machine do not share (and lock) one build folder. */
export const E2E_DIST_DIR = process.env.E2E_DIST_DIR || path.join('.next', 'e2e');
export const APP_HOST = '127.0.0.1';
const BUILD_TIMEOUT_MS = 8 * 60_000;
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;

function log(line: string): void {
  process.stdout.write(`[e2e] ${line}\n`);
}

function appEnv(stack: LocalStack): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_PUBLIC_SUPABASE_URL: stack.apiUrl,
    NEXT_PUBLIC_SUPABASE_ANON_KEY: stack.anonKey,
    NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: '',
    SUPABASE_SERVICE_ROLE_KEY: stack.serviceRoleKey,
    NEXT_DIST_DIR: E2E_DIST_DIR,
    NEXT_BUILD_SKIP_TYPECHECK: '1',
    NEXT_TELEMETRY_DISABLED: '1',
  };
}

export async function build(env: NodeJS.ProcessEnv): Promise<void> {
  const output: string[] = [];
  const child = spawn(NEXT_BIN, ['build'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), BUILD_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`next build failed (exit ${code}):\n${output.join('')}`);
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

export async function stopApp(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    signalGroup(child, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }
  signalGroup(child, 'SIGKILL');
}

export async function waitForApp(url: string, app: ChildProcess, logs: string[]): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (app.exitCode !== null) throw new Error(`next start exited with ${app.exitCode}:\n${logs.join('')}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${READY_TIMEOUT_MS / 1000} s:\n${logs.join('')}`);
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!fs.existsSync(NEXT_BIN)) throw new Error('next is not installed; run npm install first');
  log('starting the local stack…');
  const stack = await startLocalStack({
    apiPort: 0,
    dbPort: 0,
    log: process.env.SUPABASE_DEBUG ? (line) => process.stderr.write(line) : undefined,
  });
  let app: ChildProcess | undefined;
  const teardown = async () => {
    if (app) await stopApp(app);
    await stack.stop();
  };

  try {
    const env = appEnv(stack);
    log(`building the app against ${stack.apiUrl}…`);
    await build(env);
    const port = await getFreePort(APP_HOST);
    const baseUrl = `http://${APP_HOST}:${port}`;
    const logs: string[] = [];
    app = spawn(NEXT_BIN, ['start', '--port', String(port), '--hostname', APP_HOST], {
      cwd: REPO_ROOT,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    app.stdout?.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
    app.stderr?.on('data', (chunk: Buffer) => {
      logs.push(chunk.toString());
      process.stderr.write(chunk);
    });
    await waitForApp(baseUrl, app, logs);
    log(`app ready at ${baseUrl}`);

    process.env.E2E_BASE_URL = baseUrl;
    process.env.E2E_SUPABASE_URL = stack.apiUrl;
    process.env.E2E_SUPABASE_ANON_KEY = stack.anonKey;
    process.env.E2E_SUPABASE_SERVICE_ROLE_KEY = stack.serviceRoleKey;
    process.env.E2E_DB_URL = stack.dbUrl;
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}
