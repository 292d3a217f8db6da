/**
 * The logical replication stream: pgoutput from publication `supabase_realtime` through
 * pg-logical-replication. The stream owns a TEMPORARY slot created on its own walsender connection
 * right before START_REPLICATION, so a restart never replays old changes and a dead process never
 * leaves a slot retaining WAL. Changes are grouped into committed transactions, in commit order.
 *
 * When the connection drops, the stream reconnects with backoff and creates a fresh slot: changes
 * committed during the gap are lost, as on hosted Supabase, where clients re-fetch on resubscribe.
 *
 * Database outage: positions are acknowledged exactly (../standby-feedback.ts), so at a Postgres
 * shutdown the walsender gets its final confirmation, ends the stream and lets the server stop in
 * a moment. The stream then keeps retrying with backoff (capped at a couple of seconds) until
 * Postgres is back, and carries on with a fresh slot; subscriptions live in the engine, so clients
 * keep receiving changes without re-joining.
 */
import { randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { LogicalReplicationService, PgoutputPlugin, type Pgoutput } from 'pg-logical-replication';
import { ReconnectBackoff } from '../reconnect-backoff';
import { attachStandbyFeedback, MANUAL_ACKNOWLEDGE } from '../standby-feedback';

export const PUBLICATION = 'supabase_realtime';
// Value text as hosted's `realtime.cast` sees it: ISO dates in UTC, default interval style.
const SESSION_OPTIONS = '-c timezone=UTC -c datestyle=ISO -c intervalstyle=postgres';

/** A decoded tuple: text values; `null` = SQL NULL; `undefined` = unchanged TOAST value not in the WAL. */
export type Tuple = Record<string, string | null | undefined>;

export interface RelationRef {
  oid: number;
  schema: string;
  table: string;
  /** Replica-identity columns as announced by the relation message. */
  keyColumns: string[];
  replicaIdentity: 'default' | 'nothing' | 'full' | 'index';
}

export interface DecodedChange {
  type: 'INSERT' | 'UPDATE' | 'DELETE';
  relation: RelationRef;
  newTuple?: Tuple;
  /** The full old row (REPLICA IDENTITY FULL). */
  oldFull?: Tuple;
  /** Only the replica-identity key of the old row. */
  oldKey?: Tuple;
}

export interface DecodedTransaction {
  /** The transaction id from the Begin message (32-bit, as pgoutput sends it). */
  xid: number;
  /** Commit time in microseconds since the Unix epoch. */
  commitTimeMicros: bigint;
  changes: DecodedChange[];
}

export interface ReplicationStreamOptions {
  dbUrl: string;
  log: (line: string) => void;
  /** Early filter: changes of relations nobody listens to are not even buffered. */
  isRelationWanted: (schema: string, table: string) => boolean;
  onTransaction: (tx: DecodedTransaction) => void;
  /** Called after (re)connects, with a running count, so the engine can expose it in its metrics. */
  onReconnect?: () => void;
  publication?: string;
}

const identity = (raw: unknown) => raw;

/**
 * pgoutput with our own slot handling: the temporary slot must be created on the replication
 * connection itself (temporary slots die with their session), and streaming starts exactly at the
 * slot's consistent point.
 */
class OwnSlotPgoutputPlugin extends PgoutputPlugin {
  constructor(publication: string) {
    super({ protoVersion: 1, publicationNames: [publication] });
  }

  parse(buffer: Buffer): Pgoutput.Message {
    const msg = super.parse(buffer);
    // Keep values as the type's text output: JSON conversion follows hosted rules, not node-pg's.
    if (msg.tag === 'relation') for (const c of msg.columns) c.parser = identity;
    return msg;
  }

  async start(client: Client, slotName: string): Promise<unknown> {
    const res = await client.query<{ consistent_point: string }>(
      `CREATE_REPLICATION_SLOT "${slotName}" TEMPORARY LOGICAL pgoutput (SNAPSHOT 'nothing')`,
    );
    return super.start(client, slotName, res.rows[0].consistent_point);
  }
}

export class ReplicationStream {
  private service: LogicalReplicationService | null = null;
  private stopFeedback: (() => void) | null = null;
  private running = false;
  private readonly reconnect = new ReconnectBackoff();
  private pending: DecodedTransaction | null = null;
  private readonly publication: string;
  slotName = '';

  constructor(private readonly opts: ReplicationStreamOptions) {
    this.publication = opts.publication ?? PUBLICATION;
  }

  /** Resolves once the first slot exists and streaming has begun; rejects if that first try fails. */
  async start(): Promise<void> {
    this.running = true;
    try {
      await this.connect();
    } catch (err) {
      this.running = false;
      throw err;
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    this.reconnect.cancel();
    await this.release();
  }

  private async release(): Promise<void> {
    this.stopFeedback?.();
    this.stopFeedback = null;
    const svc = this.service;
    this.service = null;
    this.pending = null;
    if (svc) await svc.destroy().catch(() => {});
  }

  /** Resolves when streaming starts; rejects when the stream ends before it started. */
  private connect(): Promise<void> {
    const slotName = `realtime_pgc_${process.pid}_${randomBytes(4).toString('hex')}`;
    this.slotName = slotName;
    this.pending = null;
    const svc = new LogicalReplicationService(
      { connectionString: this.opts.dbUrl, options: SESSION_OPTIONS, application_name: 'local-realtime-pgc' },
      MANUAL_ACKNOWLEDGE,
    );
    this.service = svc;
    svc.on('data', (_lsn: string, msg: Pgoutput.Message) => this.handle(msg));
    // Registered after the handler above: a position is confirmed only once it was processed.
    this.stopFeedback = attachStandbyFeedback(svc);
    svc.on('error', (err: Error) => this.opts.log(`[realtime:pgc] replication error: ${err.message}\n`));

    return new Promise<void>((resolve, reject) => {
      let started = false;
      svc.on('start', () => {
        started = true;
        this.reconnect.reset();
        this.opts.log(`[realtime:pgc] streaming from slot ${slotName}\n`);
        resolve();
      });
      const ended = (err: Error | null) => {
        if (!started) {
          if (this.service === svc) void this.release();
          reject(err ?? new Error('replication ended before it started'));
          return;
        }
        this.onStreamEnded(svc, err);
      };
      svc.subscribe(new OwnSlotPgoutputPlugin(this.publication), slotName).then(
        () => ended(null),
        (err: unknown) => ended(err instanceof Error ? err : new Error(String(err))),
      );
    });
  }

  private onStreamEnded(svc: LogicalReplicationService, err: Error | null) {
    if (this.service !== svc || !this.running) return;
    this.opts.log(
      `[realtime:pgc] replication connection lost${err ? `: ${err.message}` : ''}; reconnecting\n`,
    );
    void this.release();
    this.scheduleReconnect();
  }

  private scheduleReconnect() {
    if (!this.running) return;
    this.reconnect.schedule(() => {
      if (!this.running) return;
      this.connect().then(
        () => this.opts.onReconnect?.(),
        (err: unknown) => {
          this.opts.log(`[realtime:pgc] reconnect failed: ${(err as Error)?.message ?? err}\n`);
          this.scheduleReconnect();
        },
      );
    });
  }

  get isStreaming(): boolean {
    return this.service !== null && !this.service.isStop();
  }

  private handle(msg: Pgoutput.Message) {
    switch (msg.tag) {
      case 'begin':
        this.pending = { xid: msg.xid, commitTimeMicros: msg.commitTime as bigint, changes: [] };
        return;
      case 'commit': {
        const tx = this.pending;
        this.pending = null;
        if (tx && tx.changes.length) {
          tx.commitTimeMicros = msg.commitTime as bigint;
          this.opts.onTransaction(tx);
        }
        return;
      }
      case 'insert':
      case 'update':
      case 'delete': {
        const tx = this.pending;
        if (!tx) return;
        const rel = msg.relation;
        if (!this.opts.isRelationWanted(rel.schema, rel.name)) return;
        const relation: RelationRef = {
          oid: rel.relationOid,
          schema: rel.schema,
          table: rel.name,
          keyColumns: rel.keyColumns,
          replicaIdentity: rel.replicaIdentity,
        };
        if (msg.tag === 'insert') tx.changes.push({ type: 'INSERT', relation, newTuple: msg.new as Tuple });
        else if (msg.tag === 'update')
          tx.changes.push({
            type: 'UPDATE',
            relation,
            newTuple: msg.new as Tuple,
            oldFull: (msg.old as Tuple | null) ?? undefined,
            oldKey: (msg.key as Tuple | null) ?? undefined,
          });
        else
          tx.changes.push({
            type: 'DELETE',
            relation,
            oldFull: (msg.old as Tuple | null) ?? undefined,
            oldKey: (msg.key as Tuple | null) ?? undefined,
          });
        return;
      }
      default:
        return;
    }
  }
}
