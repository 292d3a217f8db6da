/**
 * Chaos: PostgreSQL stopped and started again under subscribed clients, on a stack of its own (the
 * shared one must keep its database).
 *
 * Each round stops Postgres (fast, smart, then immediate shutdown, in turn) while REST requests
 * keep coming, checks that the API answers the outage with 503 and stable codes (REST, Auth,
 * Realtime joins), starts Postgres again and checks that every client carries on by itself:
 * database broadcasts on the admin's private clinic schedule topic, Postgres Changes on
 * slot_holds, presence on the staff topic, and a client that tried to join during the outage.
 * Nobody reconnects or re-subscribes anything by hand.
 *
 * Before the fix the shutdown itself never finished (the walsenders waited for a confirmation the
 * replication client never sent): `shutdown()` rejects after its timeout and the test fails.
 */
import { createClient, type RealtimeChannel, type SupabaseClient } from '@supabase/supabase-js';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { REALTIME_EVENTS, topics } from '@/lib/domain/realtime';
import { startLocalStack, type LocalStack } from '../../supabase/local/stack';
import type { ShutdownMode } from '../../supabase/local/postgres';
import { createUser, createWorld, type TWorld } from '../integration/domain-fixtures';
import { EventLog, mintToken, realtimeClient, subscribe, withTimeout } from '../integration/realtime-helpers';

/** One round per shutdown mode, in this order, repeated when the scale is long. */
const MODES: ShutdownMode[] = ['fast', 'smart', 'immediate'];
const ROUNDS = process.env.CHAOS_SCALE === 'long' ? 4 * MODES.length : MODES.length;
/** A hang guard, not a speed check: the shutdown rejects (and kills Postgres) past this. */
const SHUTDOWN_TIMEOUT_MS = 20_000;
/** How long one change may take to arrive before the test commits another one. */
const CHANGE_WAIT_MS = 3_000;
/** Changes committed after a restart before giving up on a stream that never came back. */
const MAX_CHANGE_ATTEMPTS = 15;
const RECOVERY_WAIT_MS = 30_000;
const OUTAGE_MESSAGE = /database is not available/;

let stack: LocalStack;
let db: pg.Client | null = null;
let world: TWorld;
const clients: SupabaseClient[] = [];
let nextHoldMinute = 0;

interface THoldEvent {
  source: 'broadcast' | 'postgres_changes';
  holdId: string;
}

async function connectDb(): Promise<pg.Client> {
  if (db) return db;
  const client = new pg.Client({ connectionString: stack.dbUrl });
  // The server may end this session (the next shutdown): forget it then, reconnect on next use.
  client.on('error', () => {
    if (db === client) db = null;
  });
  await client.connect();
  db = client;
  return client;
}

async function dropDb(): Promise<void> {
  const client = db;
  db = null;
  await client?.end().catch(() => {});
}

function target() {
  return { apiUrl: stack.apiUrl, anonKey: stack.anonKey, jwtSecret: stack.jwtSecret };
}

async function tokenFor(userId: string): Promise<string> {
  return mintToken({ sub: userId, secret: stack.jwtSecret });
}

async function clientAs(userId: string): Promise<SupabaseClient> {
  const client = realtimeClient({ target: target(), token: await tokenFor(userId) });
  clients.push(client);
  return client;
}

/** One change that reaches both audiences: a hold (its trigger broadcasts, it is published). */
async function commitHold(): Promise<string> {
  const conn = await connectDb();
  const holder = await createUser(conn, world.clinicId, 'patient', `Holder ${nextHoldMinute}`);
  const offset = nextHoldMinute;
  nextHoldMinute += 60;
  const res = await conn.query<{ id: string }>(
    `insert into public.slot_holds (clinic_id, dentist_id, service_id, held_by, period, blocked_period, expires_at)
     select $1, $2, $3, $4, r, r, now() + interval '5 minutes'
       from (select tstzrange(now() + interval '2 days' + make_interval(mins => $5),
                              now() + interval '2 days' + make_interval(mins => $5 + 30)) as r) t
     returning id`,
    [world.clinicId, world.dentist.dentistId, world.checkupId, holder.userId, offset],
  );
  return res.rows[0].id;
}

