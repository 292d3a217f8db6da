import { describe, expect, it } from 'vitest';
import {
  fetchRealtimeMetrics,
  MIN_RATE_WINDOW_MS,
  RateTracker,
  toRealtimeStats,
  ZRealtimeMetricsSnapshot,
  type TRealtimeMetricsSnapshot,
} from '@/lib/ops/metrics';
import { ZRealtimeStats } from '@/lib/ops/schemas';
import { RealtimeMetrics } from '@/supabase/local/realtime/metrics';

function snapshot(
  over: { uptime?: number; joins?: number; messagesIn?: number; messagesOut?: number } = {},
): TRealtimeMetricsSnapshot {
  return {
    uptime_s: over.uptime ?? 100,
    connections: 3,
    channels: 5,
    joins: over.joins ?? 0,
    messages_in: { broadcast: over.messagesIn ?? 0, presence: 0, postgres_changes: 0 },
    messages_out: { broadcast: 0, presence: 0, postgres_changes: over.messagesOut ?? 0 },
    db_broadcast_commit_to_send_ms: { count: 0, p50_ms: null, p95_ms: null, p99_ms: null },
  };
}

describe('the local stack’s metrics snapshot', () => {
  it('parses, and maps to the stats shape with its latency quantiles', () => {
    // The real class the local Realtime server serves at /api/metrics, so a change there fails here.
    const metrics = new RealtimeMetrics();
    metrics.connections = 2;
    metrics.channels = 4;
    metrics.joins = 9;
    metrics.messagesOut.broadcast = 12;
    for (const ms of [0.3, 0.8, 1.5, 4, 30]) metrics.dbBroadcastLatency.record(ms);
    const parsed = ZRealtimeMetricsSnapshot.parse(JSON.parse(JSON.stringify(metrics.snapshot())));
    const stats = ZRealtimeStats.parse(
      toRealtimeStats(parsed, { joinsPerSecond: 1, messagesPerSecond: 2, windowSeconds: 3 }),
    );
    expect(stats).toEqual({
      source: 'local',
      connections: 2,
      channels: 4,
      joins: 9,
      joinsPerSecond: 1,
      messagesPerSecond: 2,
      rateWindowSeconds: 3,
      deliveryLatencyMs: { p50: 2, p95: 30, p99: 30, samples: 5 },
    });
  });
});

describe('RateTracker', () => {
  it('averages since server start on the first sample, then over the time between samples', () => {
    const tracker = new RateTracker();
    expect(
      tracker.sample(snapshot({ uptime: 50, joins: 100, messagesIn: 400, messagesOut: 600 }), 1_000_000),
    ).toEqual({
      joinsPerSecond: 2,
      messagesPerSecond: 20,
      windowSeconds: 50,
    });
    expect(
      tracker.sample(snapshot({ uptime: 55, joins: 110, messagesIn: 450, messagesOut: 650 }), 1_005_000),
    ).toEqual({
      joinsPerSecond: 2,
      messagesPerSecond: 20,
      windowSeconds: 5,
    });
    expect(
      tracker.sample(snapshot({ uptime: 57, joins: 110, messagesIn: 450, messagesOut: 650 }), 1_007_000),
    ).toEqual({
      joinsPerSecond: 0,
      messagesPerSecond: 0,
      windowSeconds: 2,
    });
  });

  it('repeats the previous answer for samples closer together than the minimum window', () => {
    const tracker = new RateTracker();
    tracker.sample(snapshot({ uptime: 10, joins: 10 }), 0);
    const second = tracker.sample(snapshot({ uptime: 14, joins: 30 }), 4_000);
    expect(second).toEqual({ joinsPerSecond: 5, messagesPerSecond: 0, windowSeconds: 4 });
    expect(tracker.sample(snapshot({ uptime: 14, joins: 1_000 }), 4_000 + MIN_RATE_WINDOW_MS - 1)).toEqual(
      second,
    );
    // The baseline stayed at 4 s, so the next real window measures from there.
    expect(tracker.sample(snapshot({ uptime: 16, joins: 50 }), 6_000)).toEqual({
      joinsPerSecond: 10,
      messagesPerSecond: 0,
      windowSeconds: 2,
    });
  });

  it.each([
    ['uptime went backwards', snapshot({ uptime: 2, joins: 500 })],
    ['a counter went backwards', snapshot({ uptime: 200, joins: 20 })],
  ])('treats a restarted server (%s) as a first sample', (_name, next) => {
    const tracker = new RateTracker();
    tracker.sample(snapshot({ uptime: 100, joins: 100 }), 0);
    const rates = tracker.sample(next, 10_000);
    expect(rates.windowSeconds).toBe(next.uptime_s);
    expect(rates.joinsPerSecond).toBe(next.joins / next.uptime_s);
  });

  it('counts a server younger than a second as one second old', () => {
    expect(new RateTracker().sample(snapshot({ uptime: 0, joins: 3 }), 0)).toEqual({
      joinsPerSecond: 3,
      messagesPerSecond: 0,
      windowSeconds: 1,
    });
  });
});

describe('fetchRealtimeMetrics', () => {
  const base = { supabaseUrl: 'http://metrics.test/', serviceRoleKey: 'service-key-for-tests' };

  it('asks the realtime metrics path with the service-role key', async () => {
    const seen: Array<{ url: string; headers: Headers }> = [];
    const result = await fetchRealtimeMetrics({
      ...base,
      fetch: async (input, init) => {
        seen.push({ url: String(input), headers: new Headers(init?.headers) });
        return Response.json(snapshot({ joins: 1 }));
      },
    });
    expect(result).toEqual({ ok: true, snapshot: snapshot({ joins: 1 }) });
    expect(seen).toHaveLength(1);
    expect(seen[0].url).toBe('http://metrics.test/realtime/v1/api/metrics');
    expect(seen[0].headers.get('authorization')).toBe('Bearer service-key-for-tests');
    expect(seen[0].headers.get('apikey')).toBe('service-key-for-tests');
  });

  it.each<[string, typeof globalThis.fetch, string]>([
    [
      'a hosted project (404)',
      async () => new Response('{"message":"no Route matched"}', { status: 404 }),
      'HTTP 404',
    ],
    ['a refusal (403)', async () => Response.json({ message: 'Forbidden' }, { status: 403 }), 'HTTP 403'],
    ['an unexpected body', async () => Response.json({ hello: 'world' }), 'unexpected response shape'],
    ['a body that is not JSON', async () => new Response('<html>', { status: 200 }), 'SyntaxError'],
    ['a network failure', async () => Promise.reject(new TypeError('fetch failed')), 'TypeError'],
  ])('reports %s as unavailable instead of throwing', async (_name, fetchImpl, reason) => {
    await expect(fetchRealtimeMetrics({ ...base, fetch: fetchImpl })).resolves.toEqual({ ok: false, reason });
  });
});
