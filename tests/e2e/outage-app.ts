/**
 * A second app server for the outage spec, whose backend can be switched off without touching the
 * one every other spec uses. Next.js inlines NEXT_PUBLIC_SUPABASE_URL into the browser bundle, so
 * the app must be built against the switch's address: one extra production build (into its own
 * folder, next to the main e2e build), made only when the outage spec runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { REPO_ROOT } from '../../supabase/local/config';
import { getFreePort } from '../../supabase/local/stack';
import { startBackendSwitch, type TBackendMode, type TBackendSwitch } from './backend-switch';
import { APP_HOST, build, E2E_DIST_DIR, NEXT_BIN, stopApp, waitForApp } from './global-setup';

/** Beside the main build; its type globs are listed in tsconfig.json so a build leaves the tree clean. */
const OUTAGE_DIST_DIR = `${E2E_DIST_DIR.replace(/[\\/]+$/, '')}-outage`;

export interface TOutageApp {
  baseUrl: string;
  setBackend(mode: TBackendMode): void;
  stop(): Promise<void>;
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run through the e2e global setup`);
  return value;
}

export async function startOutageApp(): Promise<TOutageApp> {
  const backend: TBackendSwitch = await startBackendSwitch(env('E2E_SUPABASE_URL'));
  let app: ChildProcess | undefined;
  const stop = async () => {
    if (app) await stopApp(app);
    await backend.close();
  };
  try {
    const appEnv: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_PUBLIC_SUPABASE_URL: backend.url,
      NEXT_PUBLIC_SUPABASE_ANON_KEY: env('E2E_SUPABASE_ANON_KEY'),
      NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: '',
      SUPABASE_SERVICE_ROLE_KEY: env('E2E_SUPABASE_SERVICE_ROLE_KEY'),
      NEXT_DIST_DIR: OUTAGE_DIST_DIR,
      NEXT_BUILD_SKIP_TYPECHECK: '1',
      NEXT_TELEMETRY_DISABLED: '1',
    };
    await build(appEnv);
    const port = await getFreePort(APP_HOST);
    const baseUrl = `http://${APP_HOST}:${port}`;
    const logs: string[] = [];
    app = spawn(NEXT_BIN, ['start', '--port', String(port), '--hostname', APP_HOST], {
      cwd: REPO_ROOT,
      env: appEnv,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    app.stdout?.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
    app.stderr?.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
    await waitForApp(baseUrl, app, logs);
    return {
      baseUrl,
      setBackend: (mode) => backend.setMode(mode),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
