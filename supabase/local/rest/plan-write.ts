/**
 * Mutation statements (insert / upsert / update / delete). The JSON body travels as ONE bound
 * parameter and PostgreSQL converts it with `json_populate_recordset` against the table's row type,
 * so every column gets its own input conversion and nothing from the body is spliced into SQL.
 */
import { Errors } from './errors';
import type { Table } from './schema-cache';
import { ident, qualified, SqlParams } from './sql';

export interface InsertOptions {
  rows: Record<string, unknown>[];
  /** The columns to write (validated against the schema cache by the caller). */
  columns: string[];
  /** `Prefer: missing=default`: a key absent from a row takes the column default instead of NULL. */
  missingDefault: boolean;
  resolution?: 'merge-duplicates' | 'ignore-duplicates';
  onConflict?: string[];
}

export function insertSql(table: Table, o: InsertOptions, params: SqlParams): string {
  const t = qualified(table.schema, table.name);
  if (o.columns.length === 0) {
    // `INSERT … SELECT` with zero columns fills every column from its default, one row per element.
    return `INSERT INTO ${t} SELECT FROM json_array_elements(${params.addAs(JSON.stringify(o.rows), 'json')})`;
  }
  const target = o.columns.map(ident).join(', ');
  let sql: string;
  if (o.missingDefault) {
    const exprs = o.columns.map((c) => {
      const def = table.columns.get(c)?.defaultExpr;
      const value = `_pgrst_body.${ident(c)}`;
      return def
        ? `CASE WHEN _pgrst_elem.j ? ${params.addAs(c, 'text')} THEN ${value} ELSE ${def} END`
        : value;
    });
    sql =
      `INSERT INTO ${t} (${target}) SELECT ${exprs.join(', ')} ` +
      `FROM jsonb_array_elements(${params.addAs(JSON.stringify(o.rows), 'jsonb')}) WITH ORDINALITY AS _pgrst_elem(j, n) ` +
      `CROSS JOIN LATERAL jsonb_populate_record(NULL::${t}, _pgrst_elem.j) AS _pgrst_body ORDER BY _pgrst_elem.n`;
  } else {
    sql =
      `INSERT INTO ${t} (${target}) SELECT ${o.columns.map((c) => `_pgrst_body.${ident(c)}`).join(', ')} ` +
      `FROM json_populate_recordset(NULL::${t}, ${params.addAs(JSON.stringify(o.rows), 'json')}) AS _pgrst_body`;
  }
  if (o.resolution) {
    const conflict = o.onConflict ?? table.primaryKey;
    const targetSql = conflict.length ? ` (${conflict.map(ident).join(', ')})` : '';
    if (o.resolution === 'ignore-duplicates') sql += ` ON CONFLICT${targetSql} DO NOTHING`;
    else {
      if (!conflict.length) throw Errors.parse('"on_conflict" is required: the table has no primary key');
      sql += ` ON CONFLICT${targetSql} DO UPDATE SET ${o.columns.map((c) => `${ident(c)} = EXCLUDED.${ident(c)}`).join(', ')}`;
    }
  }
  return sql;
}

export function updateSql(
  table: Table,
  values: Record<string, unknown>,
  columns: string[],
  where: string[],
  params: SqlParams,
): string {
  const t = qualified(table.schema, table.name);
  const set = columns.map((c) => `${ident(c)} = _pgrst_body.${ident(c)}`).join(', ');
  let sql = `UPDATE ${t} SET ${set} FROM (SELECT * FROM json_populate_record(NULL::${t}, ${params.addAs(JSON.stringify(values), 'json')})) AS _pgrst_body`;
  if (where.length) sql += ` WHERE ${where.join(' AND ')}`;
  return sql;
}

export function deleteSql(table: Table, where: string[]): string {
  let sql = `DELETE FROM ${qualified(table.schema, table.name)}`;
  if (where.length) sql += ` WHERE ${where.join(' AND ')}`;
  return sql;
}

export const returningAll = (table: Table) => ` RETURNING ${ident(table.name)}.*`;
