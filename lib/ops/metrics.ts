/**
 * Realtime server counters for the admin board.
 *
 * The local stack serves `GET <SUPABASE_URL>/realtime/v1/api/metrics` (service role only) with
 * live gauges (connections, channels), monotonic counters (joins, messages per extension) and a
 * commit→send latency histogram (supabase/local/realtime/metrics.ts). Hosted Supabase has no such
 * endpoint: then, or when the endpoint fails, every figure is null with `source: "unavailable"`;
 * the rest of the stats must not fail because of it.
 *
 * Counters become rates by comparing with the previous sample this server process took, so a
 * board polling every few seconds sees the rate of the last few seconds.
 */
import { z } from 'zod';
import type { TRealtimeStats } from './schemas';

/** Metrics are a nice-to-have next to the SQL figures: give up quickly. */
export const METRICS_TIMEOUT_MS = 2_000;
const METRICS_PATH = '/realtime/v1/api/metrics';

const ZCounter = z.number().int().nonnegative();
const ZPerExtension = z.object({ broadcast: ZCounter, presence: ZCounter, postgres_changes: ZCounter });
const ZQuantile = z.number().nonnegative().nullable();

/** The fields we use from the local stack's metrics snapshot (it has more). */
export const ZRealtimeMetricsSnapshot = z.object({
  uptime_s: z.number().nonnegative(),
  connections: ZCounter,
  channels: ZCounter,
  joins: ZCounter,
  messages_in: ZPerExtension,
  messages_out: ZPerExtension,
  db_broadcast_commit_to_send_ms: z.object({
    count: ZCounter,
    p50_ms: ZQuantile,
    p95_ms: ZQuantile,
    p99_ms: ZQuantile,
  }),
});
export type TRealtimeMetricsSnapshot = z.infer<typeof ZRealtimeMetricsSnapshot>;

export type TMetricsFetchResult =
  { ok: true; snapshot: TRealtimeMetricsSnapshot } | { ok: false; reason: string };

export interface TMetricsFetchOptions {
  supabaseUrl: string;
  /** Server-side only: the endpoint answers the service role and nobody else. */
  serviceRoleKey: string;
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
}

/** Never throws: a missing endpoint (hosted), a refusal or garbage are all "unavailable". */
export async function fetchRealtimeMetrics(opts: TMetricsFetchOptions): Promise<TMetricsFetchResult> {
  const doFetch = opts.fetch ?? globalThis.fetch;
  try {
    const res = await doFetch(`${opts.supabaseUrl.replace(/\/+$/, '')}${METRICS_PATH}`, {
      headers: { apikey: opts.serviceRoleKey, Authorization: `Bearer ${opts.serviceRoleKey}` },
      signal: AbortSignal.timeout(opts.timeoutMs ?? METRICS_TIMEOUT_MS),
      cache: 'no-store',
    });
    if (!res.ok) {
      await res.body?.cancel();
      return { ok: false, reason: `HTTP ${res.status}` };
    }
    const parsed = ZRealtimeMetricsSnapshot.safeParse(await res.json());
    return parsed.success
      ? { ok: true, snapshot: parsed.data }
      : { ok: false, reason: 'unexpected response shape' };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.name : 'fetch failed' };
  }
}

function sumExtensions(counts: z.infer<typeof ZPerExtension>): number {
  return counts.broadcast + counts.presence + counts.postgres_changes;
}

export interface TRates {
  joinsPerSecond: number;
  messagesPerSecond: number;
  windowSeconds: number;
}

interface TSample {
  atMs: number;
  uptimeS: number;
  joins: number;
  messages: number;
}

/** Shorter windows than this are noise; a faster poller is given the previous answer again. */
export const MIN_RATE_WINDOW_MS = 1_000;

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Turns monotonic counters into rates between consecutive samples. The first sample, and the
 * first after the realtime server restarted (uptime or a counter went backwards), gives the
 * average since the server started instead.
 */
export class RateTracker {
  private baseline: TSample | undefined;
  private lastRates: TRates | undefined;

  sample(snapshot: TRealtimeMetricsSnapshot, nowMs: number): TRates {
    const current: TSample = {
      atMs: nowMs,
      uptimeS: snapshot.uptime_s,
      joins: snapshot.joins,
      messages: sumExtensions(snapshot.messages_in) + sumExtensions(snapshot.messages_out),
    };
    const base = this.baseline;
    const isSameRun =
      base !== undefined &&
      current.uptimeS >= base.uptimeS &&
      current.joins >= base.joins &&
      current.messages >= base.messages;

    if (isSameRun && this.lastRates && current.atMs - base.atMs < MIN_RATE_WINDOW_MS) return this.lastRates;

    let rates: TRates;
    if (isSameRun) {
      const seconds = (current.atMs - base.atMs) / 1000;
      rates = {
        joinsPerSecond: round((current.joins - base.joins) / seconds),
        messagesPerSecond: round((current.messages - base.messages) / seconds),
        windowSeconds: round(seconds, 1),
      };
    } else {
      // uptime_s is whole seconds; a server younger than one second counts as one.
      const seconds = Math.max(current.uptimeS, 1);
      rates = {
        joinsPerSecond: round(current.joins / seconds),
        messagesPerSecond: round(current.messages / seconds),
        windowSeconds: seconds,
      };
    }
    this.baseline = current;
    this.lastRates = rates;
    return rates;
  }
}

export const UNAVAILABLE_REALTIME_STATS: TRealtimeStats = {
  source: 'unavailable',
  connections: null,
  channels: null,
  joins: null,
  joinsPerSecond: null,
  messagesPerSecond: null,
  rateWindowSeconds: null,
  deliveryLatencyMs: { p50: null, p95: null, p99: null, samples: null },
};

export function toRealtimeStats(snapshot: TRealtimeMetricsSnapshot, rates: TRates): TRealtimeStats {
  const latency = snapshot.db_broadcast_commit_to_send_ms;
  return {
    source: 'local',
    connections: snapshot.connections,
    channels: snapshot.channels,
    joins: snapshot.joins,
    joinsPerSecond: rates.joinsPerSecond,
    messagesPerSecond: rates.messagesPerSecond,
    rateWindowSeconds: rates.windowSeconds,
    deliveryLatencyMs: {
      p50: latency.p50_ms,
      p95: latency.p95_ms,
      p99: latency.p99_ms,
      samples: latency.count,
    },
  };
}

/** One tracker per realtime endpoint, for the life of this server process. */
const trackers = new Map<string, RateTracker>();

export async function readRealtimeStats(
  opts: TMetricsFetchOptions & { nowMs?: number },
): Promise<TRealtimeStats> {
  const result = await fetchRealtimeMetrics(opts);
  if (!result.ok) return UNAVAILABLE_REALTIME_STATS;
  let tracker = trackers.get(opts.supabaseUrl);
  if (!tracker) trackers.set(opts.supabaseUrl, (tracker = new RateTracker()));
  return toRealtimeStats(result.snapshot, tracker.sample(result.snapshot, opts.nowMs ?? Date.now()));
}
