/**
 * Scenario 1: a booking committed in Postgres → received by N subscribers.
 *  - ours: a row trigger calls realtime.send; the stack streams it from the WAL to a private topic.
 *  - socket.io: the app commits, then emits the same event to a Socket.IO server that relays it.
 *  - polling: each client re-reads every 30 s (random phase); staleness = first poll that sees the row.
 * Latency is measured from the moment the commit returned to the writer to the moment a subscriber
 * decoded the message, on one clock (writer and subscribers share this process).
 */
import pg from 'pg';
import { io as ioClient } from 'socket.io-client';
import { benchClient, mintUserToken } from '../lib/clients';
import { startChild } from '../lib/child';
import {
  connectMany,
  connectRealtimeLight,
  connectSocketIoLight,
  type LightClient,
} from '../lib/light-clients';
import { sleep, summarize, waitUntil } from '../lib/stats';
import type { Scenario, ScenarioRow } from '../lib/types';

const COMMITS_PER_SECOND = 50;

async function commitLoop(
  db: pg.Client,
  count: number,
  afterCommit: (seq: number, at: number) => void,
): Promise<void> {
  const interval = 1000 / COMMITS_PER_SECOND;
  const start = performance.now();
  for (let seq = 0; seq < count; seq++) {
    const due = start + seq * interval;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    await db.query('insert into public.bench_bookings (seq) values ($1)', [seq]);
    afterCommit(seq, performance.now());
  }
}

function latencyRow(
  system: string,
  n: number,
  commitAt: number[],
  received: number[][],
  expected: number,
): ScenarioRow {
  const samples: number[] = [];
  let missing = 0;
  for (const perClient of received) {
    for (let seq = 0; seq < expected; seq++) {
      const t = perClient[seq];
      if (t === undefined) missing++;
      else samples.push(t - commitAt[seq]);
    }
  }
  const s = summarize(samples);
  return {
    system,
    variant: `N=${n}`,
    metrics: {
      deliveries: s.count,
      missing,
      'p50 ms': s.p50,
      'p95 ms': s.p95,
      'p99 ms': s.p99,
      'max ms': s.max,
    },
  };
}

