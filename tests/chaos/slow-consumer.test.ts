/**
 * Chaos: a slow websocket consumer. One real socket stops reading (ws `pause()`: the TCP window
 * closes, the kernel buffers fill, then the server's own send buffer grows) while a burst of large
 * database broadcasts is fanned out to its topic. Expected:
 *  - the server closes it with 1013 once its unsent bytes pass the high-water mark (4 MiB);
 *  - the other subscribers get every message, in order;
 *  - what the server holds for unsent data stays bounded (per socket: high-water mark + one frame);
 *  - the slow client reconnects and catches up with replay from where it stalled.
 *
 * The stack is the shared one (its own process, default limits). Bounded for `npm test`;
 * CHAOS_SCALE=long sends ten times the data to more subscribers.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { stackInfo, withDb } from '../helpers/stack';
import {
  EventLog,
  mintToken,
  realtimeClient,
  subscribe,
  uniqueTopic,
  withTimeout,
} from '../integration/realtime-helpers';

const IS_LONG = process.env.CHAOS_SCALE === 'long';
/** Default `sendBufferHighWaterBytes` of the stack. */
const HIGH_WATER_BYTES = 4 * 1024 * 1024;
const PAYLOAD_BYTES = 64 * 1024;
/** Messages per database transaction; the healthy subscribers must have a wave before the next. */
const WAVE = 20;
/** Enough to fill loopback socket buffers (~10 MB) plus the high-water mark several times over. */
const MAX_MESSAGES = IS_LONG ? 6_000 : 1_200;
const HEALTHY_SUBSCRIBERS = IS_LONG ? 10 : 3;
const WAIT_MS = IS_LONG ? 120_000 : 30_000;

type Note = { n: number };
type Received = { event: string; payload: Note; meta?: { replayed?: boolean; id?: string } };

const clients: SupabaseClient[] = [];
const sockets: WebSocket[] = [];
afterAll(async () => {
  for (const ws of sockets) ws.terminate();
  await Promise.all(clients.map((c) => c.removeAllChannels()));
});

async function metrics(): Promise<Record<string, number>> {
  const res = await fetch(`${stackInfo().apiUrl}/realtime/v1/api/metrics`, {
    headers: { apikey: stackInfo().serviceRoleKey },
  });
  return (await res.json()) as Record<string, number>;
}

/** Stores and broadcasts messages `from..to` (one transaction) to the private topic. */
async function sendWave(topic: string, from: number, to: number): Promise<void> {
  await withDb((db) =>
    db.query(
      `select realtime.send(jsonb_build_object('n', g, 'pad', repeat('x', $4::int)), 'burst', $1, true)
         from generate_series($2::int, $3::int) g`,
      [topic, from, to, PAYLOAD_BYTES],
    ),
  );
}

/** A raw vsn 2.0.0 socket joined to the private topic; records the `n` of every broadcast. */
async function rawSubscriber(topic: string, token: string, config: Record<string, unknown> = {}) {
  const ws = new WebSocket(
    `${stackInfo().apiUrl.replace(/^http/, 'ws')}/realtime/v1/websocket?apikey=${stackInfo().anonKey}&vsn=2.0.0`,
  );
  sockets.push(ws);
  const seen = new EventLog<Received>();
  const replies = new EventLog<unknown[]>();
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (isBinary) {
      // Binary user broadcast (kind 4): header, topic, event, meta, JSON payload.
      const [, topicLen, eventLen, metaLen] = data;
      const start = 5 + topicLen;
      const event = data.subarray(start, start + eventLen).toString();
      const meta = metaLen
        ? JSON.parse(data.subarray(start + eventLen, start + eventLen + metaLen).toString())
        : {};
      const payload = JSON.parse(data.subarray(start + eventLen + metaLen).toString()) as Note;
      seen.push({ event, payload: { n: payload.n }, meta });
      return;
    }
    const frame = JSON.parse(data.toString()) as unknown[];
    if (frame[3] === 'broadcast') {
      const b = frame[4] as { event: string; payload: Note; meta?: Received['meta'] };
      seen.push({ event: b.event, payload: { n: b.payload.n }, meta: b.meta });
    } else replies.push(frame);
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await withTimeout(new Promise((resolve) => ws.once('open', resolve)), 'open');
  ws.send(
    JSON.stringify([
      '1',
      '1',
      `realtime:${topic}`,
      'phx_join',
      { config: { private: true, ...config }, access_token: token },
    ]),
  );
  const reply = await replies.waitFor((f) => f[1] === '1' && f[3] === 'phx_reply', 'join reply');
  expect((reply[4] as { status: string }).status).toBe('ok');
  return { ws, seen, closed };
}

