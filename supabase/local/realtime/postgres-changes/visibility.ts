/**
 * The RLS re-check. Hosted asks, per subscriber, "does a row with this primary key exist?" as the
 * subscriber's role with its `request.jwt.claims`; the answer depends only on (role, claims), so we
 * ask once per distinct claim set and batch every row of the transaction(s) into one query.
 *
 * With many distinct claim sets (every subscriber a different user) a transaction per claim set is
 * far too many round trips, so `visibleRowsBatch` asks for every claim set of a table in ONE
 * simple-query round trip: each claim set runs inside its own savepoint, whose rollback restores the
 * role and every `set_config(…, true)` value, so each check sees exactly the settings a standalone
 * `withRequestContext` transaction would.
 */
import { withRequestContext, type Pool, type PoolClient } from '../../db';
import { tableSqlLiteral, type ColumnRow, type TableInfo } from './catalog';
import { allCompletedIn, parseSnapshot, waitUntilVisible } from './snapshot';

/** Visibility queries run as API users; a slow policy must not hold up the stream for long. */
export const VISIBILITY_STATEMENT_TIMEOUT = '5s';

const quoteIdent = (s: string) => '"' + s.replace(/"/g, '""') + '"';

/** One claim set's question: which of `keys` may this role + claims SELECT? */
export interface VisibilityGroup {
  role: string;
  claims: Record<string, unknown>;
  /** `keys[i]` holds the text values of the primary-key columns in `table.pk` order. */
  keys: string[][];
}

/**
 * Statements per group in the batched string: settings, execute, rollback to savepoint. ROLLBACK TO
 * keeps the savepoint, so one `savepoint` (in the header) serves every group.
 */
const STATEMENTS_PER_GROUP = 3;
const GROUP_QUERY_OFFSET = 1;
/**
 * begin, snapshot, catalog, existence probe, shared settings, prepare, savepoint — and after the
 * groups: rollback, deallocate.
 */
const HEADER_STATEMENTS = 7;
const SNAPSHOT_STATEMENT = 1;
const CATALOG_STATEMENT = 2;
const PROBE_STATEMENT = 3;
const TRAILER_STATEMENTS = 2;
/** The batch runs again only after waiting for visibility, which the next snapshot then has. */
const MAX_BATCH_RUNS = 3;
const SAVEPOINT = 'pgc_visibility';
/** Per-group re-checks after a failed batch share the API pool; keep them from crowding it. */
const FALLBACK_CONCURRENCY = 4;

/**
 * `select u.ord from unnest(<key arrays>) … ` joined to "the row with that key" through a LATERAL with
 * LIMIT 1; `arrays` are SQL text[] expressions. The LATERAL keeps the planner from turning the probe
 * into a hash semi-join over a sequential scan (which it picks on small or unanalyzed tables, and
 * which evaluates the policy for every row of the table): each key becomes one primary-key index
 * probe with the policy checked on that row only.
 */
function visibilitySql(table: TableInfo, arrays: string[]): string {
  const vars = table.pk.map((_, i) => `v${i}`);
  const match = table.pk.map((c, i) => `t.${quoteIdent(c.name)} = u.${vars[i]}::${c.regtype}`).join(' and ');
  return (
    `select u.ord::int as ord from unnest(${arrays.join(', ')}) with ordinality as u(${vars.join(', ')}, ord) ` +
    `cross join lateral (select 1 from ${quoteIdent(table.schema)}.${quoteIdent(table.table)} t where ${match} limit 1) m`
  );
}

/**
 * The transaction-local settings `withRequestContext` applies for a visibility check, split in two:
 * the ones that depend on the claim set (set inside each claim set's savepoint) and the ones every
 * check shares (set once for the transaction; each savepoint rollback returns to exactly these).
 * Either way a check ends up with the same values a standalone `withRequestContext` check has.
 */
function claimSettings(role: string, claims: Record<string, unknown>): Array<[string, string]> {
  const settings: Array<[string, string]> = [
    ['role', role],
    ['request.jwt.claims', JSON.stringify(claims)],
  ];
  if (typeof claims.sub === 'string') settings.push(['request.jwt.claim.sub', claims.sub]);
  settings.push(['request.jwt.claim.role', role]);
  return settings;
}

const SHARED_SETTINGS: Array<[string, string]> = [
  ['request.method', 'POST'],
  ['request.path', '/'],
  ['request.headers', '{}'],
  ['request.cookies', '{}'],
  ['statement_timeout', VISIBILITY_STATEMENT_TIMEOUT],
  // Planning only: the prepared probe gets one plan, reused by every claim set of the same role.
  ['plan_cache_mode', 'force_generic_plan'],
];

/**
 * Returns the indexes (into `keys`) of the rows this role + claims may SELECT, in a transaction of
 * its own. The fallback when a batched check fails, so one group's error stays that group's.
 */
export async function visibleRows(
  pool: Pool,
  table: TableInfo,
  role: string,
  claims: Record<string, unknown>,
  keys: string[][],
): Promise<Set<number>> {
  const sql = visibilitySql(
    table,
    table.pk.map((_, i) => `$${i + 1}::text[]`),
  );
  const params = table.pk.map((_, ci) => keys.map((k) => k[ci]));
  const rows = await withRequestContext(
    pool,
    { role, claims, readOnly: true, settings: { statement_timeout: VISIBILITY_STATEMENT_TIMEOUT } },
    async (client) => (await client.query<{ ord: number }>(sql, params)).rows,
    { rollback: true },
  );
  return new Set(rows.map((r) => r.ord - 1));
}

/** Distinct prepared-statement names per batch, so a pooled connection never sees a name twice. */
let batchSeq = 0;

/**
 * Builds the one-round-trip string for every group of a table; every value goes through escapeLiteral.
 * The visibility query is prepared once with a generic plan: its RLS plan depends only on the role,
 * not on the claims (read at run time), so every claim set of the same role reuses it instead of
 * planning the policy again.
 */
function batchSql(
  client: PoolClient,
  table: TableInfo,
  groups: VisibilityGroup[],
  probeKeys: string[][],
  name: string,
): string {
  const lit = (v: string) => client.escapeLiteral(v);
  const types = table.pk.map(() => 'text[]').join(', ');
  const setAll = (settings: Array<[string, string]>) =>
    `select ${settings.map(([k, v]) => `set_config(${lit(k)}, ${lit(v)}, true)`).join(', ')}`;
  const keyArrays = (keys: string[][]) =>
    table.pk.map((_, ci) => `array[${keys.map((k) => lit(k[ci])).join(', ')}]::text[]`);
  const parts = [
    // One snapshot for every statement: the one the first statement reports, so the caller knows
    // exactly which commits the checks saw.
    'begin isolation level repeatable read read only',
    'select pg_current_snapshot()::text as snap',
    // The table's catalog view at the same snapshot: the caller built this batch from a cached view
    // and compares, so a GRANT, RLS switch or column change is never missed (no extra round trip).
    tableSqlLiteral(table.oid, table.roles, lit),
    // As the stack's own (superuser) role, i.e. without RLS: which rows exist at all, so a row that
    // is gone (deleted or re-keyed by a later transaction) is told apart from one RLS hides.
    visibilitySql(table, keyArrays(probeKeys)),
    setAll(SHARED_SETTINGS),
    `prepare ${name}(${types}) as ${visibilitySql(
      table,
      table.pk.map((_, i) => `$${i + 1}::text[]`),
    )}`,
    `savepoint ${SAVEPOINT}`,
  ];
  for (const g of groups) {
    parts.push(
      setAll(claimSettings(g.role, g.claims)),
      `execute ${name}(${keyArrays(g.keys).join(', ')})`,
      `rollback to savepoint ${SAVEPOINT}`,
    );
  }
  parts.push('rollback', `deallocate ${name}`);
  return parts.join('; ');
}

export interface BatchAnswer {
  /** Per group: the visible key indexes, or the error that group's check raised. */
  groups: Array<Set<number> | Error>;
  /** Indexes into `probeKeys` of the rows that exist at all at the snapshot the checks used. */
  existing: Set<number>;
  /** False when the transactions never became visible within the wait limit (the answers may miss rows). */
  visible: boolean;
  /** The table's catalog rows (for `table.roles`) at the checks' snapshot; null when not read. */
  catalogRows: ColumnRow[] | null;
}

type RunResult =
  | {
      ok: true;
      snapshot: string;
      catalogRows: ColumnRow[];
      existing: Set<number>;
      groups: Array<Set<number>>;
    }
  | { ok: false };

/** Runs the one-round-trip batch; `ok: false` when any statement failed (Postgres skips the rest). */
async function runBatch(
  pool: Pool,
  table: TableInfo,
  groups: VisibilityGroup[],
  probeKeys: string[][],
): Promise<RunResult> {
  let results: Array<{ rows: Array<Record<string, unknown>> }> | null = null;
  const client = await pool.connect();
  const name = `pgc_visibility_${++batchSeq}`;
  let broken = false;
  try {
    const sql = batchSql(client, table, groups, probeKeys, name);
    // A multi-statement simple query yields one result per statement.
    results = (await client.query(sql)) as unknown as Array<{ rows: Array<Record<string, unknown>> }>;
  } catch {
    try {
      await client.query('rollback');
      // Prepared statements outlive transactions; drop this batch's if it got that far.
      await client.query(`deallocate ${name}`).catch(() => undefined);
    } catch {
      broken = true;
    }
  } finally {
    client.release(broken);
  }
  if (
    !results ||
    results.length !== HEADER_STATEMENTS + groups.length * STATEMENTS_PER_GROUP + TRAILER_STATEMENTS
  )
    return { ok: false };
  const done = results;
  const ords = (at: number) => new Set(done[at].rows.map((r) => Number(r.ord) - 1));
  return {
    ok: true,
    snapshot: String(done[SNAPSHOT_STATEMENT].rows[0].snap),
    catalogRows: done[CATALOG_STATEMENT].rows as unknown as ColumnRow[],
    existing: ords(PROBE_STATEMENT),
    groups: groups.map((_, gi) => ords(HEADER_STATEMENTS + gi * STATEMENTS_PER_GROUP + GROUP_QUERY_OFFSET)),
  };
}

/** Rows of `keys` that exist at all (as the stack's superuser role, so without RLS). */
async function existingRows(pool: Pool, table: TableInfo, keys: string[][]): Promise<Set<number>> {
  const sql = visibilitySql(
    table,
    table.pk.map((_, i) => `$${i + 1}::text[]`),
  );
  const { rows } = await pool.query<{ ord: number }>(
    sql,
    table.pk.map((_, ci) => keys.map((k) => k[ci])),
  );
  return new Set(rows.map((r) => r.ord - 1));
}

/**
 * Visibility for several claim sets on one table in one round trip, at a snapshot that already sees
 * every transaction in `xids` (the batch is re-run, after waiting, when it didn't). If any statement of
 * the batch fails, Postgres skips the rest of the string, so the whole batch is re-asked group by
 * group (one transaction each) and only the failing group reports an error.
 */
export async function visibleRowsBatch(
  pool: Pool,
  table: TableInfo,
  groups: VisibilityGroup[],
  opts: {
    xids: number[];
    probeKeys: string[][];
    /** Called when the checks start waiting for the transactions to become visible. */
    onWait?: () => void;
  },
): Promise<BatchAnswer> {
  let visible = true;
  if (groups.length) {
    for (let attempt = 0; ; attempt++) {
      const run = await runBatch(pool, table, groups, opts.probeKeys);
      if (!run.ok) break;
      const seen = allCompletedIn(parseSnapshot(run.snapshot), opts.xids);
      // Snapshots only move forward, so after a successful wait the next run sees everything.
      if (seen || !visible || attempt >= MAX_BATCH_RUNS - 1)
        return { groups: run.groups, existing: run.existing, visible: seen, catalogRows: run.catalogRows };
      // Streamed before it was visible: wait until a new snapshot sees it, then ask again.
      opts.onWait?.();
      visible = await waitUntilVisible(pool, opts.xids);
    }
  }
  // The fallback's checks each take their own (later) snapshot, so one wait up front covers them.
  if (visible && groups.length) visible = await waitUntilVisible(pool, opts.xids, { onWait: opts.onWait });
  const out: Array<Set<number> | Error> = new Array<Set<number> | Error>(groups.length);
  let next = 0;
  const worker = async () => {
    while (next < groups.length) {
      const gi = next++;
      const g = groups[gi];
      try {
        out[gi] = await visibleRows(pool, table, g.role, g.claims, g.keys);
      } catch (err) {
        out[gi] = err instanceof Error ? err : new Error(String(err));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(FALLBACK_CONCURRENCY, groups.length) }, worker));
  const existing = opts.probeKeys.length
    ? await existingRows(pool, table, opts.probeKeys).catch(() => new Set<number>())
    : new Set<number>();
  return { groups: out, existing, visible, catalogRows: null };
}
