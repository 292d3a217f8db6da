/**
 * Postgres Changes exactness under CPU starvation. Postgres streams a commit once its commit record is
 * flushed, a moment before the transaction becomes visible to new snapshots; an RLS re-check landing
 * in that moment finds no row. These tests pin that window open on purpose (synchronous replication
 * holding a commit back) and then run the RLS + filter matrix while busy-loop processes saturate every
 * core: every expected delivery must arrive, and nothing unexpected.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from '../../supabase/local/db';
import {
  createPostgresChangesEngine,
  type PgChangeBinding,
  type PostgresChangesEngine,
} from '../../supabase/local/realtime/postgres-changes';
import { stackInfo, withDb } from '../helpers/stack';

const LONG = process.env.CHAOS_SCALE === 'long';
/** Rows written in the stress run; each yields STRESS_EVENTS_PER_ROW expected deliveries. */
const STRESS_ROWS = LONG ? 8_000 : 1_500;
const STRESS_EVENTS_PER_ROW = 7;
const STRESS_USERS = 4;
/** Concurrent writer connections: commits interleave and race their own visibility. */
const STRESS_WRITERS = 8;
/** Rows per transaction cycle through these sizes, so batches mix single- and multi-row commits. */
const ROWS_PER_TX = [1, 1, 3, 1, 5] as const;
/**
 * Each writer pauses this long (times a random factor up to 2) between commits: the race needs an idle
 * engine that checks a commit the instant it is streamed, not one busy with a backlog.
 */
const WRITER_PAUSE_MS = 30;
/** Busy-loop processes per core. */
const HOGS_PER_CORE = 2;
/** Writer 0's commits are held invisible (see enableHeldCommits) for up to this long each. */
const MAX_HOLD_MS = 20;
const DELIVERY_TIMEOUT_MS = LONG ? 300_000 : 90_000;
const WAIT_POLL_MS = 20;
/** The long run writes for minutes; the default run fits the project's per-test timeout. */
const STRESS_TEST_TIMEOUT_MS = LONG ? 900_000 : undefined;

let pool: Pool;
let engine: PostgresChangesEngine;
const logs: string[] = [];

beforeAll(async () => {
  pool = createPool(stackInfo().dbUrl, 10);
  engine = createPostgresChangesEngine({ pool, dbUrl: stackInfo().dbUrl, log: (l) => logs.push(l) });
  await engine.start();
});

afterAll(async () => {
  await engine?.stop();
  await pool?.end();
});

const sql = (text: string, params: unknown[] = []) => withDb((db) => db.query(text, params));
const tag = () => `s-${randomUUID().slice(0, 8)}`;
const exp = () => Math.floor(Date.now() / 1000) + 3600;
const userClaims = (sub: string) => ({ sub, role: 'authenticated', exp: exp() });
const serviceClaims = () => ({ role: 'service_role', exp: exp() });

/** Polls `check` until it holds (an event, not a duration, ends the wait). */
async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, WAIT_POLL_MS));
  }
}

interface Delivery {
  ids: number[];
  data: { type: string; table: string; record?: Record<string, unknown> };
}

async function listen(bindings: PgChangeBinding[], claims: Record<string, unknown>) {
  const received: Delivery[] = [];
  const sub = await engine.subscribe(bindings, claims, (ids, data) =>
    received.push({ ids, data: data as Delivery['data'] }),
  );
  return { sub, received };
}

/**
 * A busy loop that also ends by itself once its parent is gone (signal 0 to it fails): a test
 * worker killed by a timeout or a signal runs no `exit` handler, and an orphaned loop would keep a
 * core busy for every later test on the machine.
 */
const BUSY_LOOP = `const parent = Number(process.argv[1]);
for (;;) {
  for (let i = 0; i < 1e7; i++);
  try {
    process.kill(parent, 0);
  } catch {
    process.exit(0);
  }
}`;

/** One busy-loop process per core; killed in `finally` and, as a last resort, when this process exits. */
function saturateCpu(): () => void {
  const hogs: ChildProcess[] = [];
  const killAll = () => {
    for (const h of hogs) if (h.exitCode === null && h.signalCode === null) h.kill('SIGKILL');
  };
  process.once('exit', killAll);
  for (let i = 0; i < os.cpus().length * HOGS_PER_CORE; i++)
    hogs.push(spawn(process.execPath, ['-e', BUSY_LOOP, String(process.pid)], { stdio: 'ignore' }));
  return () => {
    killAll();
    process.removeListener('exit', killAll);
  };
}

const NEVER_STANDBY = 'pgc_never_connects';

/**
 * Makes commits of sessions that `set synchronous_commit = on` wait for a standby that never comes:
 * their commit record is flushed (so the commit is streamed) while the transaction still counts as
 * running, i.e. invisible to new snapshots, until `pg_cancel_backend` ends the wait. Every other new
 * session commits locally as before (the server's command line sets synchronous_commit; a database
 * default overrides it). Returns the undo.
 */
