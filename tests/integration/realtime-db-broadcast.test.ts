/**
 * The database-broadcast stream owns its replication slot: it exists while streaming, is gone after
 * stop (no WAL retained), and a restart does not replay what was committed while stopped. Runs a
 * second stream with its own slot against the shared test database.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseBroadcast } from '../../supabase/local/realtime/db-broadcast';
import { MessagesJanitor, PARTITION_DAYS_AHEAD } from '../../supabase/local/realtime/janitor';
import type { DatabaseMessage } from '../../supabase/local/realtime/server';
import { stackInfo } from '../helpers/stack';
import { EventLog } from './realtime-helpers';

const SLOT = `rt_test_slot_${randomUUID().slice(0, 8)}`;
let pool: pg.Pool;

beforeAll(() => {
  pool = new pg.Pool({ connectionString: stackInfo().dbUrl, max: 3 });
});
afterAll(async () => {
  await pool.end();
});

async function slotExists(): Promise<boolean> {
  const res = await pool.query('select 1 from pg_replication_slots where slot_name = $1', [SLOT]);
  return res.rowCount === 1;
}

async function send(topic: string, n: number): Promise<void> {
  await pool.query(`select realtime.send(jsonb_build_object('n', $2::int), 'ev', $1, true)`, [topic, n]);
}

describe('database broadcast stream', () => {
  it('streams committed messages with their commit time, drops its slot on stop and does not replay after a restart', async () => {
    const topic = `rt-test:stream:${randomUUID().slice(0, 8)}`;
    const received = new EventLog<{ message: DatabaseMessage; commitTimeMs: number | null }>();
    const stream = () =>
      new DatabaseBroadcast({
        pool,
        dbUrl: stackInfo().dbUrl,
        slot: SLOT,
        log: () => {},
        deliver: (message, commitTimeMs) =>
          message.topic === topic && received.push({ message, commitTimeMs }),
      });

    const first = stream();
    await first.start();
    expect(await slotExists()).toBe(true);
    const before = Date.now();
    await send(topic, 1);
    const one = await received.waitFor(
      (r) => r.message.payload !== undefined && (r.message.payload as { n: number }).n === 1,
      'message 1',
    );
    expect(one.message).toMatchObject({ topic, event: 'ev', isPrivate: true, id: expect.any(String) });
    expect(one.commitTimeMs).toBeGreaterThanOrEqual(before - 1_000);
    await first.stop();
    expect(await slotExists()).toBe(false);

    await send(topic, 2); // committed while no stream runs: must not be replayed

    const second = stream();
    await second.start();
    await send(topic, 3);
    await received.waitFor((r) => (r.message.payload as { n: number }).n === 3, 'message 3');
    await second.stop();
    expect(received.items.map((r) => (r.message.payload as { n: number }).n)).toEqual([1, 3]);
    expect(await slotExists()).toBe(false);
  });
});

describe('realtime.messages janitor', () => {
  it('creates partitions up to a few days ahead and drops partitions past the retention', async () => {
    await pool.query(
      `create table if not exists realtime.messages_2001_01_01 partition of realtime.messages
         for values from ('2001-01-01') to ('2001-01-02')`,
    );
    const janitor = new MessagesJanitor(pool, 60_000, 3, () => {});
    const { dropped } = await janitor.runOnce();
    expect(dropped).toBeGreaterThanOrEqual(1);
    const res = await pool.query<{ relname: string }>(
      `select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = 'realtime.messages'::regclass order by 1`,
    );
    const names = res.rows.map((r) => r.relname);
    expect(names).not.toContain('messages_2001_01_01');
    const ahead = await pool.query<{ name: string }>(
      `select 'messages_' || to_char(current_date + $1::int, 'YYYY_MM_DD') as name`,
      [PARTITION_DAYS_AHEAD],
    );
    expect(names).toContain(ahead.rows[0].name);
  });
});
