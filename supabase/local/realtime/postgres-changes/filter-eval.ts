/**
 * Filter comparisons that need Postgres' typed semantics (numeric/temporal ordering, casts, LIKE,
 * regexes, collations), evaluated by Postgres itself: all comparisons of one transaction that could
 * not be decided in-process go out as ONE query `select array[<cmp>, <cmp>, …]`.
 */
import type { Pool } from '../../db';
import type { FilterOperator } from './filters';

export interface SqlComparison {
  op: FilterOperator;
  negate: boolean;
  /** A catalog-provided type name (`atttypid::regtype`), or `text` for `col->>key`. */
  type: string;
  left: string;
  right: string;
}

const BINARY_OPS: Partial<Record<FilterOperator, string>> = {
  eq: '=',
  neq: '<>',
  lt: '<',
  lte: '<=',
  gt: '>',
  gte: '>=',
  like: '~~',
  ilike: '~~*',
  match: '~',
  imatch: '~*',
  isdistinct: 'is distinct from',
};

// Two parameters per comparison; stay far below the protocol's 65535-parameter limit.
const MAX_COMPARISONS_PER_QUERY = 2000;

function expression(c: SqlComparison, leftParam: number, rightParam: number): string {
  const left = `$${leftParam}::${c.type}`;
  let expr: string;
  if (c.op === 'in') expr = `${left} = any($${rightParam}::${c.type}[])`;
  else if (c.op === 'is') expr = `${left} is null`;
  else expr = `${left} ${BINARY_OPS[c.op] ?? '='} $${rightParam}::${c.type}`;
  return c.negate ? `not (${expr})` : expr;
}

async function evaluateChunk(pool: Pool, chunk: SqlComparison[]): Promise<boolean[]> {
  const params: string[] = [];
  const exprs = chunk.map((c) => {
    params.push(c.left, c.right);
    return `(${expression(c, params.length - 1, params.length)})`;
  });
  const { rows } = await pool.query<{ r: Array<boolean | null> }>(
    `select array[${exprs.join(', ')}]::bool[] as r`,
    params,
  );
  // NULL (unknown) never matches, as in hosted's filter check.
  return rows[0].r.map((v) => v === true);
}

/**
 * Evaluates comparisons in bulk; when a batch fails (e.g. a value that no longer casts after a column
 * type change), each comparison is retried alone and the failing ones count as "no match".
 */
export async function evaluateInPostgres(
  pool: Pool,
  comparisons: SqlComparison[],
  log: (l: string) => void,
): Promise<boolean[]> {
  const out: boolean[] = [];
  for (let i = 0; i < comparisons.length; i += MAX_COMPARISONS_PER_QUERY) {
    const chunk = comparisons.slice(i, i + MAX_COMPARISONS_PER_QUERY);
    try {
      out.push(...(await evaluateChunk(pool, chunk)));
    } catch {
      for (const c of chunk) {
        try {
          out.push(...(await evaluateChunk(pool, [c])));
        } catch (err) {
          log(`[realtime:pgc] filter ${c.op} on ${c.type} failed: ${(err as Error).message}\n`);
          out.push(false);
        }
      }
    }
  }
  return out;
}
