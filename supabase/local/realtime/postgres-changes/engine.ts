/**
 * The Postgres Changes engine: committed transactions from the replication stream are matched
 * against every live binding (event, schema/table incl. wildcards, filters), re-checked against RLS
 * once per distinct claim set, shaped per (role, selected columns) and delivered per subscriber —
 * in commit order, after commit. Transactions that commit while earlier ones are still being checked
 * are checked together as one batch (one RLS round trip per table for all of them), which keeps up
 * with high commit rates without adding any delay when the stream is idle.
 */
import type { Pool } from '../../db';
import { compileBinding, type BindingInput, type CompiledBinding } from './bindings';
import { computeBindingId } from './binding-id';
import { catalogFingerprint, loadTableInfo, type TableInfo } from './catalog';
import { CHANGE_ERRORS, PgChangesError } from './errors';
import { evaluateInPostgres, type SqlComparison } from './filter-eval';
import { evaluateLocally } from './filters';
import { ReplicationStream, type DecodedChange, type DecodedTransaction, type Tuple } from './replication';
import {
  MAX_RECORD_BYTES,
  shapeChange,
  shapeError,
  walSize,
  type ChangeView,
  type PgChangeData,
} from './shape';
import { formatCommitTimestamp } from './values';
import { MAX_VISIBILITY_WAIT_MS } from './snapshot';
import { visibleRowsBatch, type BatchAnswer, type VisibilityGroup } from './visibility';

/** At most this many visibility round trips of one batch run at once (they share the API pool). */
const VISIBILITY_CONCURRENCY = 4;
/**
 * Transactions that commit while a batch is being checked wait and are checked together next; this
 * caps one batch so a long backlog still streams out in bounded steps (and bounded query strings).
 */
const MAX_BATCH_TRANSACTIONS = 256;
/** Claim sets per visibility round trip; several round trips of one table may run in parallel. */
const MAX_GROUPS_PER_ROUND_TRIP = 50;
/** A batch is evaluated again at most this often after finding a cached catalog view stale. */
const MAX_BATCH_EVALUATIONS = 3;
// Column types whose equality is plain string equality of the text form (deterministic collation).
const TEXT_REGTYPES = new Set(['text', 'character varying', 'name']);

export type DeliverFn = (ids: number[], data: Record<string, unknown>) => void;

interface Subscriber {
  key: number;
  role: string;
  claims: Record<string, unknown>;
  /** Role + claims JSON: the unit of RLS evaluation. */
  claimsKey: string;
  bindings: CompiledBinding[];
  deliver: DeliverFn;
  closed: boolean;
}

export interface EngineMetrics {
  transactions: number;
  changes: number;
  deliveries: number;
  errors: number;
  visibilityQueries: number;
  filterQueries: number;
  subscriptions: number;
  bindings: number;
  reconnects: number;
  /** Visibility checks that found the batch's commits not yet visible and waited for them. */
  visibilityWaits: number;
  /** (change, claim set) pairs RLS withheld. */
  skippedRls: number;
  /** (change, claim set) pairs not delivered because the row was gone when checked (later delete / key change). */
  skippedRowGone: number;
  /** (change, claim set) pairs not delivered because the commit never became visible within the wait limit. */
  skippedNotVisible: number;
  /** Changes not delivered because their table was gone (dropped) or its catalog read failed. */
  skippedTableGone: number;
  /** Catalog reads of their own (round trips); the cached path re-reads inside the RLS round trip. */
  catalogReads: number;
  /** Cached catalog views found stale, each re-evaluating its batch. */
  catalogInvalidations: number;
}

interface Candidate {
  sub: Subscriber;
  binding: CompiledBinding;
}

/** One row a claim set is asked about: its index in the group's keys and in the table's existence probe. */
interface GroupRow {
  item: WorkItem;
  keyAt: number;
  probeAt: number;
}

type Outcome = { kind: 'pass' } | { kind: 'error'; error: string } | { kind: 'skip' };

interface WorkItem {
  /** Xid of the change's transaction: checks wait until it is visible. */
  xid: number;
  change: DecodedChange;
  /** The table was gone (or its catalog unreadable): nobody gets the change; counted and logged. */
  tableGone?: boolean;
  candidates: Candidate[];
  view?: ChangeView;
  outcomes: Outcome[];
}

const roleOf = (claims: Record<string, unknown>): string | null =>
  typeof claims.role === 'string' && claims.role ? claims.role : null;

