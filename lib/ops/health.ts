/**
 * Liveness of the two things every screen needs: the database (through the REST API, as the app
 * reaches it) and Realtime (a websocket that answers a Phoenix heartbeat). Both probes use only the
 * public URL and the anon/publishable key, so they work the same against hosted Supabase.
 *
 * Probes never throw: a failure is a check with status `error` and a fixed sentence (no URLs,
 * keys or upstream error text, since the endpoint is public).
 */
import { createClient } from '@supabase/supabase-js';
import { z } from 'zod';
import type { Database } from '@/lib/data/database.types';
import { probeDatabase } from '@/lib/data/health';
import type { TCheckStatus, THealthCheck, THealthReport } from './schemas';

export interface THealthLimits {
  /** A probe that has not finished by then is an `error`. */
  timeoutMs: number;
  /** A probe that succeeded but took at least this long is a `warning`. */
  slowMs: number;
}

/**
 * Load balancers and uptime monitors usually give a health endpoint 5–10 s; both probes run in
 * parallel, so the endpoint answers within about DEFAULT_TIMEOUT_MS even when everything hangs.
 */
export const DEFAULT_HEALTH_LIMITS: { database: THealthLimits; realtime: THealthLimits } = {
  database: { timeoutMs: 3_000, slowMs: 1_000 },
  realtime: { timeoutMs: 3_000, slowMs: 1_500 },
};

export type TWebSocketConstructor = typeof globalThis.WebSocket;

export interface THealthOptions {
  supabaseUrl: string;
  /** The anon or publishable key: the probes must work with what any visitor has. */
  apiKey: string;
  /** Next.js provides a global WebSocket on the server; plain Node 20 needs the `ws` package. */
  webSocket?: TWebSocketConstructor;
  version: string;
  limits?: { database?: Partial<THealthLimits>; realtime?: Partial<THealthLimits> };
  now?: () => Date;
}

const HEARTBEAT_REF = 'health';
/** Phoenix v1 JSON frames: one object per message, simpler to probe than the v2 arrays. */
const PROBE_VSN = '1.0.0';

const ZHeartbeatReply = z.object({
  topic: z.literal('phoenix'),
  event: z.literal('phx_reply'),
  ref: z.literal(HEARTBEAT_REF),
  payload: z.object({ status: z.string() }),
});

function elapsedSince(startedAt: number): number {
  return Math.round((performance.now() - startedAt) * 10) / 10;
}

function okOrSlow(latencyMs: number, limits: THealthLimits, what: string): THealthCheck {
  return latencyMs >= limits.slowMs
    ? { status: 'warning', latencyMs, message: `${what} answered slowly (${Math.round(latencyMs)} ms).` }
    : { status: 'ok', latencyMs, message: `${what} answered.` };
}

function resolveLimits(base: THealthLimits, override?: Partial<THealthLimits>): THealthLimits {
  return { ...base, ...override };
}

/** One cheap HEAD request through supabase-js: reaches PostgREST and runs a query in Postgres. */
export async function checkDatabase(
  opts: Pick<THealthOptions, 'supabaseUrl' | 'apiKey' | 'webSocket'>,
  limits: THealthLimits = DEFAULT_HEALTH_LIMITS.database,
): Promise<THealthCheck> {
  const startedAt = performance.now();
  try {
    const client = createClient<Database>(opts.supabaseUrl, opts.apiKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      ...(opts.webSocket ? { realtime: { transport: opts.webSocket } } : {}),
    });
    const probe = await probeDatabase(client, limits.timeoutMs);
    const latencyMs = elapsedSince(startedAt);
    if (probe.ok) return okOrSlow(latencyMs, limits, 'The database');
    const { detail, status } = probe.error;
    if (latencyMs >= limits.timeoutMs || /abort|timeout/i.test(detail)) {
      return {
        status: 'error',
        latencyMs,
        message: `The database did not answer within ${limits.timeoutMs} ms.`,
      };
    }
    if (status === 0)
      return { status: 'error', latencyMs, message: 'The database API could not be reached.' };
    return { status: 'error', latencyMs, message: `The database API answered with HTTP ${status}.` };
  } catch {
    // createClient rejects malformed URLs synchronously; anything else thrown is a failure too.
    return {
      status: 'error',
      latencyMs: elapsedSince(startedAt),
      message: 'The database API could not be reached.',
    };
  }
}

