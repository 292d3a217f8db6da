/**
 * The RLS re-check. Hosted asks, per subscriber, "does a row with this primary key exist?" as the
 * subscriber's role with its `request.jwt.claims`; the answer depends only on (role, claims), so we
 * ask once per distinct claim set and batch every row of the transaction into one query.
 */
import { withRequestContext, type Pool } from '../../db';
import type { TableInfo } from './catalog';

/** Visibility queries run as API users; a slow policy must not hold up the stream for long. */
export const VISIBILITY_STATEMENT_TIMEOUT = '5s';

const quoteIdent = (s: string) => '"' + s.replace(/"/g, '""') + '"';

/**
 * Returns the indexes (into `keys`) of the rows this role + claims may SELECT.
 * `keys[i]` holds the text values of the primary-key columns in `table.pk` order.
 */
export async function visibleRows(
  pool: Pool,
  table: TableInfo,
  role: string,
  claims: Record<string, unknown>,
  keys: string[][],
): Promise<Set<number>> {
  const pk = table.pk;
  const vars = pk.map((_, i) => `v${i}`);
  const unnest = pk.map((_, i) => `$${i + 1}::text[]`).join(', ');
  const match = pk.map((c, i) => `t.${quoteIdent(c.name)} = u.${vars[i]}::${c.regtype}`).join(' and ');
  const sql =
    `select u.ord::int as ord from unnest(${unnest}) with ordinality as u(${vars.join(', ')}, ord) ` +
    `where exists (select 1 from ${quoteIdent(table.schema)}.${quoteIdent(table.table)} t where ${match})`;
  const params = pk.map((_, ci) => keys.map((k) => k[ci]));
  const rows = await withRequestContext(
    pool,
    { role, claims, readOnly: true, settings: { statement_timeout: VISIBILITY_STATEMENT_TIMEOUT } },
    async (client) => (await client.query<{ ord: number }>(sql, params)).rows,
    { rollback: true },
  );
  return new Set(rows.map((r) => r.ord - 1));
}
