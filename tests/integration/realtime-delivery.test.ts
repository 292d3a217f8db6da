/**
 * Delivery guarantees and budgets on a stack of its own (its own Postgres with the realtime test
 * fixtures, no app migrations), because some tests hold the broadcast replication slot or spend the
 * server-wide message budget:
 *  - realtime.send_binary() reaches vsn 2 sockets as bytes, live and by replay;
 *  - a replayed message that also arrives live afterwards is delivered once;
 *  - malformed frames count against the per-socket message budget;
 *  - fan-out deliveries count against the server-wide message budget (as hosted);
 *  - a membership change notified on `realtime_reauthorize_user` re-checks and closes private channels.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startLocalStack, type LocalStack } from '../../supabase/local/stack';
import {
  EventLog,
  mintToken,
  realtimeClient,
  subscribe,
  uniqueTopic,
  withTimeout,
  type TestTarget,
  type Vsn,
} from './realtime-helpers';

const LIMITS = {
  maxMessagesPerSecondPerSocket: 20,
  // Small enough that one REST batch fanned out to a handful of sockets spends it.
  maxMessagesPerSecond: 60,
  replicationSlot: 'rt_delivery_slot',
};
const FIXTURES_DIR = path.join(__dirname, 'fixtures');
/** The stream resumes with back-off after the slot was held; allow for a few seconds of it. */
const RESUME_TIMEOUT_MS = 20_000;

type Received = { event: string; payload: unknown; meta?: Record<string, unknown> };
type SystemMessage = { extension: string; status: string; message: string };

let stack: LocalStack;
let target: TestTarget;
let migrationsDir: string;

beforeAll(async () => {
  migrationsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-delivery-migrations-'));
  const fixtures = fs
    .readdirSync(FIXTURES_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => path.join(FIXTURES_DIR, f));
  stack = await startLocalStack({
    apiPort: 0,
    dbPort: 0,
    seedFile: false,
    migrationsDir,
    extraSqlFiles: fixtures,
    realtime: LIMITS,
  });
  target = { apiUrl: stack.apiUrl, anonKey: stack.anonKey, jwtSecret: stack.jwtSecret };
}, 90_000);

afterAll(async () => {
  await stack?.stop();
  fs.rmSync(migrationsDir, { recursive: true, force: true });
});

const clients: SupabaseClient[] = [];
function client(opts: { vsn?: Vsn; token?: string } = {}): SupabaseClient {
  const c = realtimeClient({ ...opts, target });
  clients.push(c);
  return c;
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.removeAllChannels()));
});

const token = (sub?: string) => mintToken({ sub, secret: stack.jwtSecret });

async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const db = new pg.Client({ connectionString: stack.dbUrl });
  await db.connect();
  try {
    return (await db.query<T>(text, values)).rows;
  } finally {
    await db.end();
  }
}

/**
 * Takes the broadcast replication slot away from the stack: its stream is ended and this test's own
 * replication connection holds the slot, so commits made meanwhile reach the stack only after
 * `release()` (the stack then resumes from where it acknowledged). Deterministically "late" live
 * delivery, without touching the server.
 */
async function holdReplicationSlot(): Promise<{ release: () => void }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    await sql(
      `select pg_terminate_backend(active_pid) from pg_replication_slots
        where slot_name = $1 and active_pid is not null`,
      [LIMITS.replicationSlot],
    );
    const repl = new pg.Client({ connectionString: stack.dbUrl, replication: 'database' } as pg.ClientConfig);
    repl.on('error', () => {});
    await repl.connect();
    const connection = (
      repl as unknown as { connection: NodeJS.EventEmitter & { stream: { destroy(): void } } }
    ).connection;
    const outcome = await new Promise<'held' | 'busy'>((resolve) => {
      connection.once('replicationStart', () => resolve('held'));
      repl
        .query(
          `START_REPLICATION SLOT "${LIMITS.replicationSlot}" LOGICAL 0/0 ` +
            `(proto_version '1', publication_names 'supabase_realtime_messages_publication')`,
        )
        .catch(() => resolve('busy'));
    });
    if (outcome === 'held') return { release: () => connection.stream.destroy() };
    connection.stream.destroy();
  }
  throw new Error('could not take the replication slot');
}