/**
 * Commits changes until `log` receives one from `source`: after a restart the Postgres Changes
 * stream comes back on a fresh slot, and what was committed before it did is not replayed.
 */
async function commitUntilReceived(log: EventLog<THoldEvent>, source: THoldEvent['source']): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const holdId = await commitHold();
    try {
      await log.waitFor(
        (e) => e.source === source && e.holdId === holdId,
        `${source} for hold ${holdId}`,
        CHANGE_WAIT_MS,
      );
      return;
    } catch (err) {
      if (attempt >= MAX_CHANGE_ATTEMPTS) throw err;
    }
  }
}

async function waitUntilAccepting(): Promise<void> {
  const deadline = Date.now() + RECOVERY_WAIT_MS;
  for (;;) {
    try {
      await connectDb();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Keeps REST reads going (the "under load" part) until stopped; returns the statuses seen. */
function restLoad(rest: SupabaseClient): { stop: () => Promise<Set<number>> } {
  let running = true;
  const statuses = new Set<number>();
  const loop = async () => {
    while (running) {
      const res = await rest.from('clinics').select('id').limit(1).retry(false);
      statuses.add(res.status);
    }
  };
  const workers = [loop(), loop(), loop()];
  return {
    stop: async () => {
      running = false;
      await Promise.all(workers);
      return statuses;
    },
  };
}

beforeAll(async () => {
  stack = await startLocalStack({ apiPort: 0, dbPort: 0, seedFile: false });
  world = await createWorld(await connectDb());
}, 120_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.removeAllChannels()));
  await dropDb();
  await stack?.stop();
});

