/**
 * The API gateway: one HTTP server that routes `/auth/v1`, `/rest/v1` and `/realtime/v1` to the
 * services, answers CORS preflights (the browser app runs on another origin) and never lets a
 * service error crash the process.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DATABASE_RETRY_AFTER_SECONDS, DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from './db';
import { sendJson } from './http';
import type { HttpService, UpgradeService } from './service';

export const CORS_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
  'Access-Control-Allow-Headers':
    'authorization, x-client-info, apikey, content-type, content-profile, accept-profile, prefer, range, range-unit, x-supabase-api-version, x-retry-count, accept',
  'Access-Control-Expose-Headers':
    'content-range, content-location, location, preference-applied, x-total-count, link, x-supabase-api-version, x-sb-error-code, range-unit',
  'Access-Control-Max-Age': '86400',
};

export interface GatewayRoutes {
  auth: HttpService;
  rest: HttpService;
  realtime: UpgradeService;
}

export interface Gateway {
  server: http.Server;
  port: number;
  close(): Promise<void>;
}

function route(pathname: string): { name: keyof GatewayRoutes; rest: string } | null {
  for (const [prefix, name] of [
    ['/auth/v1', 'auth'],
    ['/rest/v1', 'rest'],
    ['/realtime/v1', 'realtime'],
  ] as const) {
    if (pathname === prefix || pathname.startsWith(prefix + '/')) {
      return { name, rest: pathname.slice(prefix.length) || '/' };
    }
  }
  return null;
}

export async function startGateway(
  routes: GatewayRoutes,
  opts: { port: number; host: string; log: (l: string) => void },
): Promise<Gateway> {
  const server = http.createServer((req, res) => {
    for (const [k, v] of Object.entries(CORS_HEADERS)) res.setHeader(k, v);
    if (req.method === 'OPTIONS') {
      res.writeHead(204);
      res.end();
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      sendJson(res, 400, { message: 'Malformed request URL' });
      return;
    }
    const target = route(url.pathname);
    if (!target) {
      if (url.pathname === '/' || url.pathname === '/health') {
        sendJson(res, 200, { status: 'ok', services: ['auth/v1', 'rest/v1', 'realtime/v1'] });
        return;
      }
      sendJson(res, 404, { message: 'no Route matched with those values' });
      return;
    }
    routes[target.name].handle(req, res, target.rest, url).catch((err: unknown) => {
      opts.log(`[gateway] unhandled error in ${target.name}: ${(err as Error)?.stack ?? err}\n`);
      if (res.headersSent) res.end();
      else if (isDatabaseUnavailable(err))
        sendJson(
          res,
          503,
          { code: 'database_unavailable', message: DATABASE_UNAVAILABLE_MESSAGE },
          { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) },
        );
      else sendJson(res, 500, { code: 'unexpected_failure', message: 'Internal server error' });
    });
  });
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      socket.destroy();
      return;
    }
    const target = route(url.pathname);
    if (!target || target.name !== 'realtime') {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    try {
      routes.realtime.handleUpgrade(req, socket, head, target.rest, url);
    } catch (err) {
      opts.log(`[gateway] upgrade failed: ${(err as Error)?.stack ?? err}\n`);
      socket.destroy();
    }
  });
  server.on('clientError', (_err, socket) => {
    // `Connection: close`: the socket ends here, and a keep-alive client must not send its next request on it.
    if (socket.writable)
      socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
