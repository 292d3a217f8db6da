/**
 * The health probes of GET /api/realtime/health against the real stack, and against stand-ins for
 * a broken deployment: nothing listening, a server that never answers, and a gateway in front of
 * the real stack that lets only one of the two services through. The app's own stack is never
 * touched, so other test files running in parallel are unaffected.
 */
import http from 'node:http';
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  checkDatabase,
  checkRealtime,
  healthHttpStatus,
  runHealthChecks,
  type TWebSocketConstructor,
} from '@/lib/ops/health';
import { ZHealthReport } from '@/lib/ops/schemas';
import { getFreePort } from '@/supabase/local/stack';
import { stackInfo } from '../helpers/stack';

const webSocket = WebSocket as unknown as TWebSocketConstructor;
/** Generous limits so a busy machine never turns "ok" into "warning" or "error". */
const RELAXED = { timeoutMs: 20_000, slowMs: 20_000 };
/** For the stand-ins that never answer: short, because waiting is all these tests do. */
const SHORT = { timeoutMs: 300, slowMs: 300 };

const servers: Array<http.Server | net.Server> = [];
const sockets = new Set<net.Socket>();

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

async function listen(server: http.Server | net.Server): Promise<string> {
  servers.push(server);
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

/**
 * A gateway in front of the real stack: HTTP requests and websocket upgrades are each either
 * forwarded or failed, as when one service of a deployment is down.
 */
async function partialGateway(opts: {
  rest: 'forward' | 'fail';
  realtime: 'forward' | 'refuse';
}): Promise<string> {
  const target = new URL(stackInfo().apiUrl);
  const server = http.createServer((req, res) => {
    if (opts.rest === 'fail') {
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"message":"upstream down"}');
      return;
    }
    const upstream = http.request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('upgrade', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    if (opts.realtime === 'refuse') {
      client.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    const upstream = net.connect(Number(target.port), target.hostname, () => {
      const headerLines = Object.entries(req.headers).map(
        ([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`,
      );
      upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${headerLines.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  return listen(server);
}

describe('health probes against the real stack', () => {
  it('reports ok for the database and realtime, HTTP 200, with the app version and no secrets', async () => {
    const { apiUrl, anonKey } = stackInfo();
    const report = await runHealthChecks({
      supabaseUrl: apiUrl,
      apiKey: anonKey,
      webSocket,
      version: '9.8.7',
      limits: { database: RELAXED, realtime: RELAXED },
    });
    expect(ZHealthReport.parse(report)).toEqual(report);
    expect(report.status).toBe('ok');
    expect(report.checks.database.status).toBe('ok');
    expect(report.checks.realtime.status).toBe('ok');
    expect(report.version).toBe('9.8.7');
    expect(healthHttpStatus(report)).toBe(200);
    const text = JSON.stringify(report);
    expect(text).not.toContain(anonKey);
    expect(text).not.toContain(new URL(apiUrl).port);
  });

  it('calls a check that succeeded at or past the slow threshold a warning, still HTTP 200', async () => {
    const { apiUrl, anonKey } = stackInfo();
    const slow = { timeoutMs: 20_000, slowMs: 0 };
    const report = await runHealthChecks({
      supabaseUrl: apiUrl,
      apiKey: anonKey,
      webSocket,
      version: 'x',
      limits: { database: slow, realtime: slow },
    });
    expect(report.checks.database).toMatchObject({
      status: 'warning',
      message: expect.stringMatching(/^The database answered slowly/),
    });
    expect(report.checks.realtime).toMatchObject({
      status: 'warning',
      message: expect.stringMatching(/^Realtime answered slowly/),
    });
    expect(report.status).toBe('warning');
    expect(healthHttpStatus(report)).toBe(200);
  });

  it('the realtime probe fails with an API key the server rejects', async () => {
    const check = await checkRealtime(
      { supabaseUrl: stackInfo().apiUrl, apiKey: 'not-a-jwt', webSocket },
      RELAXED,
    );
    expect(check.status).toBe('error');
    expect(check.message).not.toContain('not-a-jwt');
  });
});

describe('health probes against a broken deployment', () => {
  it('nothing listening: both checks are errors and the endpoint answers 503', async () => {
    const port = await getFreePort('127.0.0.1');
    const report = await runHealthChecks({
      supabaseUrl: `http://127.0.0.1:${port}`,
      apiKey: stackInfo().anonKey,
      webSocket,
      version: 'x',
      limits: { database: RELAXED, realtime: RELAXED },
    });
    expect(ZHealthReport.parse(report)).toEqual(report);
    expect(report.checks.database).toMatchObject({
      status: 'error',
      message: 'The database API could not be reached.',
    });
    expect(report.checks.realtime).toMatchObject({
      status: 'error',
      message: 'Realtime could not be reached.',
    });
    expect(report.status).toBe('error');
    expect(healthHttpStatus(report)).toBe(503);
  });

  it('a server that accepts connections and never answers: both checks time out', async () => {
    const url = await listen(net.createServer(() => {}));
    const report = await runHealthChecks({
      supabaseUrl: url,
      apiKey: stackInfo().anonKey,
      webSocket,
      version: 'x',
      limits: { database: SHORT, realtime: SHORT },
    });
    expect(report.checks.database).toMatchObject({
      status: 'error',
      message: 'The database did not answer within 300 ms.',
    });
    expect(report.checks.realtime).toMatchObject({
      status: 'error',
      message: 'Realtime did not answer a heartbeat within 300 ms.',
    });
    expect(healthHttpStatus(report)).toBe(503);
  });

  it('realtime down behind a working REST API: realtime is the error, and it alone makes the answer 503', async () => {
    const url = await partialGateway({ rest: 'forward', realtime: 'refuse' });
    const report = await runHealthChecks({
      supabaseUrl: url,
      apiKey: stackInfo().anonKey,
      webSocket,
      version: 'x',
      limits: { database: RELAXED, realtime: RELAXED },
    });
    expect(report.checks.database.status).toBe('ok');
    expect(report.checks.realtime.status).toBe('error');
    expect(report.status).toBe('error');
    expect(healthHttpStatus(report)).toBe(503);
  });

  it('the REST API failing behind working realtime: the database is the error, HTTP 503', async () => {
    const url = await partialGateway({ rest: 'fail', realtime: 'forward' });
    const report = await runHealthChecks({
      supabaseUrl: url,
      apiKey: stackInfo().anonKey,
      webSocket,
      version: 'x',
      limits: { database: RELAXED, realtime: RELAXED },
    });
    expect(report.checks.database).toMatchObject({
      status: 'error',
      message: 'The database API answered with HTTP 503.',
    });
    expect(report.checks.realtime.status).toBe('ok');
    expect(healthHttpStatus(report)).toBe(503);
  });

  it('a malformed URL is an error, not an exception', async () => {
    const opts = { supabaseUrl: 'not a url', apiKey: stackInfo().anonKey, webSocket };
    await expect(checkDatabase(opts, SHORT)).resolves.toMatchObject({ status: 'error' });
    await expect(checkRealtime(opts, SHORT)).resolves.toMatchObject({ status: 'error' });
  });
});