describe('realtime.send_binary', () => {
  it('reaches vsn 2 subscribers as bytes with the message id in meta, and is replayed as bytes', async () => {
    const topic = uniqueTopic('rt-test:open:');
    const live = new EventLog<Received>();
    await subscribe(
      client({ vsn: '2.0.0', token: await token() })
        .channel(topic, { config: { private: true } })
        .on('broadcast', { event: 'blob' }, live.push),
    );
    await sql(`select realtime.send_binary('\\x0102fa'::bytea, 'blob', $1, true)`, [topic]);
    const m = await live.waitFor(() => true, 'binary broadcast from the database');
    expect(m.payload).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(m.payload as ArrayBuffer)]).toEqual([1, 2, 250]);
    const [row] = await sql<{ id: string }>(`select id from realtime.messages where topic = $1`, [topic]);
    expect(m.meta).toEqual({ id: row.id });

    const replayed = new EventLog<Received>();
    await subscribe(
      client({ vsn: '2.0.0', token: await token() })
        .channel(topic, {
          config: { private: true, broadcast: { replay: { since: Date.now() - 60_000 } } },
        })
        .on('broadcast', { event: 'blob' }, replayed.push),
    );
    const r = await replayed.waitFor(() => true, 'replayed binary broadcast');
    expect([...new Uint8Array(r.payload as ArrayBuffer)]).toEqual([1, 2, 250]);
    expect(r.meta).toEqual({ replayed: true, id: row.id });
  });

  it('has hosted’s signature, and a failure is a warning that never aborts the caller', async () => {
    const [fn] = await sql<{ args: string }>(
      `select pg_get_function_arguments('realtime.send_binary(bytea, text, text, boolean)'::regprocedure) as args`,
    );
    expect(fn.args).toBe('payload bytea, event text, topic text, private boolean DEFAULT true');
    // A NULL topic violates realtime.messages' NOT NULL: the insert fails, the statement does not.
    const event = uniqueTopic('failed-');
    await expect(
      sql(`select realtime.send_binary('\\x01'::bytea, $1, null, true)`, [event]),
    ).resolves.toHaveLength(1);
    expect(await sql(`select 1 from realtime.messages where event = $1`, [event])).toHaveLength(0);
  });
});

describe('replay', () => {
  it('delivers a replayed message once even when its live copy arrives after the join', async () => {
    const topic = uniqueTopic('rt-test:open:');
    const slot = await holdReplicationSlot();
    let isReleased = false;
    try {
      await sql(`select realtime.send(jsonb_build_object('n', 1), 'note', $1, true)`, [topic]);
      const log = new EventLog<Received>();
      await subscribe(
        client({ token: await token() })
          .channel(topic, {
            config: { private: true, broadcast: { replay: { since: Date.now() - 60_000 } } },
          })
          .on('broadcast', { event: 'note' }, log.push),
      );
      await log.waitFor((m) => m.meta?.replayed === true, 'the replayed message');
      slot.release();
      isReleased = true;
      // Committed after n = 1: once it arrives, n = 1's live copy has been through the server too.
      await sql(`select realtime.send(jsonb_build_object('n', 2), 'note', $1, true)`, [topic]);
      await log.waitFor(
        (m) => (m.payload as { n?: number }).n === 2,
        'the next live message',
        RESUME_TIMEOUT_MS,
      );
      expect(log.items.map((m) => (m.payload as { n: number }).n)).toEqual([1, 2]);
    } finally {
      if (!isReleased) slot.release();
    }
  });
});

describe('per-socket message budget', () => {
  it('counts malformed frames, so a socket sending garbage is rate limited', async () => {
    const ws = new WebSocket(
      `${stack.apiUrl.replace(/^http/, 'ws')}/realtime/v1/websocket?apikey=${stack.anonKey}&vsn=2.0.0`,
    );
    try {
      const frames = new EventLog<unknown[]>();
      ws.on('message', (d: Buffer, isBinary: boolean) => {
        if (!isBinary) frames.push(JSON.parse(d.toString()) as unknown[]);
      });
      await withTimeout(new Promise((resolve) => ws.once('open', resolve)), 'open');
      const topic = `realtime:${uniqueTopic('rt-test:garbage:')}`;
      ws.send(JSON.stringify(['1', '1', topic, 'phx_join', { config: { broadcast: { ack: true } } }]));
      await frames.waitFor((f) => f[1] === '1' && f[3] === 'phx_reply', 'join reply');
      for (let i = 0; i < LIMITS.maxMessagesPerSecondPerSocket + 5; i++)
        ws.send('this is not a phoenix message');
      ws.send(JSON.stringify(['1', '2', topic, 'broadcast', { type: 'broadcast', event: 'e', payload: {} }]));
      const shutdown = await frames.waitFor((f) => f[2] === topic && f[3] === 'system', 'system message');
      expect(shutdown[4]).toMatchObject({ status: 'error', message: 'Too many messages per second' });
      await frames.waitFor((f) => f[2] === topic && f[3] === 'phx_close', 'phx_close');
      expect(frames.items.some((f) => f[1] === '2')).toBe(false);
    } finally {
      ws.close();
    }
  });
});