describe('Postgres stopped and restarted under subscribed clients', () => {
  it(`stops promptly, answers 503 meanwhile and every client carries on by itself (${ROUNDS} rounds)`, async () => {
    const holds = new EventLog<THoldEvent>();

    // The admin: database broadcasts on the clinic schedule and Postgres Changes on slot_holds.
    const admin = await clientAs(world.admin.userId);
    const schedule = admin
      .channel(topics.clinicSchedule(world.clinicId), { config: { private: true } })
      .on('broadcast', { event: REALTIME_EVENTS.holdChanged }, ({ payload }) => {
        const id = (payload as { id?: unknown }).id;
        if (typeof id === 'string') holds.push({ source: 'broadcast', holdId: id });
      });
    await subscribe(schedule);
    const changes = admin
      .channel(`holds-${randomUUID()}`)
      .on(
        'postgres_changes',
        { event: 'INSERT', schema: 'public', table: 'slot_holds', filter: `clinic_id=eq.${world.clinicId}` },
        (change) => holds.push({ source: 'postgres_changes', holdId: (change.new as { id: string }).id }),
      );
    await subscribe(changes);

    // Presence on the staff topic: the dentist watches the admin's state.
    const presenceOf = async (userId: string, key = userId): Promise<RealtimeChannel> => {
      const client = await clientAs(userId);
      return client.channel(topics.clinicStaff(world.clinicId), {
        config: { private: true, presence: { key } },
      });
    };
    const adminStaff = await presenceOf(world.admin.userId);
    const dentistStaff = await presenceOf(world.dentist.userId);
    const seen = new EventLog<string>();
    dentistStaff.on('presence', { event: 'sync' }, () => {
      for (const metas of Object.values(dentistStaff.presenceState()))
        for (const meta of metas as Array<{ round?: string }>) if (meta.round) seen.push(meta.round);
    });
    await subscribe(dentistStaff);
    await subscribe(adminStaff);
    await adminStaff.track({ round: 'before' });
    await seen.waitFor((r) => r === 'before', 'the admin presence before any outage');

    await commitUntilReceived(holds, 'broadcast');
    await commitUntilReceived(holds, 'postgres_changes');

    const adminRest = createClient(stack.apiUrl, stack.anonKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket } as never,
      global: { headers: { Authorization: `Bearer ${await tokenFor(world.admin.userId)}` } },
    });

    for (let round = 1; round <= ROUNDS; round++) {
      const mode = MODES[(round - 1) % MODES.length];
      await dropDb();
      const load = restLoad(adminRest);
      const { elapsedMs } = await stack.postgres.shutdown({ mode, timeoutMs: SHUTDOWN_TIMEOUT_MS });
      console.info(`[chaos] round ${round}: ${mode} shutdown took ${elapsedMs} ms`);
      expect(stack.postgres.running).toBe(false);
      const statuses = await load.stop();
      // Every request during the shutdown either succeeded or got the outage answer.
      for (const status of statuses) expect([200, 503]).toContain(status);

      // REST: 503, PostgREST's "cannot connect" code, a clear message.
      const read = await adminRest.from('clinics').select('id').retry(false);
      expect(read.status).toBe(503);
      expect(read.error?.code).toBe('PGRST000');
      expect(read.error?.message).toMatch(OUTAGE_MESSAGE);

      // Auth: 503 with its own stable code; auth-js makes it a retryable error, not a failed login.
      const signIn = await adminRest.auth.signInWithPassword({
        email: world.admin.email,
        password: 'irrelevant-1',
      });
      expect(signIn.error?.status).toBe(503);
      expect(signIn.error?.name).toBe('AuthRetryableFetchError');
      const raw = await fetch(`${stack.apiUrl}/auth/v1/token?grant_type=password`, {
        method: 'POST',
        headers: {
          apikey: stack.anonKey,
          'content-type': 'application/json',
          'x-supabase-api-version': '2024-01-01',
        },
        body: JSON.stringify({ email: world.admin.email, password: 'irrelevant-1' }),
      });
      expect(raw.status).toBe(503);
      expect(await raw.json()).toMatchObject({
        code: 'database_unavailable',
        message: expect.stringMatching(OUTAGE_MESSAGE),
      });

      // Realtime: a private join is refused with a stable code; realtime-js keeps retrying by itself.
      const late = await clientAs(world.admin.userId);
      const lateEvents = new EventLog<THoldEvent>();
      const lateStatuses = new EventLog<{ status: string; message: string }>();
      const lateSchedule = late
        .channel(topics.clinicSchedule(world.clinicId), { config: { private: true } })
        .on('broadcast', { event: REALTIME_EVENTS.holdChanged }, ({ payload }) => {
          const id = (payload as { id?: unknown }).id;
          if (typeof id === 'string') lateEvents.push({ source: 'broadcast', holdId: id });
        });
      lateSchedule.subscribe((status, err) => lateStatuses.push({ status, message: err?.message ?? '' }));
      const refused = await lateStatuses.waitFor(
        (s) => s.status === 'CHANNEL_ERROR',
        'the late join refused',
      );
      expect(refused.message).toMatch(/^UnableToConnectToProject: /);

      // Back up: nothing below reconnects or re-subscribes anything by hand.
      await stack.postgres.restart();
      await waitUntilAccepting();
      await withTimeout(
        lateStatuses.waitFor((s) => s.status === 'SUBSCRIBED', 'the late join', RECOVERY_WAIT_MS),
        'the late client to join by itself',
        RECOVERY_WAIT_MS,
      );
      await commitUntilReceived(holds, 'broadcast');
      await commitUntilReceived(holds, 'postgres_changes');
      await commitUntilReceived(lateEvents, 'broadcast');

      const after = await adminRest.from('clinics').select('id').eq('id', world.clinicId);
      expect(after.error).toBeNull();
      expect(after.data).toEqual([{ id: world.clinicId }]);

      // Presence: what was tracked before the outage is still there, and a new track is seen. A
      // channel per round: presence allows 5 calls per 30 s per channel, as on hosted.
      expect(seen.items).toContain('before');
      const roundStaff = await presenceOf(world.admin.userId, `${world.admin.userId}-${round}`);
      await subscribe(roundStaff);
      await roundStaff.track({ round: `after-${round}` });
      await seen.waitFor((r) => r === `after-${round}`, `the admin presence after round ${round}`);

      await late.removeAllChannels();
    }
  });
});
