/**
 * Scenario 6: server memory per idle realtime connection at 5,000 connections, each with one joined
 * channel (what an open browser tab holds). RSS of the server process before and after, divided by
 * the number of connections; the Socket.IO peer measured the same way.
 */
import { startChild } from '../lib/child';
import {
  connectMany,
  connectRealtimeLight,
  connectSocketIoLight,
  type LightClient,
} from '../lib/light-clients';
import { sleep } from '../lib/stats';
import type { Scenario, ScenarioRow } from '../lib/types';

async function measure(
  rss: () => number,
  open: () => Promise<LightClient[]>,
): Promise<{ perConnKb: number; beforeMb: number; afterMb: number; clients: LightClient[] }> {
  await sleep(1000);
  const before = rss();
  const clients = await open();
  await sleep(3000); // let buffers settle
  const after = rss();
  return {
    perConnKb: Math.round(((after - before) / clients.length / 1024) * 10) / 10,
    beforeMb: Math.round(before / 1024 / 1024),
    afterMb: Math.round(after / 1024 / 1024),
    clients,
  };
}

export const idleMemory: Scenario = {
  id: 'idle-memory',
  title: 'Server memory per idle realtime connection',
  budgetMs: 150_000,
  async run({ stack, quick, log }) {
    const n = quick ? 1000 : 5000;
    const rows: ScenarioRow[] = [];
    const ours = await measure(stack.rssBytes, () =>
      connectMany(n, 50, (i) =>
        connectRealtimeLight({
          apiUrl: stack.apiUrl,
          apiKey: stack.anonKey,
          topic: `bench:idle:${i % 100}`,
          isPrivate: false,
          onMessage: () => {},
        }),
      ),
    );
    rows.push({
      system: 'ours: Realtime',
      variant: `${n} connections`,
      metrics: { 'KB/conn': ours.perConnKb, 'RSS before MB': ours.beforeMb, 'RSS after MB': ours.afterMb },
    });
    ours.clients.forEach((c) => c.close());
    log('ours done');

    const sio = await startChild<{ port: number }>('socketio-server.ts');
    try {
      const peer = await measure(sio.rssBytes, () =>
        connectMany(n, 50, (i) =>
          connectSocketIoLight({ port: sio.info.port, room: `idle:${i % 100}`, onMessage: () => {} }),
        ),
      );
      rows.push({
        system: 'socket.io',
        variant: `${n} connections`,
        metrics: { 'KB/conn': peer.perConnKb, 'RSS before MB': peer.beforeMb, 'RSS after MB': peer.afterMb },
      });
      peer.clients.forEach((c) => c.close());
    } finally {
      await sio.stop();
    }
    return {
      rows,
      targets: [
        `≤ 30 KB of server memory per idle connection at 5,000 connections: ${ours.perConnKb <= 30 ? 'met' : 'MISSED'} (${ours.perConnKb} KB at ${n})`,
      ],
      notes: [
        'RSS of the Node process that serves the API (Postgres is a separate process and not counted; an idle socket holds no database connection).',
      ],
    };
  },
};