function eventMatches(event: CompiledBinding['event'], type: DecodedChange['type']): boolean {
  return event === '*' || event === type;
}

function tableMatches(b: CompiledBinding, schema: string, table: string): boolean {
  return (b.schema === '*' || b.schema === schema) && (b.table === '*' || b.table === table);
}

/** Runs tasks with bounded concurrency; never rejects (each task handles its own errors). */
async function runBounded(tasks: Array<() => Promise<void>>, limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]();
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

export class PostgresChangesEngineImpl {
  private readonly subs = new Map<number, Subscriber>();
  /** Catalog views by table oid, reused while an in-band re-read confirms them (see tableInfos). */
  private readonly tableCache = new Map<number, TableInfo>();
  private nextKey = 1;
  private stream: ReplicationStream | null = null;
  /** Committed transactions waiting for the running batch to finish, in commit order. */
  private readonly pending: DecodedTransaction[] = [];
  private draining = false;
  private drained: Promise<void> = Promise.resolve();
  private readonly counters: EngineMetrics = {
    transactions: 0,
    changes: 0,
    deliveries: 0,
    errors: 0,
    visibilityQueries: 0,
    filterQueries: 0,
    subscriptions: 0,
    bindings: 0,
    reconnects: 0,
    visibilityWaits: 0,
    skippedRls: 0,
    skippedRowGone: 0,
    skippedNotVisible: 0,
    skippedTableGone: 0,
    catalogReads: 0,
    catalogInvalidations: 0,
  };

  constructor(private readonly opts: { pool: Pool; dbUrl: string; log: (l: string) => void }) {}

  async start(): Promise<void> {
    if (this.stream) return;
    const stream = new ReplicationStream({
      dbUrl: this.opts.dbUrl,
      log: this.opts.log,
      isRelationWanted: (schema, table) => this.isRelationWanted(schema, table),
      onTransaction: (tx) => this.enqueue(tx),
      onReconnect: () => this.counters.reconnects++,
    });
    this.stream = stream;
    try {
      await stream.start();
    } catch (err) {
      this.stream = null;
      throw err;
    }
  }

  async stop(): Promise<void> {
    const stream = this.stream;
    this.stream = null;
    await stream?.stop();
    await this.drained;
  }

  /** Slot name of the current stream (tests check that it's temporary and goes away). */
  get slotName(): string | null {
    return this.stream?.slotName ?? null;
  }

  bindingId(binding: BindingInput): number {
    return computeBindingId(binding);
  }

  metrics(): EngineMetrics {
    let bindings = 0;
    for (const s of this.subs.values()) bindings += s.bindings.length;
    return { ...this.counters, subscriptions: this.subs.size, bindings };
  }

  async subscribe(bindings: BindingInput[], claims: Record<string, unknown>, deliver: DeliverFn) {
    const role = roleOf(claims);
    if (!role) throw new PgChangesError('Fields `role` and `exp` are required in JWT');
    const compiled: CompiledBinding[] = [];
    for (const b of bindings) compiled.push(await compileBinding(this.opts.pool, b, role, this.bindingId(b)));
    const sub: Subscriber = {
      key: this.nextKey++,
      role,
      claims,
      claimsKey: role + '\u0000' + JSON.stringify(claims),
      bindings: compiled,
      deliver,
      closed: false,
    };
    this.subs.set(sub.key, sub);
    return {
      ids: compiled.map((b) => b.id),
      updateClaims: async (next: Record<string, unknown>) => {
        const nextRole = roleOf(next);
        if (!nextRole) throw new PgChangesError('Fields `role` and `exp` are required in JWT');
        sub.role = nextRole;
        sub.claims = next;
        sub.claimsKey = nextRole + '\u0000' + JSON.stringify(next);
      },
      close: () => {
        sub.closed = true;
        this.subs.delete(sub.key);
      },
    };
  }

  private isRelationWanted(schema: string, table: string): boolean {
    for (const s of this.subs.values())
      for (const b of s.bindings) if (tableMatches(b, schema, table)) return true;
    return false;
  }

  private enqueue(tx: DecodedTransaction) {
    this.pending.push(tx);
    // Idle: start at once. Busy: the running drain loop picks it up with the next batch.
    if (!this.draining) {
      this.draining = true;
      this.drained = this.drain();
    }
  }

