/**
 * Filters and logic trees → SQL boolean expressions. Values become bound parameters whose type
 * PostgreSQL infers from the column they are compared with, as PostgREST's unknown-typed literals do.
 */
import type { Field, Filter, LogicTree, SimpleOperator } from './ast';
import { ident, SqlParams } from './sql';

const SQL_OPERATOR: Record<SimpleOperator, string> = {
  eq: '=',
  neq: '<>',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
  like: 'LIKE',
  ilike: 'ILIKE',
  match: '~',
  imatch: '~*',
  isdistinct: 'IS DISTINCT FROM',
  cs: '@>',
  cd: '<@',
  ov: '&&',
  sl: '<<',
  sr: '>>',
  nxl: '&>',
  nxr: '&<',
  adj: '-|-',
};

const TS_QUERY: Record<'fts' | 'plfts' | 'phfts' | 'wfts', string> = {
  fts: 'to_tsquery',
  plfts: 'plainto_tsquery',
  phfts: 'phraseto_tsquery',
  wfts: 'websearch_to_tsquery',
};

const IS_SQL = {
  null: 'IS NULL',
  not_null: 'IS NOT NULL',
  true: 'IS TRUE',
  false: 'IS FALSE',
  unknown: 'IS UNKNOWN',
} as const;

/** Resolves a column's base type name (for full-text search on non-tsvector columns). */
export type ColumnTypeOf = (column: string) => string | undefined;

/** `"alias"."col"->$1::text->>$2::text`; numeric steps are array indexes. */
export function fieldSql(alias: string, field: Field, params: SqlParams): string {
  let sql = `${ident(alias)}.${ident(field.name)}`;
  for (const step of field.json) {
    sql +=
      step.arrow +
      (typeof step.key === 'number' ? `(${Math.trunc(step.key)})` : params.addAs(step.key, 'text'));
  }
  return sql;
}

export function filterSql(alias: string, filter: Filter, params: SqlParams, typeOf: ColumnTypeOf): string {
  const expr = fieldSql(alias, filter.field, params);
  const cond = operationSql(expr, filter, params, typeOf);
  return filter.negate ? `NOT (${cond})` : cond;
}

function operationSql(expr: string, filter: Filter, params: SqlParams, typeOf: ColumnTypeOf): string {
  const o = filter.operation;
  switch (o.op) {
    case 'in':
      if (o.values.length === 0) return 'FALSE';
      return `${expr} IN (${o.values.map((v) => params.add(v)).join(', ')})`;
    case 'is':
      return `${expr} ${IS_SQL[o.value]}`;
    case 'fts':
    case 'plfts':
    case 'phfts':
    case 'wfts': {
      const config = o.config !== undefined ? `${params.addAs(o.config, 'regconfig')}, ` : '';
      const isTsvector = filter.field.json.length === 0 && typeOf(filter.field.name) === 'tsvector';
      const vector = isTsvector ? expr : `to_tsvector(${config}${expr})`;
      return `${vector} @@ ${TS_QUERY[o.op]}(${config}${params.addAs(o.value, 'text')})`;
    }
    default: {
      const isPattern = o.op === 'like' || o.op === 'ilike';
      const value = isPattern ? o.value.replace(/\*/g, '%') : o.value;
      if (o.quantifier)
        return `${expr} ${SQL_OPERATOR[o.op]} ${o.quantifier.toUpperCase()}(${params.add(value)})`;
      return `${expr} ${SQL_OPERATOR[o.op]} ${params.add(value)}`;
    }
  }
}

export function logicSql(alias: string, tree: LogicTree, params: SqlParams, typeOf: ColumnTypeOf): string {
  const parts = tree.children.map((c) =>
    c.kind === 'filter' ? filterSql(alias, c.filter, params, typeOf) : logicSql(alias, c, params, typeOf),
  );
  const joined = `(${parts.join(tree.kind === 'and' ? ' AND ' : ' OR ')})`;
  return tree.negate ? `NOT ${joined}` : joined;
}
