/**
 * Broadcast from the database: committed INSERTs on `realtime.messages` (written by `realtime.send`
 * and `realtime.broadcast_changes`) are streamed by logical replication (pgoutput, publication
 * `supabase_realtime_messages_publication`) and handed to the socket server — no polling.
 *
 * The stack owns its slot: it is dropped and created fresh at start (so a restart never replays old
 * messages) and dropped at stop (so no slot is left retaining WAL). Changes are acknowledged as they
 * arrive. If the replication connection drops, it is re-established on the same slot with back-off.
 */
import { LogicalReplicationService, PgoutputPlugin, type Pgoutput } from 'pg-logical-replication';
import type { Pool } from '../db';
import type { DatabaseMessage } from './server';

export const MESSAGES_PUBLICATION = 'supabase_realtime_messages_publication';
const RECONNECT_DELAYS_MS = [100, 500, 1_000, 2_000, 5_000];

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
  private stopped = true;
  private commitTimeMs: number | null = null;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private streaming = false;

  constructor(private readonly opts: DatabaseBroadcastOptions) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.recreateSlot();
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const service = this.service;
    this.service = null;
    await service?.destroy().catch(() => {});
    await this.dropSlot().catch((err: unknown) =>
      this.opts.log(`[realtime] dropping slot ${this.opts.slot}: ${(err as Error).message}\n`),
    );
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
    const service = new LogicalReplicationService(
      { connectionString: this.opts.dbUrl, application_name: 'local-realtime-broadcast' },
      { acknowledge: { auto: true, timeoutSeconds: 10 } },
    );
    this.service = service;
    service.on('data', (_lsn: string, log: Pgoutput.Message) => this.onMessage(log));
    service.on('start', () => {
      this.attempt = 0;
      this.streaming = true;
    });
    service.on('error', (err: Error) => {
      if (this.stopped || this.service !== service) return;
      this.opts.log(`[realtime] database broadcast replication error: ${err.message}\n`);
      this.scheduleReconnect(service);
    });
    const plugin = new PgoutputPlugin({ protoVersion: 1, publicationNames: [MESSAGES_PUBLICATION] });
    // subscribe() resolves only when the stream ends; failures surface through 'error'.
    service.subscribe(plugin, this.opts.slot).then(
      () => {
        if (!this.stopped && this.service === service) this.scheduleReconnect(service);
      },
      () => {
        if (!this.stopped && this.service === service) this.scheduleReconnect(service);
      },
    );
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      // Resolve when streaming has started, or give up waiting (the reconnect loop keeps trying).
      const timer = setTimeout(done, 5_000);
      service.once('start', done);
      service.once('error', done);
    });
  }

  /** True while changes are being streamed. */
  get isStreaming(): boolean {
    return this.streaming && !this.stopped;
  }

  private scheduleReconnect(service: LogicalReplicationService): void {
    this.streaming = false;
    if (this.reconnectTimer || this.stopped) return;
    const delay = RECONNECT_DELAYS_MS[Math.min(this.attempt, RECONNECT_DELAYS_MS.length - 1)];
    this.attempt++;
    void service.destroy().catch(() => {});
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.stopped) return;
      this.connect().catch((err: unknown) =>
        this.opts.log(`[realtime] database broadcast reconnect failed: ${(err as Error).message}\n`),
      );
    }, delay);
    this.reconnectTimer.unref();
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
