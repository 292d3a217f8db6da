/**
 * Postgres Changes for the local Realtime server: changes read by logical replication (pgoutput,
 * publication `supabase_realtime`) and delivered per subscriber with row-level security as hosted
 * Supabase does it. The socket/channel layer calls this engine; it knows nothing about websockets.
 */
import type { Pool } from '../../db';
import { PostgresChangesEngineImpl, type EngineMetrics } from './engine';

export { PgChangesError } from './errors';
export type { EngineMetrics } from './engine';

export interface PgChangeBinding {
  event: '*' | 'INSERT' | 'UPDATE' | 'DELETE';
  schema: string;
  table?: string;
  filter?: string;
  select?: string[];
}

export interface PgChangesSubscription {
  /** Binding ids in the order the bindings were given (the join reply echoes them). */
  ids: number[];
  /** New token claims (`access_token` push): later changes are checked against these. */
  updateClaims(claims: Record<string, unknown>): Promise<void>;
  close(): void;
}

export interface PostgresChangesEngine {
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Validates bindings (throws PgChangesError whose message is what the server puts in the `system`
   * error), registers them, and calls deliver(ids, data) for each change this subscriber may see;
   * resolves once the subscription is live.
   */
  subscribe(
    bindings: PgChangeBinding[],
    claims: Record<string, unknown>,
    deliver: (ids: number[], data: Record<string, unknown>) => void,
  ): Promise<PgChangesSubscription>;
  /** Stable id (same binding → same id), computed synchronously. */
  bindingId(binding: PgChangeBinding): number;
  /** Counters for the stats endpoint. */
  metrics(): EngineMetrics;
}

export function createPostgresChangesEngine(opts: {
  pool: Pool;
  dbUrl: string;
  log: (l: string) => void;
}): PostgresChangesEngine {
  const engine = new PostgresChangesEngineImpl(opts);
  return {
    start: () => engine.start(),
    stop: () => engine.stop(),
    subscribe: (bindings, claims, deliver) => engine.subscribe(bindings, claims, deliver),
    bindingId: (binding) => engine.bindingId(binding),
    metrics: () => engine.metrics(),
  };
}
