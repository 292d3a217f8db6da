/**
 * Minimal protocol-level subscribers for fan-out measurements with hundreds or thousands of
 * connections from one process. They speak the real wire protocols (Phoenix vsn 2.0.0 join with an
 * access token for our stack; Engine.IO 4 / Socket.IO 5 for the peer) but skip everything a full client
 * does per message beyond decoding it, so that the numbers describe the servers, not the load
 * generator. Both peers get the same treatment: one JSON.parse per delivered message.
 */
import WebSocket from 'ws';

export type OnMessage = (event: string, payload: Record<string, unknown>) => void;

export interface LightClient {
  close(): void;
}

function decodeKind4(buf: Buffer): { event: string; payload: Record<string, unknown> } | null {
  // [4][topicLen][eventLen][metaLen][encoding] topic event meta payload
  if (buf.length < 5 || buf[0] !== 4) return null;
  const topicLen = buf[1];
  const eventLen = buf[2];
  const metaLen = buf[3];
  let o = 5 + topicLen;
  const event = buf.toString('utf8', o, o + eventLen);
  o += eventLen + metaLen;
  return { event, payload: JSON.parse(buf.toString('utf8', o)) };
}

/** Joins `realtime:<topic>` on our stack and calls `onMessage` for each broadcast. */
export function connectRealtimeLight(opts: {
  apiUrl: string;
  apiKey: string;
  topic: string;
  accessToken?: string;
  isPrivate: boolean;
  onMessage: OnMessage;
  /** Postgres Changes bindings; the join then resolves only after the "Subscribed to PostgreSQL" system message. */
  postgresChanges?: Array<Record<string, unknown>>;
}): Promise<LightClient> {
  const url = `${opts.apiUrl.replace(/^http/, 'ws')}/realtime/v1/websocket?apikey=${encodeURIComponent(opts.apiKey)}&vsn=2.0.0`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    let ref = 1;
    let heartbeat: NodeJS.Timeout | undefined;
    const handle: LightClient = {
      close: () => {
        clearInterval(heartbeat);
        ws.terminate();
      },
    };
    const timer = setTimeout(() => reject(new Error(`join ${opts.topic} timed out`)), 30_000);
    ws.on('open', () => {
      ws.send(
        JSON.stringify([
          '1',
          '1',
          `realtime:${opts.topic}`,
          'phx_join',
          {
            config: {
              broadcast: { ack: false, self: false },
              presence: { key: '', enabled: false },
              postgres_changes: opts.postgresChanges ?? [],
              private: opts.isPrivate,
            },
            ...(opts.accessToken ? { access_token: opts.accessToken } : {}),
          },
        ]),
      );
      heartbeat = setInterval(
        () => ws.send(JSON.stringify([null, String(++ref), 'phoenix', 'heartbeat', {}])),
        25_000,
      );
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) {
        const m = decodeKind4(data);
        if (m) opts.onMessage(m.event, m.payload);
        return;
      }
      const [, msgRef, , event, payload] = JSON.parse(data.toString()) as [
        string | null,
        string | null,
        string,
        string,
        Record<string, unknown>,
      ];
      if (event === 'phx_reply' && msgRef === '1') {
        if (!opts.postgresChanges?.length) clearTimeout(timer);
        const status = (payload as { status?: string }).status;
        if (status !== 'ok') reject(new Error(`join ${opts.topic} failed: ${JSON.stringify(payload)}`));
        else if (!opts.postgresChanges?.length) resolve(handle);
      } else if (event === 'system' && opts.postgresChanges?.length) {
        const sys = payload as { extension?: string; status?: string; message?: string };
        clearTimeout(timer);
        if (sys.extension === 'postgres_changes' && sys.status === 'ok') resolve(handle);
        else if (sys.status === 'error')
          reject(new Error(`postgres_changes subscription failed: ${sys.message}`));
      } else if (event === 'postgres_changes') {
        opts.onMessage(event, payload);
      } else if (event === 'broadcast') {
        const b = payload as { event: string; payload: Record<string, unknown> };
        opts.onMessage(b.event, b.payload);
      }
    });
    ws.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    ws.on('close', () => clearInterval(heartbeat));
  });
}

/** Connects to the Socket.IO peer (joins `room` on connect) and calls `onMessage` for each event. */
export function connectSocketIoLight(opts: {
  port: number;
  room: string;
  onMessage: OnMessage;
}): Promise<LightClient> {
  const url = `ws://127.0.0.1:${opts.port}/socket.io/?EIO=4&transport=websocket&room=${encodeURIComponent(opts.room)}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const timer = setTimeout(() => reject(new Error('socket.io connect timed out')), 30_000);
    ws.on('message', (data: Buffer) => {
      const text = data.toString();
      if (text.startsWith('0'))
        ws.send('40'); // Engine.IO open → Socket.IO connect to namespace "/"
      else if (text === '2')
        ws.send('3'); // ping → pong
      else if (text.startsWith('40')) {
        clearTimeout(timer);
        resolve({ close: () => ws.terminate() });
      } else if (text.startsWith('42')) {
        const [event, payload] = JSON.parse(text.slice(2)) as [string, Record<string, unknown>];
        opts.onMessage(event, payload);
      }
    });
    ws.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** Open `count` connections with at most `parallel` handshakes in flight. */
export async function connectMany<T>(
  count: number,
  parallel: number,
  open: (i: number) => Promise<T>,
): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, count) }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await open(i);
      }
    }),
  );
  return out;
}
