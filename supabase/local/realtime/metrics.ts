/**
 * In-memory counters of the Realtime server, read by `service.metrics()` and `GET /api/metrics`.
 * Counting is a few integer increments on the hot path; percentiles are estimated from a fixed
 * bucket histogram so recording a latency never allocates.
 */
export type Extension = 'broadcast' | 'presence' | 'postgres_changes';

/** Upper bounds (ms) of the commit→send latency buckets; the last bucket is open-ended. */
export const LATENCY_BUCKETS_MS = [0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 5_000] as const;

export class LatencyHistogram {
  readonly counts = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  count = 0;
  sum = 0;
  max = 0;

  record(ms: number): void {
    const v = ms < 0 ? 0 : ms;
    let i = 0;
    while (i < LATENCY_BUCKETS_MS.length && v > LATENCY_BUCKETS_MS[i]) i++;
    this.counts[i] += 1;
    this.count += 1;
    this.sum += v;
    if (v > this.max) this.max = v;
  }

  /** Upper bound of the bucket holding the q-quantile (q in 0..1); `max` for the open bucket. */
  quantile(q: number): number | null {
    if (this.count === 0) return null;
    const rank = Math.ceil(q * this.count);
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i];
      if (seen >= rank)
        return i < LATENCY_BUCKETS_MS.length ? Math.min(LATENCY_BUCKETS_MS[i], this.max) : this.max;
    }
    return this.max;
  }

  snapshot() {
    return {
      count: this.count,
      mean_ms: this.count ? this.sum / this.count : null,
      p50_ms: this.quantile(0.5),
      p95_ms: this.quantile(0.95),
      p99_ms: this.quantile(0.99),
      max_ms: this.count ? this.max : null,
      /** `le_ms: null` is the open-ended last bucket. */
      buckets: [
        ...LATENCY_BUCKETS_MS.map((le, i): { le_ms: number | null; count: number } => ({
          le_ms: le,
          count: this.counts[i],
        })),
        { le_ms: null, count: this.counts[LATENCY_BUCKETS_MS.length] },
      ],
    };
  }
}

export class RealtimeMetrics {
  readonly startedAt = Date.now();
  connections = 0;
  connectionsTotal = 0;
  connectionsRejected = 0;
  channels = 0;
  joins = 0;
  joinErrors = 0;
  messagesIn: Record<Extension, number> = { broadcast: 0, presence: 0, postgres_changes: 0 };
  messagesOut: Record<Extension, number> = { broadcast: 0, presence: 0, postgres_changes: 0 };
  restBroadcasts = 0;
  dbBroadcasts = 0;
  malformedFrames = 0;
  rateLimited = 0;
  slowConsumerDisconnects = 0;
  idleDisconnects = 0;
  /** Private channels re-checked because their user's membership changed (reauthorize.ts). */
  reauthorizations = 0;
  /** Bytes written to sockets but not yet sent (total, and the largest single socket), read on demand. */
  sendBuffers: () => { total: number; max: number } = () => ({ total: 0, max: 0 });
  readonly dbBroadcastLatency = new LatencyHistogram();

  private sendBufferSnapshot() {
    const { total, max } = this.sendBuffers();
    // What the server holds for slow readers: bounded by the slow-consumer high-water mark.
    return { send_buffered_bytes: total, send_buffered_bytes_max: max };
  }

  snapshot() {
    return {
      uptime_s: Math.round((Date.now() - this.startedAt) / 1000),
      connections: this.connections,
      connections_total: this.connectionsTotal,
      connections_rejected: this.connectionsRejected,
      channels: this.channels,
      joins: this.joins,
      join_errors: this.joinErrors,
      messages_in: { ...this.messagesIn },
      messages_out: { ...this.messagesOut },
      rest_broadcasts: this.restBroadcasts,
      db_broadcasts: this.dbBroadcasts,
      malformed_frames: this.malformedFrames,
      rate_limited: this.rateLimited,
      slow_consumer_disconnects: this.slowConsumerDisconnects,
      idle_disconnects: this.idleDisconnects,
      reauthorizations: this.reauthorizations,
      ...this.sendBufferSnapshot(),
      db_broadcast_commit_to_send_ms: this.dbBroadcastLatency.snapshot(),
    };
  }
}
export type TRealtimeMetricsSnapshot = ReturnType<RealtimeMetrics['snapshot']>;
