/**
 * The Realtime service of the local stack (`/realtime/v1`): the websocket at `/websocket`, the REST
 * broadcast API, database broadcast by logical replication, Postgres Changes (its own engine in
 * ./postgres-changes) and the `realtime.messages` janitor.
 */
import type { ServiceContext, UpgradeService } from '../service';
import { DatabaseBroadcast } from './db-broadcast';
import { MessagesJanitor } from './janitor';
import type { TRealtimeMetricsSnapshot } from './metrics';
import { resolveOptions, type RealtimeOptions } from './options';
import {
  createPostgresChangesEngine,
  type EngineMetrics,
  type PostgresChangesEngine,
} from './postgres-changes';
import { ReauthorizeListener } from './reauthorize';
import { handleRestRequest } from './rest-api';
import { RealtimeServer } from './server';

export type { RealtimeOptions } from './options';

export interface RealtimeMetricsSnapshot extends TRealtimeMetricsSnapshot {
  postgres_changes_engine: EngineMetrics | null;
}

export interface RealtimeService extends UpgradeService {
  /** Live counters (connections, channels, joins, messages per extension, commit→send latency). */
  metrics(): RealtimeMetricsSnapshot;
  readonly options: RealtimeOptions;
}

export function createRealtimeService(
  ctx: ServiceContext,
  partial: Partial<RealtimeOptions> = {},
): RealtimeService {
  const options = resolveOptions(partial);
  const server = new RealtimeServer(ctx, options);
  const janitor = new MessagesJanitor(
    ctx.pool,
    options.janitorIntervalMs,
    options.messageRetentionDays,
    ctx.log,
  );
  const dbBroadcast = options.databaseBroadcast
    ? new DatabaseBroadcast({
        pool: ctx.pool,
        dbUrl: ctx.settings.dbUrl,
        slot: options.replicationSlot,
        log: ctx.log,
        deliver: (message, commitTimeMs) => server.deliverFromDatabase(message, commitTimeMs),
      })
    : null;
  const reauthorizer = new ReauthorizeListener({
    dbUrl: ctx.settings.dbUrl,
    log: ctx.log,
    reauthorize: (userId) => server.reauthorizeUser(userId),
  });
  let engine: PostgresChangesEngine | null = null;

  const metrics = (): RealtimeMetricsSnapshot => ({
    ...server.metrics.snapshot(),
    postgres_changes_engine: engine ? engine.metrics() : null,
  });

  return {
    options,
    metrics,
    async start() {
      await janitor.start();
      if (options.postgresChanges) {
        engine = createPostgresChangesEngine({ pool: ctx.pool, dbUrl: ctx.settings.dbUrl, log: ctx.log });
        await engine.start();
        server.setPostgresChangesEngine(engine);
      }
      await dbBroadcast?.start();
      if (dbBroadcast) server.setReplicationReadiness(() => dbBroadcast.isStreaming);
      await reauthorizer.start();
      server.start();
    },
    async close() {
      janitor.stop();
      await reauthorizer.stop();
      await server.close();
      await dbBroadcast?.stop();
      await engine?.stop();
    },
    async handle(req, res, path, url) {
      await handleRestRequest({ server, jwt: ctx.jwt, metrics }, req, res, path, url);
    },
    handleUpgrade(req, socket, head, path, url) {
      server.handleUpgrade(req, socket, head, path, url);
    },
  };
}