  private async drain(): Promise<void> {
    try {
      // No await between the emptiness check and clearing `draining`, so no transaction is stranded.
      while (this.pending.length) {
        const batch = this.pending.splice(0, MAX_BATCH_TRANSACTIONS);
        try {
          await this.processBatch(batch);
        } catch (err) {
          this.opts.log(`[realtime:pgc] transaction failed: ${(err as Error)?.stack ?? err}\n`);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /** Matches, filters and RLS-checks a run of committed transactions together, then delivers in commit order. */
  private async processBatch(txs: DecodedTransaction[]): Promise<void> {
    for (const tx of txs) {
      this.counters.transactions++;
      this.counters.changes += tx.changes.length;
    }
    for (let attempt = 1; ; attempt++) {
      const { work, stale } = await this.evaluateBatch(txs);
      // A cached catalog view turned out stale (GRANT, RLS switch, column change committed since it
      // was read): forget it and evaluate the batch again from fresh catalog reads.
      if (stale.size && attempt < MAX_BATCH_EVALUATIONS) {
        this.counters.catalogInvalidations += stale.size;
        for (const oid of stale) this.tableCache.delete(oid);
        continue;
      }
      this.deliverAll(work);
      return;
    }
  }

  /**
   * The catalog view of every table the batch touches. A cached view is reused for an RLS table whose
   * rows get an RLS round trip: that round trip re-reads the view at the checks' own snapshot and the
   * batch is re-evaluated if it changed. Every other table is read fresh, as is a table whose cached
   * view lacks a subscriber role.
   */
  private async tableInfos(
    rolesByTable: Map<number, Set<string>>,
    checkedTables: Set<number>,
  ): Promise<{ tables: Map<number, TableInfo | null>; cached: Set<number> }> {
    const tables = new Map<number, TableInfo | null>();
    const cached = new Set<number>();
    await Promise.all(
      [...rolesByTable].map(async ([oid, roles]) => {
        const hit = this.tableCache.get(oid);
        if (
          hit &&
          hit.rlsEnabled &&
          checkedTables.has(oid) &&
          [...roles].every((r) => hit.roles.includes(r))
        ) {
          tables.set(oid, hit);
          cached.add(oid);
          return;
        }
        const wanted = [...new Set([...(hit?.roles ?? []), ...roles])].sort();
        try {
          this.counters.catalogReads++;
          const info = await loadTableInfo(this.opts.pool, oid, wanted);
          tables.set(oid, info);
          if (info) this.tableCache.set(oid, info);
          else this.tableCache.delete(oid);
        } catch (err) {
          this.opts.log(`[realtime:pgc] catalog read failed for ${oid}: ${(err as Error).message}\n`);
          tables.set(oid, null);
          this.tableCache.delete(oid);
        }
      }),
    );
    return { tables, cached };
  }

  private async evaluateBatch(txs: DecodedTransaction[]): Promise<{ work: WorkItem[]; stale: Set<number> }> {
    const live = [...this.subs.values()].filter((s) => !s.closed);
    const work: WorkItem[] = [];
    const rolesByTable = new Map<number, Set<string>>();
    const checkedTables = new Set<number>();
    const commitTimestamps = new Map<WorkItem, string>();
    for (const tx of txs) {
      const commitTimestamp = formatCommitTimestamp(tx.commitTimeMicros);
      for (const change of tx.changes) {
        const { schema, table, oid } = change.relation;
        const candidates: Candidate[] = [];
        for (const sub of live)
          for (const binding of sub.bindings)
            if (eventMatches(binding.event, change.type) && tableMatches(binding, schema, table))
              candidates.push({ sub, binding });
        if (!candidates.length) continue;
        const item: WorkItem = { xid: tx.xid, change, candidates, outcomes: [] };
        work.push(item);
        commitTimestamps.set(item, commitTimestamp);
        const roles = rolesByTable.get(oid) ?? new Set<string>();
        for (const c of candidates) roles.add(c.sub.role);
        rolesByTable.set(oid, roles);
        if (change.type !== 'DELETE') checkedTables.add(oid);
      }
    }
    const stale = new Set<number>();
    if (!work.length) return { work, stale };

    const { tables, cached } = await this.tableInfos(rolesByTable, checkedTables);

    const sqlChecks: Array<{ cmp: SqlComparison; item: WorkItem; index: number }> = [];
    for (const item of work) {
      const info = tables.get(item.change.relation.oid);
      if (!info) {
        item.outcomes = item.candidates.map(() => ({ kind: 'skip' }));
        item.tableGone = true;
        continue;
      }
      item.view = this.buildView(item.change, info, commitTimestamps.get(item)!);
      item.outcomes = item.candidates.map((c, index) => this.evaluateCandidate(item, c, index, sqlChecks));
    }

    if (sqlChecks.length) {
      this.counters.filterQueries++;
      const results = await evaluateInPostgres(
        this.opts.pool,
        sqlChecks.map((s) => s.cmp),
        this.opts.log,
      );
      // A binding passes only when all of its comparisons do; any false one turns it into a skip.
      sqlChecks.forEach((s, i) => {
        if (!results[i]) s.item.outcomes[s.index] = { kind: 'skip' };
      });
    }

    const validated = await this.applyVisibility(work, stale);
    // A cached view no round trip re-read (every row filtered out before RLS): compare it directly.
    await Promise.all(
      [...cached]
        .filter((oid) => !validated.has(oid))
        .map(async (oid) => {
          const info = tables.get(oid)!;
          this.counters.catalogReads++;
          const fresh = await loadTableInfo(this.opts.pool, oid, info.roles).catch(() => null);
          if (fresh?.fingerprint !== info.fingerprint) stale.add(oid);
        }),
    );
    return { work, stale };
  }

  private buildView(change: DecodedChange, info: TableInfo, commitTimestamp: string): ChangeView {
    let record: Tuple | undefined;
    let oldRecord: Tuple | undefined;
    if (change.type !== 'DELETE') record = change.newTuple;
    if (change.type === 'UPDATE') {
      // Without REPLICA IDENTITY FULL and with an unchanged key, pgoutput sends no old tuple; hosted
      // (wal2json) still reports the key, which then equals the new row's key.
      oldRecord = change.oldFull ?? change.oldKey;
      if (!oldRecord && record) {
        oldRecord = {};
        for (const c of info.pk) oldRecord[c.name] = record[c.name];
      }
    }
    if (change.type === 'DELETE') oldRecord = change.oldFull ?? change.oldKey;
    if (oldRecord) {
      const clean: Tuple = {};
      for (const [k, v] of Object.entries(oldRecord)) if (v !== undefined) clean[k] = v;
      oldRecord = clean;
    }
    return {
      schema: change.relation.schema,
      table: change.relation.table,
      type: change.type,
      commitTimestamp,
      info,
      record,
      oldRecord,
      oversize: walSize(info, record, oldRecord) > MAX_RECORD_BYTES,
    };
  }

  /** Errors and in-process filter checks for one candidate binding; queues typed comparisons for Postgres. */
  private evaluateCandidate(
    item: WorkItem,
    { sub, binding }: Candidate,
    index: number,
    sqlChecks: Array<{ cmp: SqlComparison; item: WorkItem; index: number }>,
  ): Outcome {
    const view = item.view!;
    const { info } = view;
    if (view.type !== 'DELETE') {
      if (!info.pk.length) return { kind: 'error', error: CHANGE_ERRORS.noPrimaryKey };
      if (!info.pk.every((c) => c.selectableBy.has(sub.role)))
        return { kind: 'error', error: CHANGE_ERRORS.unauthorized };
    } else if (!canSeeDeleteKey(info, sub.role)) {
      // A deleted row can't be re-checked against RLS; a role that may not even read the key learns
      // nothing from it, not even that (or when) a row went away.
      return { kind: 'skip' };
    }
    const values = view.type === 'DELETE' ? deleteFilterValues(view) : view.record;
    for (const f of binding.filters) {
      const col = info.byName.get(f.column);
      let text = values?.[f.column];
      // A filter on a column the change doesn't carry never matches, negated or not.
      if (!col || text === undefined) return { kind: 'skip' };
      let type = col.regtype;
      if (f.jsonKey !== undefined) {
        text = jsonKeyText(text, f.jsonKey);
        type = 'text';
      }
      const local = evaluateLocally(f, text, TEXT_REGTYPES.has(type), f.inValues);
      if (local === false) return { kind: 'skip' };
      if (local === undefined) {
        if (text === null) return { kind: 'skip' };
        sqlChecks.push({
          cmp: { op: f.op, negate: f.negate, type, left: text, right: f.value },
          item,
          index,
        });
      }
    }
    return { kind: 'pass' };
  }

  /**
   * RLS: per table, one round trip asks every claim set about the union of the batch's rows that
   * claim set might see (one savepoint-isolated query per claim set inside it), at a snapshot that
   * already sees the batch's commits.
   */
  private async applyVisibility(work: WorkItem[], stale: Set<number>): Promise<Set<number>> {
    const validated = new Set<number>();
    type Group = {
      sub: Subscriber;
      keys: string[][];
      keyIndex: Map<string, number>;
      rows: GroupRow[];
    };
    type Table = {
      info: TableInfo;
      groups: Map<string, Group>;
      probeKeys: string[][];
      probeIndex: Map<string, number>;
      xids: Set<number>;
    };
    const byTable = new Map<number, Table>();
    for (const item of work) {
      const view = item.view;
      if (!view || !view.info.rlsEnabled || view.type === 'DELETE' || !view.record) continue;
      const key = view.info.pk.map((p) => view.record![p.name] ?? '');
      const keyText = JSON.stringify(key);
      let table = byTable.get(view.info.oid);
      if (!table) {
        table = { info: view.info, groups: new Map(), probeKeys: [], probeIndex: new Map(), xids: new Set() };
        byTable.set(view.info.oid, table);
      }
      let probeAt = table.probeIndex.get(keyText);
      const seen = new Set<string>();
      item.candidates.forEach((c, i) => {
        if (item.outcomes[i].kind !== 'pass' || seen.has(c.sub.claimsKey)) return;
        seen.add(c.sub.claimsKey);
        const t = table!;
        t.xids.add(item.xid);
        if (probeAt === undefined) {
          probeAt = t.probeKeys.push(key) - 1;
          t.probeIndex.set(keyText, probeAt);
        }
        const group: Group = t.groups.get(c.sub.claimsKey) ?? {
          sub: c.sub,
          keys: [],
          keyIndex: new Map<string, number>(),
          rows: [],
        };
        t.groups.set(c.sub.claimsKey, group);
        // The same key in several transactions of the batch is asked about once.
        let keyAt = group.keyIndex.get(keyText);
        if (keyAt === undefined) {
          keyAt = group.keys.push(key) - 1;
          group.keyIndex.set(keyText, keyAt);
        }
        group.rows.push({ item, keyAt, probeAt });
      });
    }
    const tasks: Array<() => Promise<void>> = [];
    for (const { info, groups, probeKeys, xids } of byTable.values()) {
      const all = [...groups.values()];
      for (let at = 0; at < all.length; at += MAX_GROUPS_PER_ROUND_TRIP) {
        const chunk = all.slice(at, at + MAX_GROUPS_PER_ROUND_TRIP);
        tasks.push(async () => {
          this.counters.visibilityQueries += chunk.length;
          const asks: VisibilityGroup[] = chunk.map((g) => ({
            role: g.sub.role,
            claims: g.sub.claims,
            keys: g.keys,
          }));
          const answer = await visibleRowsBatch(this.opts.pool, info, asks, {
            xids: [...xids],
            probeKeys,
            onWait: () => this.counters.visibilityWaits++,
          });
          if (answer.catalogRows) {
            validated.add(info.oid);
            if (catalogFingerprint(answer.catalogRows) !== info.fingerprint) stale.add(info.oid);
          }
          const tally = { gone: 0, notVisible: 0 };
          chunk.forEach((g, gi) => this.applyAnswer(info, g.sub, g.rows, answer.groups[gi], answer, tally));
          if (tally.gone)
            this.opts.log(
              `[realtime:pgc] ${tally.gone} change(s) on ${info.schema}.${info.table} not delivered to a claim set: ` +
                'the row was gone (deleted or re-keyed by a later transaction) when RLS was checked\n',
            );
          if (tally.notVisible)
            this.opts.log(
              `[realtime:pgc] ${tally.notVisible} change(s) on ${info.schema}.${info.table} not delivered to a claim set: ` +
                `the commit was not visible after ${MAX_VISIBILITY_WAIT_MS} ms\n`,
            );
        });
      }
    }
    await runBounded(tasks, VISIBILITY_CONCURRENCY);
    return validated;
  }

  /** Turns one claim set's answer into outcomes for that claim set's candidates on the rows it was asked about. */
  private applyAnswer(
    info: TableInfo,
    asked: Subscriber,
    rows: GroupRow[],
    answer: Set<number> | Error,
    batch: BatchAnswer,
    tally: { gone: number; notVisible: number },
  ) {
    const claimsKey = asked.claimsKey;
    if (answer instanceof Error) {
      this.counters.errors++;
      this.opts.log(
        `[realtime:pgc] RLS check failed for role ${asked.role} on ${info.schema}.${info.table}: ${answer.message}\n`,
      );
    }
    for (const { item, keyAt, probeAt } of rows) {
      let denied = false;
      item.candidates.forEach((c, i) => {
        if (c.sub.claimsKey !== claimsKey || item.outcomes[i].kind !== 'pass') return;
        if (answer instanceof Error) item.outcomes[i] = { kind: 'error', error: CHANGE_ERRORS.rlsFailed };
        else if (!answer.has(keyAt)) {
          item.outcomes[i] = { kind: 'skip' };
          denied = true;
        }
      });
      if (!denied) continue;
      // Not found for this claim set: RLS, or a reason that must not pass silently.
      if (!batch.visible) {
        this.counters.skippedNotVisible++;
        tally.notVisible++;
      } else if (!batch.existing.has(probeAt)) {
        this.counters.skippedRowGone++;
        tally.gone++;
      } else this.counters.skippedRls++;
    }
  }

  private deliverAll(work: WorkItem[]) {
    for (const item of work) {
      const view = item.view;
      if (item.tableGone) {
        this.counters.skippedTableGone++;
        const { schema, table } = item.change.relation;
        this.opts.log(`[realtime:pgc] ${item.change.type} on ${schema}.${table} not delivered: table gone\n`);
      }
      if (!view) continue;
      const shapes = new Map<string, PgChangeData>();
      // Per subscriber, bindings with the same payload shape go out as one message with all their ids.
      const perSub = new Map<Subscriber, Map<string, { ids: number[]; data: () => PgChangeData }>>();
      item.candidates.forEach((c, i) => {
        const outcome = item.outcomes[i];
        if (outcome.kind === 'skip') return;
        const shapeKey =
          outcome.kind === 'error'
            ? `error\u0000${outcome.error}`
            : `${c.sub.role}\u0000${c.binding.selectKey}`;
        const make = () => {
          let d = shapes.get(shapeKey);
          if (!d) {
            d =
              outcome.kind === 'error'
                ? shapeError(view, outcome.error)
                : shapeChange(view, c.sub.role, c.binding.select);
            shapes.set(shapeKey, d);
          }
          return d;
        };
        const bySub = perSub.get(c.sub) ?? new Map<string, { ids: number[]; data: () => PgChangeData }>();
        const entry = bySub.get(shapeKey) ?? { ids: [], data: make };
        if (!entry.ids.includes(c.binding.id)) entry.ids.push(c.binding.id);
        bySub.set(shapeKey, entry);
        perSub.set(c.sub, bySub);
      });
      for (const [sub, entries] of perSub) {
        if (sub.closed) continue;
        for (const { ids, data } of entries.values()) {
          const payload = data();
          if (Array.isArray(payload.errors) && payload.errors.length) this.counters.errors++;
          try {
            sub.deliver(ids, payload);
            this.counters.deliveries++;
          } catch (err) {
            this.opts.log(`[realtime:pgc] deliver failed: ${(err as Error).message}\n`);
          }
        }
      }
    }
  }
}

/** `col->>key` on a jsonb text value: strings unquoted, JSON null → SQL NULL, others as JSON text. */
function jsonKeyText(text: string | null, key: string): string | null {
  if (text === null) return null;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
    const v = (parsed as Record<string, unknown>)[key];
    if (v === undefined || v === null) return null;
    return typeof v === 'string' ? v : JSON.stringify(v);
  } catch {
    return null;
  }
}

/** Whether a role may learn of a DELETE at all: it must be able to read the key it is shown. */
function canSeeDeleteKey(info: TableInfo, role: string): boolean {
  return info.pk.length
    ? info.pk.every((c) => c.selectableBy.has(role))
    : info.columns.some((c) => c.selectableBy.has(role));
}

/**
 * What a DELETE's filters may look at. Without RLS: the old row as the WAL has it (the whole row with
 * REPLICA IDENTITY FULL). With RLS the old row can't be re-checked, so filters see only its primary
 * key, which is all the subscriber is shown anyway; a filter on any other column never matches.
 * Filtering on the full hidden row would let anyone allowed to subscribe learn, filter by filter,
 * the columns of rows RLS hides from them.
 */
function deleteFilterValues(view: ChangeView): Tuple | undefined {
  if (!view.info.rlsEnabled || !view.oldRecord) return view.oldRecord;
  const key: Tuple = {};
  for (const c of view.info.pk) key[c.name] = view.oldRecord[c.name];
  return key;
}
