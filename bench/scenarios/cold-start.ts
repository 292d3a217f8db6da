/**
 * Scenario 7: `npm run dev` until both the app and the stack answer — first with an empty data dir
 * (initdb + bootstrap + migrations + seed), then again on the same data dir (warm).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getFreePort } from '../../supabase/local/stack';
import { sleep } from '../lib/stats';
import type { Scenario, ScenarioRow } from '../lib/types';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.status < 500;
  } catch {
    return false;
  }
}

async function timeDev(dataDir: string): Promise<{ stackMs: number; appMs: number }> {
  const [apiPort, dbPort, appPort] = [await getFreePort(), await getFreePort(), await getFreePort()];
  const t0 = performance.now();
  const child = spawn('npm', ['run', 'dev'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      SUPABASE_DATA_DIR: dataDir,
      SUPABASE_API_PORT: String(apiPort),
      SUPABASE_DB_PORT: String(dbPort),
      PORT: String(appPort),
    },
    stdio: 'ignore',
    detached: true,
  });
  let stackMs = NaN;
  let appMs = NaN;
  try {
    const deadline = t0 + 120_000;
    while (performance.now() < deadline && (Number.isNaN(stackMs) || Number.isNaN(appMs))) {
      if (Number.isNaN(stackMs) && (await answers(`http://127.0.0.1:${apiPort}/auth/v1/health`)))
        stackMs = performance.now() - t0;
      if (Number.isNaN(appMs) && (await answers(`http://127.0.0.1:${appPort}/`)))
        appMs = performance.now() - t0;
      await sleep(100);
    }
  } finally {
    // SIGINT the whole group, as Ctrl-C in a terminal does.
    try {
      process.kill(-child.pid!, 'SIGINT');
    } catch {
      /* already gone */
    }
    await new Promise<void>((r) => {
      if (child.exitCode !== null) return r();
      child.once('exit', () => r());
      setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* gone */
        }
        r();
      }, 20_000).unref();
    });
  }
  return { stackMs: Math.round(stackMs), appMs: Math.round(appMs) };
}

export const coldStart: Scenario = {
  id: 'cold-start',
  title: '`npm run dev` until the app and the stack answer',
  budgetMs: 300_000,
  async run({ log }) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-dev-'));
    fs.chmodSync(dataDir, 0o755);
    const rows: ScenarioRow[] = [];
    try {
      for (const variant of ['cold (empty data dir)', 'warm (existing data dir)']) {
        const r = await timeDev(dataDir);
        rows.push({
          system: 'npm run dev',
          variant,
          metrics: { 'stack answers ms': r.stackMs, 'app answers ms': r.appMs },
        });
        log(`${variant}: ${JSON.stringify(r)}`);
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
    return {
      rows,
      notes: [
        '"app answers" = first HTTP response from next dev for `/` (which compiles the page on first request).',
      ],
    };
  },
};
