/**
 * Private channels authorized by RLS on realtime.messages (fixture policies on `rt-test:` topics),
 * broadcast from the database, token refresh and token expiry — through supabase-js.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterEach, describe, expect, it } from 'vitest';
import { stackInfo, withDb } from '../helpers/stack';
import {
  EventLog,
  joinError,
  mintToken,
  realtimeClient,
  subscribe,
  uniqueTopic,
  VSNS,
  withTimeout,
} from './realtime-helpers';

type Received = { event: string; payload: Record<string, unknown>; meta?: Record<string, unknown> };
type SystemMessage = { extension: string; status: string; message: string; channel: string };

const clients: SupabaseClient[] = [];
function track(c: SupabaseClient): SupabaseClient {
  clients.push(c);
  return c;
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.removeAllChannels()));
});

describe('joining private channels', () => {
  it.each([
    ['rt-test:open:', true],
    ['rt-test:readonly:', true],
    ['rt-test:broadcast-only:', true],
    ['rt-test:denied:', false],
  ])('a user joining %s is allowed=%s by the read policy', async (prefix, allowed) => {
    const topic = uniqueTopic(prefix);
    const client = track(realtimeClient({ token: await mintToken() }));
    const channel = client.channel(topic, { config: { private: true } });
    if (allowed) {
      await expect(subscribe(channel)).resolves.toBe(channel);
    } else {
      const err = await joinError(client, channel);
      expect(err.message).toBe(
        `Unauthorized: You do not have permissions to read from this Channel topic: ${topic}`,
      );
    }
  });

  it('the anon key cannot join a private topic that only authenticated users may read', async () => {
    const topic = uniqueTopic('rt-test:open:');
    const client = track(realtimeClient());
    const err = await joinError(client, client.channel(topic, { config: { private: true } }));
    expect(err.message).toMatch(/^Unauthorized: /);
  });

  it.each([
    ['expired', { expiresInSeconds: -30 }, /^InvalidJWTToken: Token has expired \d+ seconds ago$/],
    [
      'missing role',
      { omit: ['role' as const] },
      /^InvalidJWTToken: Fields `role` and `exp` are required in JWT$/,
    ],
    [
      'wrong secret',
      { secret: 'another-secret-that-is-at-least-32-characters' },
      /^JwtSignatureError: Failed to validate JWT signature$/,
    ],
  ])('a join with a token that is %s fails with the hosted reason', async (_case, opts, reason) => {
    const client = track(realtimeClient({ token: await mintToken(opts) }));
    const err = await joinError(client, client.channel(uniqueTopic('rt-test:open:')));
    expect(err.message).toMatch(reason);
  });
});

describe('writing to private channels', () => {
  it('drops broadcasts from users without write permission (no ack)', async () => {
    const topic = uniqueTopic('rt-test:readonly:');
    const client = track(realtimeClient({ token: await mintToken() }));
    const channel = client.channel(topic, {
      config: { private: true, broadcast: { ack: true, self: true } },
    });
    await subscribe(channel);
    expect(await channel.send({ type: 'broadcast', event: 'nope', payload: {} }, { timeout: 1_000 })).toBe(
      'timed out',
    );
  });

  it('httpSend() to a private topic without write permission rejects with Unauthorized (403)', async () => {
    const client = track(realtimeClient({ token: await mintToken() }));
    const channel = client.channel(uniqueTopic('rt-test:readonly:'), { config: { private: true } });
    await expect(channel.httpSend('nope', { a: 1 })).rejects.toThrow('Unauthorized');
  });

  it('the REST batch skips unauthorized private messages and delivers the rest', async () => {
    const token = await mintToken();
    const readonlyTopic = uniqueTopic('rt-test:readonly:');
    const openTopic = uniqueTopic('rt-test:open:');
    const receiver = track(realtimeClient({ token }));
    const log = new EventLog<Received>();
    await subscribe(
      receiver
        .channel(readonlyTopic, { config: { private: true } })
        .on('broadcast', { event: '*' }, log.push),
    );
    await subscribe(
      receiver.channel(openTopic, { config: { private: true } }).on('broadcast', { event: '*' }, log.push),
    );

    const { apiUrl, anonKey } = stackInfo();
    const res = await fetch(`${apiUrl}/realtime/v1/api/broadcast`, {
      method: 'POST',
      headers: { apikey: anonKey, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        messages: [
          { topic: readonlyTopic, event: 'skipped', payload: {}, private: true },
          { topic: openTopic, event: 'delivered', payload: {}, private: true },
        ],
      }),
    });
    expect(res.status).toBe(202);
    await log.waitFor((m) => m.event === 'delivered', 'authorized batch message');
    expect(log.items.map((m) => m.event)).toEqual(['delivered']);
  });

  it('tracks presence on a private channel the user may write', async () => {
    const topic = uniqueTopic('rt-test:open:');
    const client = track(realtimeClient({ token: await mintToken() }));
    const channel = client.channel(topic, { config: { private: true, presence: { key: 'me' } } });
    const synced = new EventLog<Record<string, unknown>>();
    channel.on('presence', { event: 'sync' }, () => synced.push(channel.presenceState()));
    await subscribe(channel);
    expect(await channel.track({ online: true })).toBe('ok');
    await synced.waitFor((s) => 'me' in s, 'own presence');
  });

  it('refuses presence tracking where the policy only allows broadcast', async () => {
    const topic = uniqueTopic('rt-test:broadcast-only:');
    const client = track(realtimeClient({ token: await mintToken() }));
    const channel = client.channel(topic, { config: { private: true } });
    await subscribe(channel);
    expect(await channel.track({ online: true })).toBe('error');
  });
});

describe.each(VSNS)('broadcast from the database over vsn %s', (vsn) => {
  it('delivers realtime.send and broadcast_changes to private subscribers with meta.id', async () => {
    const room = uniqueTopic('');
    const topic = `rt-test:open:${room}`;
    const client = track(realtimeClient({ vsn, token: await mintToken() }));
    const log = new EventLog<Received>();
    await subscribe(
      client.channel(topic, { config: { private: true } }).on('broadcast', { event: '*' }, log.push),
    );
    const publicLog = new EventLog<Received>();
    const publicClient = track(realtimeClient({ vsn }));
    await subscribe(publicClient.channel(topic).on('broadcast', { event: '*' }, publicLog.push));

    await withDb(async (db) => {
      await db.query(`insert into rt_test.notes (room, body) values ($1, 'hello')`, [room]);
      await db.query(`select realtime.send(jsonb_build_object('kind', 'direct'), 'direct', $1, true)`, [
        topic,
      ]);
      await db.query(`select realtime.send(jsonb_build_object('kind', 'public'), 'public', $1, false)`, [
        topic,
      ]);
    });

    const change = await log.waitFor((m) => m.event === 'INSERT', 'broadcast_changes INSERT');
    expect(change.payload).toMatchObject({
      operation: 'INSERT',
      schema: 'rt_test',
      table: 'notes',
      record: { room, body: 'hello' },
      old_record: null,
    });
    expect(change.meta?.id).toEqual(change.payload.id);
    const direct = await log.waitFor((m) => m.event === 'direct', 'realtime.send');
    expect(direct.payload).toMatchObject({ kind: 'direct' });
    expect(direct.meta).toEqual({ id: direct.payload.id });
    // The private = false message goes to the public topic of the same name only.
    await publicLog.waitFor((m) => m.event === 'public', 'public database broadcast');
    expect(publicLog.items.map((m) => m.event)).toEqual(['public']);
    expect(log.items.map((m) => m.event)).toEqual(['INSERT', 'direct']);
  });
});

describe('tokens on joined channels', () => {
  it('closes the channel with a system error when its token expires', async () => {
    const client = track(realtimeClient({ token: await mintToken({ expiresInSeconds: 2 }) }));
    const channel = client.channel(uniqueTopic('rt-test:open:'), { config: { private: true } });
    const system = new EventLog<SystemMessage>();
    channel.on('system', {}, system.push);
    const closed = new Promise<void>((resolve) =>
      channel.subscribe((status) => status === 'CLOSED' && resolve()),
    );
    const error = await system.waitFor((m) => m.status === 'error', 'expiry system message');
    expect(error).toMatchObject({ extension: 'system', status: 'error', channel: channel.subTopic });
    expect(error.message).toMatch(/^Token has expired \d+ seconds ago$/);
    await withTimeout(closed, 'CLOSED after expiry');
  });

  it('re-evaluates private read permission when the token changes', async () => {
    const userA = crypto.randomUUID();
    const topic = `rt-test:user:${userA}`;
    const client = track(realtimeClient({ token: await mintToken({ sub: userA }) }));
    const channel = client.channel(topic, { config: { private: true } });
    const system = new EventLog<SystemMessage>();
    channel.on('system', {}, system.push);
    await subscribe(channel);

    await client.realtime.setAuth(await mintToken({ sub: crypto.randomUUID() }));
    const revoked = await system.waitFor((m) => m.status === 'error', 'revocation system message');
    expect(revoked.message).toBe(`You no longer have permission to read from this Channel topic: ${topic}`);
  });

  it('keeps the channel when a refreshed token still allows reading', async () => {
    const userA = crypto.randomUUID();
    const topic = `rt-test:user:${userA}`;
    const client = track(realtimeClient({ token: await mintToken({ sub: userA, expiresInSeconds: 60 }) }));
    const channel = client.channel(topic, {
      config: { private: true, broadcast: { self: true, ack: true } },
    });
    await subscribe(channel);
    await client.realtime.setAuth(await mintToken({ sub: userA, expiresInSeconds: 3600 }));
    // The write check runs with the refreshed claims and still passes.
    expect(await channel.send({ type: 'broadcast', event: 'still-here', payload: {} })).toBe('ok');
  });
});

describe('replay and replication readiness', () => {
  it.each(VSNS)('replays stored private messages to a joining channel over vsn %s', async (vsn) => {
    const topic = uniqueTopic('rt-test:open:');
    const since = Date.now() - 60_000;
    await withDb(async (db) => {
      await db.query(`select realtime.send(jsonb_build_object('n', 1), 'stored', $1, true)`, [topic]);
      await db.query(`select realtime.send(jsonb_build_object('n', 2), 'stored', $1, true)`, [topic]);
    });
    const client = track(realtimeClient({ vsn, token: await mintToken() }));
    const log = new EventLog<Received>();
    const channel = client
      .channel(topic, { config: { private: true, broadcast: { replay: { since, limit: 10 } } } })
      .on('broadcast', { event: 'stored' }, log.push);
    await subscribe(channel);
    await log.waitFor((m) => m.payload.n === 2, 'second replayed message');
    expect(log.items.map((m) => m.payload.n)).toEqual([1, 2]);
    for (const m of log.items) expect(m.meta).toEqual({ replayed: true, id: m.payload.id });
  });

  it('confirms replication readiness when asked with broadcast.replication_ready', async () => {
    const client = track(realtimeClient({ token: await mintToken() }));
    const channel = client.channel(uniqueTopic('rt-test:open:'), {
      config: { private: true, broadcast: { replication_ready: true } as never },
    });
    const system = new EventLog<SystemMessage>();
    channel.on('system', {}, system.push);
    await subscribe(channel);
    expect(await system.waitFor(() => true, 'replication ready')).toMatchObject({
      extension: 'system',
      status: 'ok',
      message: 'Replication connection established',
    });
  });
});
