/**
 * Catalog reads: the publication's tables (wildcard expansion, subscribe-time validation) and the
 * per-change view of a table hosted builds in `apply_rls` — columns in attnum order with typname,
 * primary key, RLS flag and, per subscriber role, which columns that role may SELECT.
 */
import type { Pool } from '../../db';
import { kindOfTypname, type ValueType } from './values';
import { PUBLICATION } from './replication';

export interface ColumnInfo {
  name: string;
  /** `pg_type.typname` of the column type (what `columns[].type` shows). */
  typname: string;
  /** `atttypid::regtype` text, safe to splice into a cast. */
  regtype: string;
  isPk: boolean;
  value: ValueType;
  /** Roles (of those asked about) that may SELECT this column. */
  selectableBy: Set<string>;
}

export interface TableInfo {
  oid: number;
  schema: string;
  table: string;
  rlsEnabled: boolean;
  columns: ColumnInfo[];
  byName: Map<string, ColumnInfo>;
  pk: ColumnInfo[];
  /** The roles the column privileges were read for. */
  roles: string[];
  /** The catalog rows this view was built from: equal fingerprints, equal views. */
  fingerprint: string;
}

export interface ColumnRow {
  attname: string;
  typname: string;
  regtype: string;
  base_typname: string;
  base_category: string;
  elem_typname: string | null;
  is_pk: boolean;
  roles: string[] | null;
  relrowsecurity: boolean;
  nspname: string;
  relname: string;
}

export const TABLE_SQL = `
  select a.attname, t.typname, a.atttypid::regtype::text as regtype,
         b.typname as base_typname, b.typcategory as base_category,
         e.typname as elem_typname,
         coalesce(a.attnum = any(i.indkey::int2[]), false) as is_pk,
         array(select r from unnest($2::text[]) r
               where to_regrole(r) is not null and has_column_privilege(r, c.oid, a.attnum, 'SELECT')) as roles,
         c.relrowsecurity, n.nspname, c.relname
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
  join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
  join pg_type t on t.oid = a.atttypid
  join pg_type b on b.oid = coalesce(nullif(t.typbasetype, 0), t.oid)
  left join pg_type e on b.typcategory = 'A' and e.oid = b.typelem
  left join pg_index i on i.indrelid = c.oid and i.indisprimary
  where c.oid = $1
  order by a.attnum`;

function valueTypeOf(row: ColumnRow): ValueType {
  if (row.base_category === 'A' && row.elem_typname)
    return { kind: 'string', element: kindOfTypname(row.elem_typname) };
  return { kind: kindOfTypname(row.base_typname) };
}

/** Loads one table's view for the given roles; `null` when the table no longer exists. */
export async function loadTableInfo(pool: Pool, oid: number, roles: string[]): Promise<TableInfo | null> {
  const { rows } = await pool.query<ColumnRow>(TABLE_SQL, [oid, roles]);
  return tableInfoFromRows(oid, roles, rows);
}

/** `TABLE_SQL` with its parameters spelled out, for a multi-statement simple query. */
export function tableSqlLiteral(oid: number, roles: string[], lit: (v: string) => string): string {
  return TABLE_SQL.replace('$1', `${Math.trunc(oid)}::oid`).replace(
    '$2::text[]',
    `array[${roles.map(lit).join(', ')}]::text[]`,
  );
}

export function tableInfoFromRows(oid: number, roles: string[], rows: ColumnRow[]): TableInfo | null {
  if (!rows.length) return null;
  const columns: ColumnInfo[] = rows.map((r) => ({
    name: r.attname,
    typname: r.typname,
    regtype: r.regtype,
    isPk: r.is_pk,
    value: valueTypeOf(r),
    selectableBy: new Set(r.roles ?? []),
  }));
  return {
    oid,
    schema: rows[0].nspname,
    table: rows[0].relname,
    rlsEnabled: rows[0].relrowsecurity,
    columns,
    byName: new Map(columns.map((c) => [c.name, c])),
    pk: columns.filter((c) => c.isPk),
    roles,
    fingerprint: catalogFingerprint(rows),
  };
}

export function catalogFingerprint(rows: ColumnRow[]): string {
  return JSON.stringify(rows);
}

export interface PublicationTable {
  oid: number;
  schema: string;
  table: string;
}

/** Tables of the publication matching a binding's schema/table (`*` = any). */
export async function findPublicationTables(
  pool: Pool,
  schema: string,
  table: string,
): Promise<PublicationTable[]> {
  const { rows } = await pool.query<{ oid: number; schemaname: string; tablename: string }>(
    `select format('%I.%I', schemaname, tablename)::regclass::oid as oid, schemaname, tablename
       from pg_publication_tables
      where pubname = $1 and ($2 = '*' or schemaname = $2) and ($3 = '*' or tablename = $3)
      order by schemaname, tablename`,
    [PUBLICATION, schema, table],
  );
  return rows.map((r) => ({ oid: Number(r.oid), schema: r.schemaname, table: r.tablename }));
}