describe('chaos: a slow websocket consumer', () => {
  it(
    'is closed with 1013 past the high-water mark; everyone else gets every message; it catches up after reconnecting',
    async () => {
      const topic = uniqueTopic('rt-test:open:slow-');
      const token = await mintToken();

      const healthy = await Promise.all(
        Array.from({ length: HEALTHY_SUBSCRIBERS }, async () => {
          const client = realtimeClient({ token });
          clients.push(client);
          const log = new EventLog<number>();
          await subscribe(
            client
              .channel(topic, { config: { private: true } })
              .on('broadcast', { event: 'burst' }, (m: { payload: Note }) => log.push(m.payload.n)),
          );
          return log;
        }),
      );
      const slow = await rawSubscriber(topic, token);
      const before = await metrics();
      const stalledAt = Date.now() - 1_000;
      slow.ws.pause();

      let sent = 0;
      let peakBufferedMax = 0;
      let dropped = false;
      while (sent < MAX_MESSAGES && !dropped) {
        await sendWave(topic, sent + 1, sent + WAVE);
        sent += WAVE;
        const last = sent;
        await Promise.all(
          healthy.map((log) =>
            log.waitFor((n) => n === last, `message ${last} at a healthy subscriber`, WAIT_MS),
          ),
        );
        const m = await metrics();
        peakBufferedMax = Math.max(peakBufferedMax, m.send_buffered_bytes_max);
        dropped = m.slow_consumer_disconnects > before.slow_consumer_disconnects;
      }
      console.info(
        `[chaos] slow consumer dropped after ${sent} messages of ${PAYLOAD_BYTES} B; peak unsent bytes on one socket ${peakBufferedMax}`,
      );
      expect(dropped).toBe(true);
      // Bounded: no socket ever held more than the high-water mark plus the frame that crossed it.
      expect(peakBufferedMax).toBeLessThanOrEqual(HIGH_WATER_BYTES + 2 * PAYLOAD_BYTES);

      // The slow client reads again: what was buffered for it, then the 1013 close.
      slow.ws.resume();
      expect(await withTimeout(slow.closed, 'the slow consumer’s close', WAIT_MS)).toBe(1013);
      const lastSeen = Math.max(0, ...slow.seen.items.map((m) => m.payload.n));
      expect(lastSeen).toBeLessThan(sent);

      // Every healthy subscriber got every message, once, in order.
      const all = Array.from({ length: sent }, (_, i) => i + 1);
      for (const log of healthy) expect(log.items).toEqual(all);

      // It reconnects and catches up from where it stalled: replay (up to 25 stored messages) starts
      // at or before the first message it missed, then live messages follow.
      const back = await rawSubscriber(topic, token, {
        broadcast: { replay: { since: stalledAt, limit: 25 } },
      });
      const replayed = await back.seen.waitFor((m) => m.meta?.replayed === true, 'replayed messages');
      expect(replayed.payload.n).toBeLessThanOrEqual(lastSeen + 1);
      await sendWave(topic, sent + 1, sent + WAVE);
      await back.seen.waitFor((m) => m.payload.n === sent + WAVE, 'the next live wave', WAIT_MS);
      const live = back.seen.items.filter((m) => !m.meta?.replayed).map((m) => m.payload.n);
      expect(live).toEqual(Array.from({ length: WAVE }, (_, i) => sent + i + 1));
      const after = await metrics();
      expect(after.send_buffered_bytes_max).toBeLessThanOrEqual(HIGH_WATER_BYTES + 2 * PAYLOAD_BYTES);
    },
    IS_LONG ? 900_000 : 170_000,
  );
});