async function enableHeldCommits(): Promise<() => Promise<void>> {
  await sql(
    `do $$ begin execute format('alter database %I set synchronous_commit = local', current_database()); end $$`,
  );
  await sql(`alter system set synchronous_standby_names = '${NEVER_STANDBY}'`);
  await sql('select pg_reload_conf()');
  await waitFor(
    async () =>
      (await sql('show synchronous_standby_names')).rows[0].synchronous_standby_names === NEVER_STANDBY,
    'the configuration reload',
  );
  return async () => {
    await sql('alter system reset synchronous_standby_names');
    await sql('select pg_reload_conf()');
    await sql(
      `do $$ begin execute format('alter database %I reset synchronous_commit', current_database()); end $$`,
    );
  };
}

describe('postgres changes: commits streamed before they are visible', () => {
  it('a commit held invisible (synchronous replication wait) is delivered once it becomes visible', async () => {
    const owner = randomUUID();
    const t = tag();
    const mine = await listen(
      [{ event: 'INSERT', schema: 'public', table: 'pgc_private', filter: `tag=eq.${t}` }],
      userClaims(owner),
    );
    const later = await listen(
      [{ event: 'INSERT', schema: 'public', table: 'pgc_items', filter: `tag=eq.${t}` }],
      serviceClaims(),
    );
    let held: pg.Client | undefined;
    const restore = await enableHeldCommits();
    try {
      held = new pg.Client({ connectionString: stackInfo().dbUrl });
      await held.connect();
      const heldPid = (await held.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0].pid;
      await held.query('set synchronous_commit = on');
      const waitsBefore = engine.metrics().visibilityWaits ?? 0;
      const insert = held.query('insert into public.pgc_private (owner, tag, note) values ($1, $2, $3)', [
        owner,
        t,
        'held back',
      ]);
      await waitFor(
        async () =>
          (await sql('select wait_event from pg_stat_activity where pid = $1', [heldPid])).rows[0]
            ?.wait_event === 'SyncRep',
        'the held commit to wait for its standby',
      );
      // A later commit: once the engine has judged the held one it moves on to this one.
      await sql('insert into public.pgc_items (tag, title) values ($1, $2)', [t, 'later']);
      await waitFor(
        () => (engine.metrics().visibilityWaits ?? 0) > waitsBefore || later.received.length > 0,
        'the engine to look at the held commit',
      );
      // Cancelling the wait lets the commit finish locally: it leaves the proc array, becomes visible.
      await sql('select pg_cancel_backend($1)', [heldPid]);
      await insert;
      await waitFor(
        () => mine.received.length > 0,
        `the held row to be delivered (engine ${JSON.stringify(engine.metrics())}, log ${logs.join('')})`,
        15_000,
      );
      expect(mine.received.map((d) => d.data.record?.note)).toEqual(['held back']);
      await waitFor(() => later.received.length > 0, 'the later row');
    } finally {
      await restore();
      await held?.end().catch(() => undefined);
      mine.sub.close();
      later.sub.close();
    }
  });
});

