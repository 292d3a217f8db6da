/**
 * Broadcast from the database: committed INSERTs on `realtime.messages` (written by `realtime.send`
 * and `realtime.broadcast_changes`) are streamed by logical replication (pgoutput, publication
 * `supabase_realtime_messages_publication`) and handed to the socket server — no polling.
 *
 * The stack owns its slot: it is dropped and created fresh at start (so a restart never replays old
 * messages) and dropped at stop (so no slot is left retaining WAL). Changes are acknowledged as they
 * arrive, with exact positions (see standby-feedback.ts: that is what lets Postgres shut down).
 *
 * Database outage: when Postgres stops or restarts, the walsender ends the stream (after our final
 * status report) and we reconnect on the same slot with back-off until it is back. The slot is
 * persistent, so broadcasts committed after the restart but before we reconnect are still delivered.
 * If the slot is gone (the cluster was reset underneath us) it is created again.
 */
import { LogicalReplicationService, PgoutputPlugin, type Pgoutput } from 'pg-logical-replication';
import type { Pool } from '../db';
import type { DatabaseMessage } from './server';
import { ReconnectBackoff } from './reconnect-backoff';
import { attachStandbyFeedback, MANUAL_ACKNOWLEDGE } from './standby-feedback';

export const MESSAGES_PUBLICATION = 'supabase_realtime_messages_publication';
/** How long `start()` waits for streaming to begin before leaving it to the reconnect loop. */
const START_WAIT_MS = 5_000;
const UNDEFINED_OBJECT = '42704';

export interface DatabaseBroadcastOptions {
  pool: Pool;
  dbUrl: string;
  slot: string;
  log: (line: string) => void;
  deliver: (message: DatabaseMessage, commitTimeMs: number | null) => void;
}

function asString(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** Turns a decoded realtime.messages row into a broadcast; null for rows that are not broadcasts. */
export function toDatabaseMessage(row: Record<string, unknown>): DatabaseMessage | null {
  const id = asString(row.id);
  const topic = asString(row.topic);
  if (!id || !topic || row.extension !== 'broadcast') return null;
  const binary = row.binary_payload;
  return {
    id,
    topic,
    event: asString(row.event) ?? '',
    isPrivate: row.private === true,
    payload: row.payload ?? undefined,
    binaryPayload: Buffer.isBuffer(binary) ? binary : undefined,
  };
}

export class DatabaseBroadcast {
  private service: LogicalReplicationService | null = null;
  private stopFeedback: (() => void) | null = null;
  private stopped = true;
  private commitTimeMs: number | null = null;
  private readonly reconnect = new ReconnectBackoff();
  private streaming = false;
  /** Set when the last attempt failed because the slot does not exist. */
  private slotMissing = false;

  constructor(private readonly opts: DatabaseBroadcastOptions) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.recreateSlot();
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.reconnect.cancel();
    await this.release();
    await this.dropSlot().catch((err: unknown) =>
      this.opts.log(`[realtime] dropping slot ${this.opts.slot}: ${(err as Error).message}\n`),
    );
  }

  /** True while changes are being streamed. */
  get isStreaming(): boolean {
    return this.streaming && !this.stopped;
  }

  private async release(): Promise<void> {
    this.streaming = false;
    this.stopFeedback?.();
    this.stopFeedback = null;
    const service = this.service;
    this.service = null;
    await service?.destroy().catch(() => {});
  }

  private async dropSlot(): Promise<void> {
    // A slot still held by a replication backend (ours from a previous run, for instance) cannot be
    // dropped; end that backend first.
    await this.opts.pool.query(
      `select pg_terminate_backend(active_pid) from pg_replication_slots where slot_name = $1 and active_pid is not null`,
      [this.opts.slot],
    );
    for (let i = 0; i < 20; i++) {
      try {
        await this.opts.pool.query(
          `select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = $1`,
          [this.opts.slot],
        );
        return;
      } catch (err) {
        // 55006: the terminated backend has not released the slot yet.
        if ((err as { code?: string }).code !== '55006') throw err;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  private async recreateSlot(): Promise<void> {
    await this.dropSlot();
    await this.opts.pool.query(`select pg_create_logical_replication_slot($1, 'pgoutput')`, [this.opts.slot]);
  }

  private async connect(): Promise<void> {
    if (this.slotMissing) {
      await this.opts.pool.query(
        `select pg_create_logical_replication_slot($1, 'pgoutput')
         where not exists (select 1 from pg_replication_slots where slot_name = $1)`,
        [this.opts.slot],
      );
      this.slotMissing = false;
    }
    const service = new LogicalReplicationService(
      { connectionString: this.opts.dbUrl, application_name: 'local-realtime-broadcast' },
      MANUAL_ACKNOWLEDGE,
    );
    this.service = service;
    service.on('data', (_lsn: string, log: Pgoutput.Message) => this.onMessage(log));
    // Registered after the handler above: a position is confirmed only once its message was delivered.
    this.stopFeedback = attachStandbyFeedback(service);
    const started = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, START_WAIT_MS);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      service.once('start', done);
      service.once('error', done);
    });
    service.on('start', () => {
      if (this.reconnect.isRetrying)
        this.opts.log(`[realtime] database broadcast resumed on slot ${this.opts.slot}\n`);
      this.reconnect.reset();
      this.streaming = true;
    });
    service.on('error', (err: Error) => this.onStreamEnded(service, err));
    const plugin = new PgoutputPlugin({ protoVersion: 1, publicationNames: [MESSAGES_PUBLICATION] });
    // subscribe() settles only when the stream ends (the server shut down, the connection broke).
    service.subscribe(plugin, this.opts.slot).then(
      () => this.onStreamEnded(service, null),
      (err: unknown) => this.onStreamEnded(service, err instanceof Error ? err : new Error(String(err))),
    );
    // Resolve when streaming has started, or give up waiting (the reconnect loop keeps trying).
    await started;
  }

  private onStreamEnded(service: LogicalReplicationService, err: Error | null): void {
    if (this.stopped || this.service !== service) return;
    if ((err as { code?: string } | null)?.code === UNDEFINED_OBJECT) this.slotMissing = true;
    this.opts.log(
      `[realtime] database broadcast stream ended${err ? `: ${err.message}` : ''}; reconnecting\n`,
    );
    void this.release();
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.reconnect.schedule(() => {
      if (this.stopped) return;
      this.connect().catch((err: unknown) => {
        // Only the slot re-creation can throw here (the database is still down): try again later.
        this.opts.log(`[realtime] database broadcast reconnect failed: ${(err as Error).message}\n`);
        this.scheduleReconnect();
      });
    });
  }

  private onMessage(log: Pgoutput.Message): void {
    switch (log.tag) {
      case 'begin':
        // Microseconds since the Unix epoch: the commit time used for commit→send latency.
        this.commitTimeMs = Number(log.commitTime) / 1000;
        return;
      case 'insert': {
        if (log.relation.schema !== 'realtime' || log.relation.name !== 'messages') return;
        const message = toDatabaseMessage(log.new);
        if (!message) return;
        try {
          this.opts.deliver(message, this.commitTimeMs);
        } catch (err) {
          this.opts.log(`[realtime] UnableToBroadcastChanges: ${(err as Error).message}\n`);
        }
        return;
      }
      default:
        return;
    }
  }
}
