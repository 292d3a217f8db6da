/**
 * Limits and dead-peer detection on a second, tightly configured stack (its own Postgres, no app
 * migrations): short idle timeout, few channels per socket, small payloads, few presence calls.
 * A TCP proxy that stops forwarding without closing anything stands in for a network that vanished,
 * so presence leaves must come from the missed-heartbeat sweep.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startLocalStack, type LocalStack } from '../../supabase/local/stack';
import {
  EventLog,
  joinError,
  realtimeClient,
  subscribe,
  uniqueTopic,
  VSNS,
  withTimeout,
  type TestTarget,
  type Vsn,
} from './realtime-helpers';

const LIMITS = {
  idleTimeoutMs: 1_500,
  sweepIntervalMs: 100,
  maxChannelsPerSocket: 3,
  maxJoinsPerSecondPerSocket: 5,
  maxMessagesPerSecondPerSocket: 20,
  maxBroadcastPayloadBytes: 1_024,
  presenceMaxCallsPerWindow: 3,
  presenceWindowMs: 60_000,
};
// Every client on this stack must beat well inside the idle timeout.
const HEARTBEAT_MS = 300;

type SystemMessage = { extension: string; status: string; message: string };

let stack: LocalStack;
let target: TestTarget;
let migrationsDir: string;

beforeAll(async () => {
  migrationsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-limits-migrations-'));
  stack = await startLocalStack({ apiPort: 0, dbPort: 0, seedFile: false, migrationsDir, realtime: LIMITS });
  target = { apiUrl: stack.apiUrl, anonKey: stack.anonKey, jwtSecret: stack.jwtSecret };
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  fs.rmSync(migrationsDir, { recursive: true, force: true });
});

const clients: SupabaseClient[] = [];
function client(vsn?: Vsn, apiUrl?: string): SupabaseClient {
  const c = realtimeClient({
    vsn,
    target: apiUrl ? { ...target, apiUrl } : target,
    heartbeatIntervalMs: HEARTBEAT_MS,
  });
  clients.push(c);
  return c;
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.removeAllChannels()));
});

/** Forwards TCP to the stack until `freeze()`, after which it silently stops forwarding either way. */
async function startProxy(targetPort: number) {
  const pairs: Array<[net.Socket, net.Socket]> = [];
  let frozen = false;
  const server = net.createServer((downstream) => {
    if (frozen) return void downstream.destroy();
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const s of [downstream, upstream]) s.on('error', () => {});
    downstream.pipe(upstream);
    upstream.pipe(downstream);
    pairs.push([downstream, upstream]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    freeze() {
      frozen = true;
      for (const [down, up] of pairs) {
        down.unpipe(up);
        up.unpipe(down);
        down.pause();
        up.pause();
      }
    },
    close() {
      for (const [down, up] of pairs) {
        down.destroy();
        up.destroy();
      }
      server.close();
    },
  };
}

async function metrics(): Promise<Record<string, number>> {
  const res = await fetch(`${stack.apiUrl}/realtime/v1/api/metrics`, {
    headers: { apikey: stack.serviceRoleKey },
  });
  return (await res.json()) as Record<string, number>;
}

describe('dead peers', () => {
  it('drops a socket that stopped sending heartbeats and reports its presence leave', async () => {
    const proxy = await startProxy(stack.apiPort);
    try {
      const topic = uniqueTopic('rt-test:ghost:');
      const observer = client();
      const watch = observer.channel(topic, { config: { presence: { key: 'observer' } } });
      const events = new EventLog<{ kind: string; key: string }>();
      watch
        .on('presence', { event: 'join' }, ({ key }) => events.push({ kind: 'join', key }))
        .on('presence', { event: 'leave' }, ({ key }) => events.push({ kind: 'leave', key }));
      await subscribe(watch);

      // The ghost keeps the default 25 s heartbeat: only the server's idle sweep can notice it is gone.
      const ghost = realtimeClient({ target: { ...target, apiUrl: `http://127.0.0.1:${proxy.port}` } });
      clients.push(ghost);
      const ghostChannel = ghost.channel(topic, { config: { presence: { key: 'ghost' } } });
      await subscribe(ghostChannel);
      expect(await ghostChannel.track({ here: true })).toBe('ok');
      await events.waitFor((e) => e.kind === 'join' && e.key === 'ghost', 'ghost join');
      const idleBefore = (await metrics()).idle_disconnects;

      proxy.freeze();
      await events.waitFor(
        (e) => e.kind === 'leave' && e.key === 'ghost',
        'ghost leave after missed heartbeats',
      );
      expect((await metrics()).idle_disconnects).toBeGreaterThan(idleBefore);
      ghost.realtime.disconnect();
    } finally {
      proxy.close();
    }
  });
});

describe('limits', () => {
  it('refuses more channels per socket than allowed', async () => {
    const c = client();
    for (let i = 0; i < LIMITS.maxChannelsPerSocket; i++)
      await subscribe(c.channel(uniqueTopic('rt-test:many:')));
    const err = await joinError(c, c.channel(uniqueTopic('rt-test:many:')));
    expect(err.message).toBe('ChannelRateLimitReached: Too many channels');
  });

  it.each(VSNS)('answers an oversized broadcast with PayloadSizeExceeded over vsn %s', async (vsn) => {
    const channel = client(vsn).channel(uniqueTopic('rt-test:big:'), {
      config: { broadcast: { ack: true } },
    });
    await subscribe(channel);
    expect(
      await channel.send({ type: 'broadcast', event: 'big', payload: { blob: 'x'.repeat(2_000) } }),
    ).toBe('error');
    expect(await channel.send({ type: 'broadcast', event: 'small', payload: { blob: 'x' } })).toBe('ok');
  });

  it.each([
    [
      'presence calls per client',
      async (ch: ReturnType<SupabaseClient['channel']>) => {
        // The call over the limit gets no reply (the channel is shut down instead), so none is awaited.
        for (let i = 0; i <= LIMITS.presenceMaxCallsPerWindow; i++) void ch.track({ i });
      },
      'Client presence rate limit exceeded',
    ],
    [
      'messages per second per socket',
      async (ch: ReturnType<SupabaseClient['channel']>) => {
        for (let i = 0; i < LIMITS.maxMessagesPerSecondPerSocket * 2; i++)
          void ch.send({ type: 'broadcast', event: 'spam', payload: { i } });
      },
      'Too many messages per second',
    ],
  ])('shuts the channel down when %s run over', async (_case, act, message) => {
    const channel = client().channel(uniqueTopic('rt-test:rate:'));
    const system = new EventLog<SystemMessage>();
    channel.on('system', {}, system.push);
    const status = new EventLog<string>();
    channel.subscribe((s) => status.push(s));
    await status.waitFor((s) => s === 'SUBSCRIBED', 'SUBSCRIBED');
    await act(channel);
    expect(await system.waitFor((m) => m.status === 'error', 'shutdown message')).toMatchObject({
      extension: 'system',
      message,
    });
    await status.waitFor((s) => s === 'CLOSED', 'CLOSED');
  });

  it('refuses joins beyond the per-socket rate and disconnects the socket', async () => {
    const ws = new WebSocket(
      `${stack.apiUrl.replace(/^http/, 'ws')}/realtime/v1/websocket?apikey=${stack.anonKey}&vsn=2.0.0`,
    );
    const replies = new EventLog<unknown[]>();
    ws.on(
      'message',
      (d: Buffer, isBinary: boolean) => !isBinary && replies.push(JSON.parse(d.toString()) as unknown[]),
    );
    const closed = new Promise<number>((resolve) => ws.on('close', resolve));
    await withTimeout(new Promise((resolve) => ws.once('open', resolve)), 'open');
    const topic = `realtime:${uniqueTopic('rt-test:joins:')}`;
    for (let i = 1; i <= LIMITS.maxJoinsPerSecondPerSocket + 2; i++)
      ws.send(JSON.stringify([String(i), String(i), topic, 'phx_join', { config: {} }]));
    const refused = await replies.waitFor(
      (f) => f[3] === 'phx_reply' && (f[4] as { status: string }).status === 'error',
      'refused join',
    );
    expect(refused[4]).toEqual({
      status: 'error',
      response: { reason: 'ClientJoinRateLimitReached: Too many joins per second' },
    });
    expect(await withTimeout(closed, 'socket close')).toBe(1000);
  });
});