describe('postgres changes: RLS + filter matrix with every core saturated', () => {
  it(
    `delivers all ${STRESS_ROWS * STRESS_EVENTS_PER_ROW} expected events, and nothing else`,
    async () => {
      const t = tag();
      const users = Array.from({ length: STRESS_USERS }, () => randomUUID());
      const b = {
        insert: { event: 'INSERT', schema: 'public', table: 'pgc_stress', filter: `tag=eq.${t}` },
        // Typed comparisons go to Postgres; the second never matches (n >= 0).
        typed: { event: 'INSERT', schema: 'public', table: 'pgc_stress', filter: `tag=eq.${t},n=gte.0` },
        never: { event: 'INSERT', schema: 'public', table: 'pgc_stress', filter: `tag=eq.${t},n=lt.0` },
        update: { event: 'UPDATE', schema: 'public', table: 'pgc_stress', filter: `tag=eq.${t}` },
        all: { event: '*', schema: 'public', table: 'pgc_stress', filter: `tag=eq.${t}` },
      } satisfies Record<string, PgChangeBinding>;
      const id = (binding: PgChangeBinding) => engine.bindingId(binding);
      const perUser = await Promise.all(
        users.map((u) => listen([b.insert, b.typed, b.never, b.update], userClaims(u))),
      );
      // A second subscriber per user with the same claims: one RLS check serves both.
      const perUserAll = await Promise.all(users.map((u) => listen([b.all], userClaims(u))));
      const service = await listen([b.insert, b.update], serviceClaims());

      // Row n belongs to users[n % users]; n is also written to the row, so deliveries map back to it.
      const expected = new Map<string, number>();
      const expect1 = (who: string, binding: PgChangeBinding, n: number) =>
        expected.set(`${who}|${id(binding)}|${n}`, 0);
      for (let n = 0; n < STRESS_ROWS; n++) {
        const owner = `u${n % STRESS_USERS}`;
        expect1(owner, b.insert, n);
        expect1(owner, b.typed, n);
        expect1(owner, b.update, n);
        expect1(`${owner}*`, b.all, n);
        expect1(`${owner}*`, b.all, -n - 1);
        expect1('service', b.insert, n);
        expect1('service', b.update, n);
      }
      expect(expected.size).toBe(STRESS_ROWS * STRESS_EVENTS_PER_ROW);

      const restore = await enableHeldCommits();
      const release = saturateCpu();
      const writers: pg.Client[] = [];
      let writing = true;
      try {
        for (let w = 0; w < STRESS_WRITERS; w++) {
          const c = new pg.Client({ connectionString: stackInfo().dbUrl });
          await c.connect();
          writers.push(c);
        }
        // Writer 0's commits are streamed while still invisible; this loop ends each wait after a while.
        const heldPid = (await writers[0].query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]
          .pid;
        await writers[0].query('set synchronous_commit = on');
        const isHeld = async () =>
          (
            await sql('select 1 from pg_stat_activity where pid = $1 and wait_event = $2', [
              heldPid,
              'SyncRep',
            ])
          ).rowCount === 1;
        const releaser = (async () => {
          while (writing) {
            if (await isHeld()) {
              await new Promise((r) => setTimeout(r, MAX_HOLD_MS * Math.random()));
              await sql('select pg_cancel_backend($1)', [heldPid]);
            } else await new Promise((r) => setTimeout(r, 1));
          }
        })();
        let next = 0;
        const pause = () => new Promise((r) => setTimeout(r, WRITER_PAUSE_MS * Math.random() * 2));
        await Promise.all(
          writers.map(async (c, w) => {
            for (let step = w; next < STRESS_ROWS; step++) {
              const size = ROWS_PER_TX[step % ROWS_PER_TX.length];
              const ns = Array.from({ length: Math.min(size, STRESS_ROWS - next) }, () => next++);
              if (!ns.length) break;
              await c.query(
                `insert into public.pgc_stress (owner, tag, n)
               select ($1::uuid[])[n % ${STRESS_USERS} + 1], $2, n from unnest($3::int[]) n`,
                [users, t, ns],
              );
              await pause();
              await c.query(`update public.pgc_stress set note = 'updated' where tag = $1 and n = any($2)`, [
                t,
                ns,
              ]);
              await pause();
            }
          }),
        ).finally(() => (writing = false));
        await releaser;

        const unexpected: string[] = [];
        const count = () => {
          let got = 0;
          for (const v of expected.values()) if (v > 0) got++;
          return got;
        };
        const tally = () => {
          expected.forEach((_, k) => expected.set(k, 0));
          unexpected.length = 0;
          const add = (who: string, deliveries: Delivery[]) => {
            for (const d of deliveries)
              for (const bid of d.ids) {
                const k = `${who}|${bid}|${String(d.data.record?.n)}`;
                const seen = expected.get(k);
                if (seen === undefined) unexpected.push(k);
                else expected.set(k, seen + 1);
              }
          };
          perUser.forEach((p, i) => add(`u${i}`, p.received));
          perUserAll.forEach((p, i) =>
            add(
              `u${i}*`,
              // One binding sees both events of a row: the UPDATE counts as row -n-1.
              p.received.map((d) =>
                d.data.type === 'UPDATE'
                  ? { ...d, data: { ...d.data, record: { n: -Number(d.data.record?.n) - 1 } } }
                  : d,
              ),
            ),
          );
          add('service', service.received);
        };
        await waitFor(
          () => {
            tally();
            return count() === expected.size;
          },
          'every expected delivery',
          DELIVERY_TIMEOUT_MS,
        ).catch(() => undefined);
        tally();
        const missing = [...expected].filter(([, v]) => v === 0).map(([k]) => k);
        const duplicated = [...expected].filter(([, v]) => v > 1).map(([k]) => k);
        const m = engine.metrics();
        console.info(
          `pg-changes stress: ${expected.size} expected, ${missing.length} missing, ${duplicated.length} duplicated, ` +
            `${unexpected.length} unexpected; visibility waits ${m.visibilityWaits}`,
        );
        expect({ missing: missing.slice(0, 10), missingCount: missing.length }).toEqual({
          missing: [],
          missingCount: 0,
        });
        expect(duplicated).toEqual([]);
        expect(unexpected).toEqual([]);
        expect(m).toMatchObject({ skippedRowGone: 0, skippedNotVisible: 0, skippedTableGone: 0, errors: 0 });
      } finally {
        writing = false;
        release();
        await restore();
        await Promise.all(writers.map((c) => c.end().catch(() => undefined)));
        for (const p of [...perUser, ...perUserAll, service]) p.sub.close();
      }
    },
    STRESS_TEST_TIMEOUT_MS,
  );
});