export function realtimeSocketUrl(supabaseUrl: string, apiKey: string): string {
  const url = new URL(`${supabaseUrl.replace(/\/+$/, '')}/realtime/v1/websocket`);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('apikey', apiKey);
  url.searchParams.set('vsn', PROBE_VSN);
  return url.toString();
}

/** Opens a socket, sends one heartbeat and waits for its `phx_reply` with status ok. */
export function checkRealtime(
  opts: Pick<THealthOptions, 'supabaseUrl' | 'apiKey' | 'webSocket'>,
  limits: THealthLimits = DEFAULT_HEALTH_LIMITS.realtime,
): Promise<THealthCheck> {
  const startedAt = performance.now();
  const WebSocketImpl = opts.webSocket ?? globalThis.WebSocket;
  if (typeof WebSocketImpl !== 'function') {
    return Promise.resolve({ status: 'error', latencyMs: 0, message: 'This server cannot open websockets.' });
  }

  return new Promise<THealthCheck>((resolve) => {
    let socket: WebSocket | undefined;
    let settled = false;
    const finish = (check: THealthCheck) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      try {
        socket?.close();
      } catch {
        // Closing a socket that never opened may throw; it is gone either way.
      }
      resolve(check);
    };
    const fail = (message: string) =>
      finish({ status: 'error', latencyMs: elapsedSince(startedAt), message });
    const timer = setTimeout(
      () => fail(`Realtime did not answer a heartbeat within ${limits.timeoutMs} ms.`),
      limits.timeoutMs,
    );

    try {
      socket = new WebSocketImpl(realtimeSocketUrl(opts.supabaseUrl, opts.apiKey));
    } catch {
      fail('Realtime could not be reached.');
      return;
    }
    socket.onopen = () => {
      socket?.send(JSON.stringify({ topic: 'phoenix', event: 'heartbeat', payload: {}, ref: HEARTBEAT_REF }));
    };
    socket.onmessage = (event: MessageEvent) => {
      if (typeof event.data !== 'string') return;
      let frame: unknown;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      const reply = ZHeartbeatReply.safeParse(frame);
      if (!reply.success) return;
      if (reply.data.payload.status !== 'ok') {
        fail('Realtime refused the heartbeat.');
        return;
      }
      finish(okOrSlow(elapsedSince(startedAt), limits, 'Realtime'));
    };
    socket.onerror = () => fail('Realtime could not be reached.');
    socket.onclose = () => fail('Realtime closed the connection before answering.');
  });
}

const SEVERITY: Record<TCheckStatus, number> = { ok: 0, warning: 1, error: 2 };

export function worstStatus(statuses: readonly TCheckStatus[]): TCheckStatus {
  return statuses.reduce<TCheckStatus>((worst, s) => (SEVERITY[s] > SEVERITY[worst] ? s : worst), 'ok');
}

export async function runHealthChecks(opts: THealthOptions): Promise<THealthReport> {
  const [database, realtime] = await Promise.all([
    checkDatabase(opts, resolveLimits(DEFAULT_HEALTH_LIMITS.database, opts.limits?.database)),
    checkRealtime(opts, resolveLimits(DEFAULT_HEALTH_LIMITS.realtime, opts.limits?.realtime)),
  ]);
  return {
    status: worstStatus([database.status, realtime.status]),
    timestamp: (opts.now?.() ?? new Date()).toISOString(),
    version: opts.version,
    checks: { database, realtime },
  };
}

/** 503 tells load balancers and monitors to stop sending traffic; a warning still serves. */
export function healthHttpStatus(report: THealthReport): number {
  return report.status === 'error' ? 503 : 200;
}

/**
 * Shares one run among callers that arrive while it is in progress. The endpoint is public and
 * each run opens a websocket and queries the database, so a burst of probes (or someone hammering
 * the URL) costs one run at a time; every caller still gets a result no older than that run.
 */
export function shareInFlight<T>(run: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | null = null;
  return () => {
    running ??= run().finally(() => {
      running = null;
    });
    return running;
  };
}
