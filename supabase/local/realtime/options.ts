/**
 * Tunables of the local Realtime server. Defaults follow hosted Supabase where hosted has a documented
 * value (channels per socket, presence calls per client, broadcast payload size); local-only knobs
 * (back-off sleeps, sweep cadence, buffers) default to what keeps a developer machine and the test
 * suite fast. Every limit is an option so tests can tighten it.
 */
export interface RealtimeOptions {
  /** Close a socket that sent nothing (not even a heartbeat) for this long. realtime-js beats every 25 s. */
  idleTimeoutMs: number;
  /** Cadence of the one shared timer that finds idle sockets and expired channel tokens. */
  sweepIntervalMs: number;
  /** Hosted sleeps 2 s before answering a failed upgrade; locally that only slows tests down. */
  connectErrorBackoffMs: number;
  /** Hosted sleeps 5 s before every join error (CHANNEL_ERROR_BACKOFF_MS); 0 locally. */
  channelErrorBackoffMs: number;
  maxConnections: number;
  maxChannelsPerSocket: number;
  maxJoinsPerSecondPerSocket: number;
  maxJoinsPerSecond: number;
  /** Client messages (broadcast, presence, access_token, …; heartbeats excluded) per socket per second. */
  maxMessagesPerSecondPerSocket: number;
  /** Client messages plus REST broadcasts for the whole (single-tenant) server per second. */
  maxMessagesPerSecond: number;
  /** Hosted Free plan: 256 KB. Larger user payloads get a `PayloadSizeExceeded` error. */
  maxBroadcastPayloadBytes: number;
  /** Largest websocket frame accepted at all (hosted: 5 MB; ws closes the socket with 1009 above it). */
  maxFrameBytes: number;
  /** Hosted: 5 presence calls per client per 30 s, then the channel is shut down. */
  presenceMaxCallsPerWindow: number;
  presenceWindowMs: number;
  /**
   * Slow-consumer policy: when a socket's unsent bytes exceed this, the socket is closed with 1013
   * (try again later) instead of buffering without bound; realtime-js reconnects and rejoins.
   */
  sendBufferHighWaterBytes: number;
  /** How often the janitor creates upcoming `realtime.messages` partitions and drops old ones. */
  janitorIntervalMs: number;
  messageRetentionDays: number;
  /** Stream `realtime.messages` inserts (broadcast from the database). */
  databaseBroadcast: boolean;
  /** Start the Postgres Changes engine. */
  postgresChanges: boolean;
  replicationSlot: string;
}

export const DEFAULT_REALTIME_OPTIONS: RealtimeOptions = {
  idleTimeoutMs: 60_000,
  sweepIntervalMs: 1_000,
  connectErrorBackoffMs: 0,
  channelErrorBackoffMs: 0,
  maxConnections: 10_000,
  maxChannelsPerSocket: 100,
  maxJoinsPerSecondPerSocket: 100,
  maxJoinsPerSecond: 5_000,
  maxMessagesPerSecondPerSocket: 5_000,
  maxMessagesPerSecond: 100_000,
  maxBroadcastPayloadBytes: 256 * 1024,
  maxFrameBytes: 5_000_000,
  presenceMaxCallsPerWindow: 5,
  presenceWindowMs: 30_000,
  sendBufferHighWaterBytes: 4 * 1024 * 1024,
  janitorIntervalMs: 60 * 60 * 1000,
  messageRetentionDays: 3,
  databaseBroadcast: true,
  postgresChanges: true,
  replicationSlot: 'local_realtime_messages_slot',
};

export function resolveOptions(partial: Partial<RealtimeOptions> = {}): RealtimeOptions {
  const out = { ...DEFAULT_REALTIME_OPTIONS };
  for (const [k, v] of Object.entries(partial) as Array<[keyof RealtimeOptions, unknown]>) {
    if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  // A frame must at least fit the largest payload we accept plus the envelope.
  out.maxFrameBytes = Math.max(out.maxFrameBytes, out.maxBroadcastPayloadBytes + 64 * 1024);
  return out;
}
