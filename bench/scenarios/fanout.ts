/**
 * Scenario 2: client broadcast fan-out. One sender (the real supabase-js client for ours, the real
 * socket.io-client for the peer) sends K messages as fast as it can to a room of M subscribers;
 * deliveries/s = messages decoded by all subscribers / (last delivery − first send).
 */
import { io as ioClient } from 'socket.io-client';
import { benchClient } from '../lib/clients';
import { startChild } from '../lib/child';
import { connectMany, connectRealtimeLight, connectSocketIoLight } from '../lib/light-clients';
import { waitUntil } from '../lib/stats';
import type { Scenario, ScenarioRow } from '../lib/types';

export const fanout: Scenario = {
  id: 'fanout',
  title: 'Client broadcast fan-out: deliveries per second',
  budgetMs: 120_000,
  async run({ stack, quick, log }) {
    const receivers = quick ? 200 : 500;
    const messages = quick ? 200 : 600;
    const rows: ScenarioRow[] = [];

    // ── ours
    {
      let delivered = 0;
      let lastAt = 0;
      const clients = await connectMany(receivers, 20, () =>
        connectRealtimeLight({
          apiUrl: stack.apiUrl,
          apiKey: stack.anonKey,
          topic: 'bench:fanout',
          isPrivate: false,
          onMessage: () => {
            delivered++;
            lastAt = performance.now();
          },
        }),
      );
      const sender = benchClient(stack);
      const channel = sender.channel('bench:fanout', { config: { broadcast: { self: false, ack: false } } });
      await new Promise<void>((resolve, reject) =>
        channel.subscribe((status, err) =>
          status === 'SUBSCRIBED' ? resolve() : status !== 'CLOSED' && err ? reject(err) : undefined,
        ),
      );
      const t0 = performance.now();
      for (let seq = 0; seq < messages; seq++)
        void channel.send({ type: 'broadcast', event: 'tick', payload: { seq } });
      await waitUntil(() => delivered >= receivers * messages, 60_000, 'all deliveries').catch(() => {});
      const seconds = (lastAt - t0) / 1000;
      rows.push({
        system: 'ours: Realtime broadcast',
        variant: `${receivers} receivers × ${messages} msgs`,
        metrics: {
          delivered,
          expected: receivers * messages,
          'deliveries/s': Math.round(delivered / seconds),
          seconds: Math.round(seconds * 100) / 100,
        },
      });
      await sender.removeAllChannels();
      clients.forEach((c) => c.close());
      log('ours done');
    }

    // ── socket.io
    const sio = await startChild<{ port: number }>('socketio-server.ts');
    try {
      let delivered = 0;
      let lastAt = 0;
      const clients = await connectMany(receivers, 20, () =>
        connectSocketIoLight({
          port: sio.info.port,
          room: 'fanout',
          onMessage: () => {
            delivered++;
            lastAt = performance.now();
          },
        }),
      );
      const sender = ioClient(`http://127.0.0.1:${sio.info.port}`, {
        transports: ['websocket'],
        query: { room: 'sender' },
      });
      await new Promise<void>((r) => sender.once('connect', () => r()));
      const t0 = performance.now();
      for (let seq = 0; seq < messages; seq++)
        sender.emit('relay', { room: 'fanout', event: 'tick', payload: { seq } });
      await waitUntil(() => delivered >= receivers * messages, 60_000, 'all deliveries').catch(() => {});
      const seconds = (lastAt - t0) / 1000;
      rows.push({
        system: 'socket.io room broadcast',
        variant: `${receivers} receivers × ${messages} msgs`,
        metrics: {
          delivered,
          expected: receivers * messages,
          'deliveries/s': Math.round(delivered / seconds),
          seconds: Math.round(seconds * 100) / 100,
        },
      });
      sender.close();
      clients.forEach((c) => c.close());
    } finally {
      await sio.stop();
    }
    const ours = Number(rows[0].metrics['deliveries/s']);
    return {
      rows,
      targets: [
        `client broadcast fan-out ≥ 100,000 deliveries/s: ${ours >= 100_000 ? 'met' : 'MISSED'} (${ours.toLocaleString('en-US')}/s)`,
      ],
    };
  },
};