export const dbBroadcast: Scenario = {
  id: 'db-broadcast',
  title: 'Booking committed → N subscribers: broadcast from the database vs Socket.IO relay vs 30 s polling',
  budgetMs: 240_000,
  async run({ stack, quick, log }) {
    const rows: ScenarioRow[] = [];
    const targets: string[] = [];
    const commits = quick ? 100 : 400; // at 50 commits/s: 2 s or 8 s of load
    const db = new pg.Client({ connectionString: stack.dbUrl });
    await db.connect();
    const sio = await startChild<{ port: number }>('socketio-server.ts');
    try {
      const token = await mintUserToken(stack, '00000000-0000-4000-8000-00000000be01', 3600);
      for (const n of [100, 1000]) {
        // ── ours
        {
          const received: number[][] = Array.from({ length: n }, () => []);
          const clients: LightClient[] = await connectMany(n, 20, (i) =>
            connectRealtimeLight({
              apiUrl: stack.apiUrl,
              apiKey: stack.anonKey,
              topic: 'bench:schedule',
              accessToken: token,
              isPrivate: true,
              onMessage: (_e, p) => {
                received[i][Number(p.seq)] = performance.now();
              },
            }),
          );
          await db.query('truncate public.bench_bookings');
          const commitAt: number[] = [];
          await commitLoop(db, commits, (seq, at) => (commitAt[seq] = at));
          await waitUntil(
            () => received.every((r) => r[commits - 1] !== undefined),
            10_000,
            'last delivery',
          ).catch(() => {});
          rows.push(latencyRow('ours: broadcast from database', n, commitAt, received, commits));
          clients.forEach((c) => c.close());
          log(`ours N=${n} done`);
        }
        // ── socket.io relay
        {
          const received: number[][] = Array.from({ length: n }, () => []);
          const clients = await connectMany(n, 20, (i) =>
            connectSocketIoLight({
              port: sio.info.port,
              room: 'clinic',
              onMessage: (_e, p) => {
                received[i][Number(p.seq)] = performance.now();
              },
            }),
          );
          const publisher = ioClient(`http://127.0.0.1:${sio.info.port}`, {
            transports: ['websocket'],
            query: { room: 'publisher' },
          });
          await new Promise<void>((r) => publisher.once('connect', () => r()));
          await db.query('truncate public.bench_bookings');
          const commitAt: number[] = [];
          await commitLoop(db, commits, (seq, at) => {
            commitAt[seq] = at;
            publisher.emit('relay', { room: 'clinic', event: 'booking', payload: { seq } });
          });
          await waitUntil(
            () => received.every((r) => r[commits - 1] !== undefined),
            10_000,
            'last delivery',
          ).catch(() => {});
          rows.push(latencyRow('socket.io relay after commit', n, commitAt, received, commits));
          publisher.close();
          clients.forEach((c) => c.close());
          log(`socket.io N=${n} done`);
        }
      }
      // ── polling every 30 s, both sizes in one window (staleness does not depend on N until the
      // database saturates, which the request counts show).
      const pollMs = 30_000;
      const windowMs = quick ? 31_000 : 61_000;
      const rest = benchClient(stack);
      for (const n of [100, 1000]) {
        await db.query('truncate public.bench_bookings');
        const commitAt = new Map<number, number>();
        const seen: number[] = [];
        let requests = 0;
        const end = performance.now() + windowMs;
        const pollers = Array.from({ length: n }, async () => {
          await sleep(Math.random() * pollMs);
          const seenByMe = new Set<number>();
          while (performance.now() < end) {
            // A poll is what a polling client really does: a REST read of the current schedule.
            const { data } = await rest.from('bench_bookings').select('seq');
            requests++;
            const now = performance.now();
            for (const { seq } of (data ?? []) as Array<{ seq: number }>) {
              if (!seenByMe.has(seq) && commitAt.has(seq)) {
                seenByMe.add(seq);
                seen.push(now - commitAt.get(seq)!);
              }
            }
            await sleep(pollMs);
          }
        });
        // Commits spread over the first poll period, so every client polls at least once after each.
        const writer = (async () => {
          for (let seq = 0; seq < 20; seq++) {
            await sleep(pollMs / 20);
            await db.query('insert into public.bench_bookings (seq) values ($1)', [seq]);
            commitAt.set(seq, performance.now());
          }
        })();
        await Promise.all([writer, ...pollers]);
        const s = summarize(seen);
        rows.push({
          system: 'polling every 30 s (staleness)',
          variant: `N=${n}`,
          metrics: {
            deliveries: s.count,
            missing: 20 * n - s.count,
            'p50 ms': s.p50,
            'p95 ms': s.p95,
            'p99 ms': s.p99,
            'max ms': s.max,
            'poll queries': requests,
          },
        });
        log(`polling N=${n} done`);
      }
      const ours1000 = rows.find((r) => r.system.startsWith('ours') && r.variant === 'N=1000');
      if (ours1000) {
        const p99 = Number(ours1000.metrics['p99 ms']);
        targets.push(
          `database broadcast commit→client p99 ≤ 50 ms at 1,000 subscribers, 50 commits/s: ${p99 <= 50 ? 'met' : 'MISSED'} (${p99} ms)`,
        );
      }
      for (const n of [100, 1000]) {
        const ours = rows.find((r) => r.system.startsWith('ours') && r.variant === `N=${n}`);
        const sock = rows.find((r) => r.system.startsWith('socket.io') && r.variant === `N=${n}`);
        const poll = rows.find((r) => r.system.startsWith('polling') && r.variant === `N=${n}`);
        if (ours && sock && poll) {
          const ratio = (a: ScenarioRow, b: ScenarioRow) =>
            (Number(a.metrics['p50 ms']) / Number(b.metrics['p50 ms'])).toFixed(2);
          targets.push(
            `N=${n}: p50 socket.io/ours = ${ratio(sock, ours)}×, polling/ours = ${ratio(poll, ours)}×`,
          );
        }
      }
      return {
        rows,
        targets,
        notes: [
          `${COMMITS_PER_SECOND} commits/s, ${commits} commits per run; subscribers are protocol-level clients (see bench/README.md)`,
        ],
      };
    } finally {
      await db.end();
      await sio.stop();
    }
  },
};
