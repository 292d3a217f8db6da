/**
 * A TCP relay between an app (browser and Next server) and the local stack, with a switch, so the
 * outage spec can take "the backend" away and bring it back without stopping the stack that every
 * other spec uses.
 *
 * Modes: `up` relays bytes both ways; `refuse` cuts every open connection and resets new ones (a
 * backend that is down or unreachable); `unavailable` answers every request with a bare HTTP 503 (a
 * gateway in front of a dead backend).
 */
import net from 'node:net';

export type TBackendMode = 'up' | 'refuse' | 'unavailable';

const HOST = '127.0.0.1';
const UNAVAILABLE_BODY = JSON.stringify({ message: 'Service temporarily unavailable (e2e backend switch)' });
const UNAVAILABLE_RESPONSE =
  'HTTP/1.1 503 Service Unavailable\r\n' +
  'Content-Type: application/json\r\n' +
  `Content-Length: ${Buffer.byteLength(UNAVAILABLE_BODY)}\r\n` +
  'Connection: close\r\n\r\n' +
  UNAVAILABLE_BODY;

export interface TBackendSwitch {
  /** Base URL to give the app instead of the stack's. */
  url: string;
  setMode(mode: TBackendMode): void;
  close(): Promise<void>;
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('relay has no TCP address');
  return address.port;
}

export async function startBackendSwitch(targetUrl: string): Promise<TBackendSwitch> {
  const target = new URL(targetUrl);
  let mode: TBackendMode = 'up';
  const open = new Set<net.Socket>();

  const relay = net.createServer((client) => {
    open.add(client);
    client.once('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    if (mode === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    if (mode === 'unavailable') {
      client.once('data', () => client.end(UNAVAILABLE_RESPONSE));
      return;
    }
    const upstream = net.connect(Number(target.port), target.hostname);
    open.add(upstream);
    upstream.once('close', () => {
      open.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => upstream.destroy());
    client.once('close', () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });

  const port = await listen(relay);
  return {
    url: `http://${HOST}:${port}`,
    setMode: (next) => {
      mode = next;
      // Going down cuts what is open too: keep-alive pools and websockets must notice, as in an outage.
      if (mode !== 'up') for (const socket of open) socket.destroy();
    },
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    },
  };
}
