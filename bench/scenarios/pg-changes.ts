/**
 * Postgres Changes with RLS: 100 subscribers, each a different signed-in user (100 distinct claim
 * sets — the expensive case, since visibility is checked per claim set), INSERTs committed at a fixed
 * rate; commit→client latency and delivered changes per second.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import { mintUserToken } from '../lib/clients';
import { connectMany, connectRealtimeLight } from '../lib/light-clients';
import { sleep, summarize, waitUntil } from '../lib/stats';
import type { Scenario, ScenarioRow } from '../lib/types';

export const pgChanges: Scenario = {
  id: 'pg-changes',
  title: 'Postgres Changes with RLS → 100 subscribers',
  budgetMs: 120_000,
  async run({ stack, quick, log }) {
    const subscribers = 100;
    const rows: ScenarioRow[] = [];
    // The machine is shared: its load says how much of the numbers is this system and how much the rest.
    const loadAtStart = os.loadavg()[0];
    const db = new pg.Client({ connectionString: stack.dbUrl });
    await db.connect();
    try {
      const runs = [
        { rate: 200, users: subscribers },
        { rate: 200, users: 1 },
        ...(quick ? [] : [{ rate: 400, users: subscribers }]),
      ];
      for (const [runIndex, { rate, users }] of runs.entries()) {
        const changes = quick ? 400 : rate * 5;
        // Each run numbers its rows from its own base, so a late delivery from an earlier run can
        // never be taken for this run's row.
        const base = (runIndex + 1) * 1_000_000;
        const received: number[][] = Array.from({ length: subscribers }, () => []);
        const userIds = Array.from({ length: users }, () => randomUUID());
        const tokens = await Promise.all(
          Array.from({ length: subscribers }, (_, i) => mintUserToken(stack, userIds[i % users])),
        );
        const clients = await connectMany(subscribers, 10, (i) =>
          connectRealtimeLight({
            apiUrl: stack.apiUrl,
            apiKey: stack.anonKey,
            topic: `bench:changes:${i}`,
            accessToken: tokens[i],
            isPrivate: false,
            postgresChanges: [{ event: 'INSERT', schema: 'public', table: 'bench_changes' }],
            onMessage: (_e, p) => {
              const data = (p as { data?: { record?: { seq?: number } } }).data;
              const seq = data?.record?.seq;
              if (seq !== undefined && seq >= base && seq < base + changes)
                received[i][seq - base] = performance.now();
            },
          }),
        );
        await db.query('truncate public.bench_changes');
        // Warm-up: one second at the same rate with rows outside the measured range, so cached
        // plans, catalog lookups and the subscribers' claim groups are in place, as in a running system.
        for (let i = 0; i < rate; i++) {
          await db.query('insert into public.bench_changes (seq) values ($1)', [base - 1 - i]);
          await sleep(1000 / rate);
        }
        await sleep(1000);
        const commitAt: number[] = [];
        const start = performance.now();
        const t0 = performance.now();
        for (let seq = 0; seq < changes; seq++) {
          const wait = start + (seq * 1000) / rate - performance.now();
          if (wait > 0) await sleep(wait);
          await db.query('insert into public.bench_changes (seq) values ($1)', [base + seq]);
          commitAt[seq] = performance.now();
        }
        await waitUntil(
          () => received.every((r) => r[changes - 1] !== undefined),
          20_000,
          'last change',
        ).catch(() => {});
        const samples: number[] = [];
        let missing = 0;
        let last = 0;
        for (const r of received)
          for (let seq = 0; seq < changes; seq++) {
            if (r[seq] === undefined) missing++;
            else {
              samples.push(r[seq] - commitAt[seq]);
              last = Math.max(last, r[seq]);
            }
          }
        const s = summarize(samples);
        const changesPerSec = Math.round(changes / ((last - t0) / 1000));
        rows.push({
          system: 'ours: Postgres Changes + RLS',
          variant: `${rate} commits/s, ${subscribers} subscribers, ${users} distinct user${users === 1 ? '' : 's'}`,
          metrics: {
            'changes/s delivered': changesPerSec,
            deliveries: s.count,
            missing,
            'p50 ms': s.p50,
            'p95 ms': s.p95,
            'p99 ms': s.p99,
          },
        });
        clients.forEach((c) => c.close());
        log(`rate ${rate}, ${users} users done`);
        // Let a backlog drain before the next run so runs don't measure each other.
        await sleep(5_000);
      }
    } finally {
      await db.end();
    }
    // "Delivered changes/s" divides by a window that ends at the LAST delivery, so at an offered
    // 200 commits/s it reads just under 200 even when every change arrived; the target is whether the
    // stream kept up with the offered rate: nothing missing, no growing backlog, p99 within bound.
    const loadAtEnd = os.loadavg()[0];
    const r200 = rows[0];
    const ok = Number(r200.metrics.missing) === 0 && Number(r200.metrics['p99 ms']) <= 100;
    return {
      rows,
      targets: [
        `Postgres Changes with RLS: 200 commits/s offered to 100 subscribers (100 distinct users) all delivered with p99 ≤ 100 ms: ${ok ? 'met' : 'MISSED'} (${r200.metrics['changes/s delivered']}/s measured to the last delivery, missing ${r200.metrics.missing}, p99 ${r200.metrics['p99 ms']} ms)`,
      ],
      notes: [
        `machine load average (1 min) at start / end: ${loadAtStart.toFixed(2)} / ${loadAtEnd.toFixed(2)} on ${os.cpus().length} cores`,
      ],
    };
  },
};