describe('re-authorization on membership change', () => {
  it('closes the joined private channels a user may no longer read, and keeps the others', async () => {
    const userId = randomUUID();
    const room = uniqueTopic('room-');
    const kept = uniqueTopic('kept-');
    await sql(`insert into rt_test.members (user_id, room) values ($1, $2), ($1, $3)`, [userId, room, kept]);
    const c = client({ token: await token(userId) });
    const revoked = c.channel(`rt-test:member:${room}`, { config: { private: true } });
    const stays = c.channel(`rt-test:member:${kept}`, {
      config: { private: true, broadcast: { self: true, ack: true } },
    });
    const system = new EventLog<SystemMessage>();
    const status = new EventLog<string>();
    revoked.on('system', {}, system.push);
    revoked.subscribe((s) => status.push(s));
    await status.waitFor((s) => s === 'SUBSCRIBED', 'SUBSCRIBED');
    await subscribe(stays);
    const metricsBefore = await reauthorizations();

    await sql(`delete from rt_test.members where user_id = $1 and room = $2`, [userId, room]);
    await sql(`select pg_notify('realtime_reauthorize_user', $1)`, [userId]);

    expect(await system.waitFor((m) => m.status === 'error', 'shutdown message')).toMatchObject({
      extension: 'system',
      message: `You no longer have permission to read from this Channel topic: rt-test:member:${room}`,
    });
    await status.waitFor((s) => s === 'CLOSED', 'CLOSED');
    expect(await reauthorizations()).toBeGreaterThanOrEqual(metricsBefore + 2);
    // The other channel passed the re-check and still sends and receives.
    const echo = new EventLog<Received>();
    stays.on('broadcast', { event: 'still' }, echo.push);
    expect(await stays.send({ type: 'broadcast', event: 'still', payload: {} })).toBe('ok');
    await echo.waitFor(() => true, 'own broadcast after the re-check');
  });

  it('ignores notifications for users without joined private channels, and malformed payloads', async () => {
    const before = await reauthorizations();
    await sql(`select pg_notify('realtime_reauthorize_user', $1)`, [randomUUID()]);
    await sql(`select pg_notify('realtime_reauthorize_user', '')`);
    // A follow-up the server must still process proves it survived both.
    const userId = randomUUID();
    const room = uniqueTopic('room-');
    await sql(`insert into rt_test.members (user_id, room) values ($1, $2)`, [userId, room]);
    await subscribe(
      client({ token: await token(userId) }).channel(`rt-test:member:${room}`, { config: { private: true } }),
    );
    await sql(`select pg_notify('realtime_reauthorize_user', $1)`, [userId]);
    await withTimeout(
      (async () => {
        while ((await reauthorizations()) < before + 1) await new Promise((r) => setImmediate(r));
      })(),
      'the re-check of the joined channel',
    );
    expect(await reauthorizations()).toBe(before + 1);
  });
});

async function reauthorizations(): Promise<number> {
  const res = await fetch(`${stack.apiUrl}/realtime/v1/api/metrics`, {
    headers: { apikey: stack.serviceRoleKey },
  });
  return ((await res.json()) as { reauthorizations: number }).reauthorizations;
}

// Last: it spends the server-wide budget for the current second.
describe('server-wide message budget', () => {
  it('counts fan-out deliveries, as hosted does: a REST batch to many subscribers runs out of it', async () => {
    const topic = uniqueTopic('rt-test:fanout:');
    const subscribers = 20;
    const received = new EventLog<number>();
    for (let i = 0; i < subscribers; i++)
      await subscribe(
        client()
          .channel(topic)
          .on('broadcast', { event: 'tick' }, () => received.push(i)),
      );
    // Four messages to 20 subscribers: 4 + 80 = 84 > 60 counted; only 4 if fan-out were not counted.
    const res = await fetch(`${stack.apiUrl}/realtime/v1/api/broadcast`, {
      method: 'POST',
      headers: {
        apikey: stack.serviceRoleKey,
        authorization: `Bearer ${stack.serviceRoleKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        messages: [1, 2, 3, 4].map((n) => ({ topic, event: 'tick', payload: { n } })),
      }),
    });
    expect(res.status).toBe(429);
    expect(await res.json()).toEqual({ message: 'Too many messages per second' });
    // The deliveries that were under way were not cut short: every subscriber got the first message.
    await received.waitFor(() => received.items.length >= subscribers, 'first message everywhere');
  });
});
