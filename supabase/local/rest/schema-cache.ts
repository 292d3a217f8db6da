/**
 * The schema cache: what the planner needs to know about the exposed schemas (tables, views,
 * columns, keys, foreign keys, functions) plus roles and their per-role settings. Loaded from the
 * catalog at start and on `NOTIFY pgrst, 'reload schema'`.
 */
import type { Pool } from '../db';

export interface Column {
  name: string;
  /** `format_type` spelling, safe to splice as a type name (it comes from the catalog). */
  type: string;
  /** Base type name (domains resolved), e.g. `tsvector`, `int4`. */
  baseType: string;
  nullable: boolean;
  /** Default expression as SQL text from `pg_get_expr` (catalog-owned, not request input). */
  defaultExpr: string | null;
  generated: boolean;
}

export interface Table {
  schema: string;
  name: string;
  kind: 'table' | 'view' | 'materialized_view' | 'foreign_table';
  columns: Map<string, Column>;
  primaryKey: string[];
  /** Column sets with a unique constraint or unique index (the primary key included). */
  uniqueKeys: string[][];
}

export interface ForeignKey {
  name: string;
  schema: string;
  table: string;
  columns: string[];
  refSchema: string;
  refTable: string;
  refColumns: string[];
}

export interface FunctionParam {
  name: string;
  type: string;
  hasDefault: boolean;
}

export type FunctionReturn =
  | { kind: 'void' }
  | { kind: 'scalar'; type: string }
  /** A row type: a table/view's (`relation` set, embeddable) or a composite type / OUT record. */
  | { kind: 'composite'; relation?: { schema: string; name: string } };

export interface DbFunction {
  schema: string;
  name: string;
  params: FunctionParam[];
  returnsSet: boolean;
  returns: FunctionReturn;
  volatility: 'volatile' | 'stable' | 'immutable';
  /** One unnamed json/jsonb parameter: the whole request body is the argument. */
  singleUnnamedJson: boolean;
}

export interface RoleInfo {
  /** Whether `authenticator` may switch to it (hosted PostgREST's only allowed targets). */
  grantedToAuthenticator: boolean;
  statementTimeout?: string;
}

export interface SchemaCache {
  tables: Map<string, Table>;
  foreignKeys: ForeignKey[];
  functions: Map<string, DbFunction[]>;
  roles: Map<string, RoleInfo>;
}

export const tableKey = (schema: string, name: string) => `${schema}\u0000${name}`;

const TABLES_SQL = `
select n.nspname as schema, c.relname as name, c.relkind as kind
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where n.nspname = any($1) and c.relkind in ('r','p','v','m','f')`;

const COLUMNS_SQL = `
select n.nspname as schema, c.relname as table, a.attname as name,
  format_type(a.atttypid, a.atttypmod) as type,
  coalesce(bt.typname, t.typname) as base_type,
  not a.attnotnull as nullable,
  pg_get_expr(d.adbin, d.adrelid) as default_expr,
  a.attgenerated <> '' as generated
from pg_attribute a
join pg_class c on c.oid = a.attrelid
join pg_namespace n on n.oid = c.relnamespace
join pg_type t on t.oid = a.atttypid
left join pg_type bt on t.typtype = 'd' and bt.oid = t.typbasetype
left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
where n.nspname = any($1) and c.relkind in ('r','p','v','m','f') and a.attnum > 0 and not a.attisdropped
order by c.oid, a.attnum`;

const KEYS_SQL = `
select n.nspname::text as schema, c.relname::text as table, k.contype::text as type, k.conname::text as name,
  array(select a.attname from unnest(k.conkey) with ordinality u(num, i)
        join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.num order by u.i)::text[] as columns,
  rn.nspname::text as ref_schema, rc.relname::text as ref_table,
  array(select a.attname from unnest(k.confkey) with ordinality u(num, i)
        join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.num order by u.i)::text[] as ref_columns
from pg_constraint k
join pg_class c on c.oid = k.conrelid
join pg_namespace n on n.oid = c.relnamespace
left join pg_class rc on rc.oid = k.confrelid
left join pg_namespace rn on rn.oid = rc.relnamespace
where k.contype in ('p','u','f') and n.nspname = any($1)
union all
select n.nspname::text, c.relname::text, 'i', ic.relname::text,
  array(select a.attname from unnest(i.indkey::int2[]) with ordinality u(num, j)
        join pg_attribute a on a.attrelid = i.indrelid and a.attnum = u.num order by u.j)::text[],
  null, null, null
from pg_index i
join pg_class c on c.oid = i.indrelid
join pg_class ic on ic.oid = i.indexrelid
join pg_namespace n on n.oid = c.relnamespace
where i.indisunique and i.indpred is null and i.indexprs is null and n.nspname = any($1)`;

/** For each view, the base tables and base columns its rewrite rule reads (for views' key/FK inference). */
const VIEW_DEPS_SQL = `
select distinct vn.nspname as schema, v.relname as view, bn.nspname as base_schema, b.relname as base_table, a.attname as base_column
from pg_class v
join pg_namespace vn on vn.oid = v.relnamespace
join pg_rewrite r on r.ev_class = v.oid
join pg_depend d on d.objid = r.oid and d.classid = 'pg_rewrite'::regclass and d.refclassid = 'pg_class'::regclass and d.refobjid <> v.oid
join pg_class b on b.oid = d.refobjid and b.relkind in ('r','p','v','m','f')
join pg_namespace bn on bn.oid = b.relnamespace
join pg_attribute a on a.attrelid = b.oid and a.attnum = d.refobjsubid
where v.relkind in ('v','m') and vn.nspname = any($1)`;

const FUNCTIONS_SQL = `
select n.nspname as schema, p.proname as name, p.pronargs as nargs, p.pronargdefaults as ndefaults,
  coalesce(p.proargnames, '{}')::text[] as arg_names,
  coalesce(p.proargmodes::text[], '{}') as arg_modes,
  array(select format_type(x, null) from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) with ordinality u(x, i) order by i) as arg_types,
  array(select format_type(x, null) from unnest(p.proargtypes::oid[]) with ordinality u(x, i) order by i) as in_types,
  p.proretset as returns_set, p.provolatile as volatility,
  format_type(p.prorettype, null) as return_type, rt.typtype as return_typtype,
  rn.nspname as return_rel_schema, rc.relname as return_rel_name, rc.relkind as return_rel_kind
from pg_proc p
join pg_namespace n on n.oid = p.pronamespace
join pg_type rt on rt.oid = p.prorettype
left join pg_class rc on rc.oid = rt.typrelid
left join pg_namespace rn on rn.oid = rc.relnamespace
where n.nspname = any($1) and p.prokind = 'f'`;

const ROLES_SQL = `
select r.rolname as name,
  pg_has_role('authenticator', r.oid, 'member') as granted,
  (select substr(cfg, length('statement_timeout=') + 1)
     from pg_db_role_setting s, unnest(s.setconfig) cfg
    where s.setrole = r.oid and s.setdatabase in (0, (select oid from pg_database where datname = current_database()))
      and cfg like 'statement_timeout=%'
    order by s.setdatabase desc limit 1) as statement_timeout
from pg_roles r`;

interface KeyRow {
  schema: string;
  table: string;
  type: 'p' | 'u' | 'f' | 'i';
  name: string;
  columns: string[];
  ref_schema: string | null;
  ref_table: string | null;
  ref_columns: string[] | null;
}

const KIND: Record<string, Table['kind']> = {
  r: 'table',
  p: 'table',
  v: 'view',
  m: 'materialized_view',
  f: 'foreign_table',
};
const VOLATILITY: Record<string, DbFunction['volatility']> = { v: 'volatile', s: 'stable', i: 'immutable' };

export async function loadSchemaCache(pool: Pool, schemas: readonly string[]): Promise<SchemaCache> {
  const client = await pool.connect();
  try {
    const s = [schemas];
    const [tables, columns, keys, viewDeps, functions, roles] = [
      await client.query(TABLES_SQL, s),
      await client.query(COLUMNS_SQL, s),
      await client.query<KeyRow>(KEYS_SQL, s),
      await client.query(VIEW_DEPS_SQL, s),
      await client.query(FUNCTIONS_SQL, s),
      await client.query(ROLES_SQL),
    ];
    const cache: SchemaCache = { tables: new Map(), foreignKeys: [], functions: new Map(), roles: new Map() };
    for (const r of tables.rows) {
      cache.tables.set(tableKey(r.schema, r.name), {
        schema: r.schema,
        name: r.name,
        kind: KIND[r.kind],
        columns: new Map(),
        primaryKey: [],
        uniqueKeys: [],
      });
    }
    for (const r of columns.rows) {
      cache.tables.get(tableKey(r.schema, r.table))?.columns.set(r.name, {
        name: r.name,
        type: r.type,
        baseType: r.base_type,
        nullable: r.nullable,
        defaultExpr: r.default_expr,
        generated: r.generated,
      });
    }
    for (const k of keys.rows) {
      const t = cache.tables.get(tableKey(k.schema, k.table));
      if (!t) continue;
      if (k.type === 'p') t.primaryKey = k.columns;
      if (k.type === 'p' || k.type === 'u' || k.type === 'i') t.uniqueKeys.push(k.columns);
      if (k.type === 'f' && k.ref_schema && k.ref_table && k.ref_columns && schemas.includes(k.ref_schema)) {
        cache.foreignKeys.push({
          name: k.name,
          schema: k.schema,
          table: k.table,
          columns: k.columns,
          refSchema: k.ref_schema,
          refTable: k.ref_table,
          refColumns: k.ref_columns,
        });
      }
    }
    inferViewKeys(cache, viewDeps.rows);
    for (const r of functions.rows) addFunction(cache, r);
    for (const r of roles.rows) {
      cache.roles.set(r.name, {
        grantedToAuthenticator: r.granted,
        statementTimeout: r.statement_timeout ?? undefined,
      });
    }
    return cache;
  } finally {
    client.release();
  }
}

/**
 * Views get their base table's primary key and foreign keys when the view reads exactly one base
 * relation and exposes the key columns under their own names (`select * from t`, `select a, b from t`).
 * Renamed key columns are not followed; that is the "where simple" limit.
 */
function inferViewKeys(
  cache: SchemaCache,
  rows: { schema: string; view: string; base_schema: string; base_table: string; base_column: string }[],
): void {
  const byView = new Map<string, { base: string; columns: Set<string>; multi: boolean }>();
  for (const r of rows) {
    const vk = tableKey(r.schema, r.view);
    const bk = tableKey(r.base_schema, r.base_table);
    const entry = byView.get(vk) ?? { base: bk, columns: new Set<string>(), multi: false };
    if (entry.base !== bk) entry.multi = true;
    entry.columns.add(r.base_column);
    byView.set(vk, entry);
  }
  // view key → mapped base key, for views over a single relation
  const viewsOf = new Map<string, Table[]>();
  for (const [vk, dep] of byView) {
    const view = cache.tables.get(vk);
    const base = cache.tables.get(dep.base);
    if (dep.multi || !view || !base) continue;
    const exposes = (cols: string[]) => cols.every((c) => view.columns.has(c) && dep.columns.has(c));
    if (base.primaryKey.length && exposes(base.primaryKey)) {
      view.primaryKey = base.primaryKey;
    }
    view.uniqueKeys = base.uniqueKeys.filter(exposes);
    const list = viewsOf.get(dep.base) ?? [];
    list.push(view);
    viewsOf.set(dep.base, list);
  }
  const derived: ForeignKey[] = [];
  for (const fk of cache.foreignKeys) {
    const srcs = [
      { schema: fk.schema, name: fk.table },
      ...(viewsOf.get(tableKey(fk.schema, fk.table)) ?? []).filter((v) =>
        fk.columns.every((c) => v.columns.has(c)),
      ),
    ];
    const refs = [
      { schema: fk.refSchema, name: fk.refTable },
      ...(viewsOf.get(tableKey(fk.refSchema, fk.refTable)) ?? []).filter((v) =>
        fk.refColumns.every((c) => v.columns.has(c)),
      ),
    ];
    for (const s of srcs) {
      for (const r of refs) {
        if (
          s.name === fk.table &&
          s.schema === fk.schema &&
          r.name === fk.refTable &&
          r.schema === fk.refSchema
        )
          continue;
        derived.push({ ...fk, schema: s.schema, table: s.name, refSchema: r.schema, refTable: r.name });
      }
    }
  }
  cache.foreignKeys.push(...derived);
}

interface FunctionRow {
  schema: string;
  name: string;
  nargs: number;
  ndefaults: number;
  arg_names: string[];
  arg_modes: string[];
  arg_types: string[];
  in_types: string[];
  returns_set: boolean;
  volatility: string;
  return_type: string;
  return_typtype: string;
  return_rel_schema: string | null;
  return_rel_name: string | null;
  return_rel_kind: string | null;
}

function addFunction(cache: SchemaCache, r: FunctionRow): void {
  const params: FunctionParam[] = [];
  let hasOut = false;
  r.arg_types.forEach((type, i) => {
    const mode = r.arg_modes[i] ?? 'i';
    if (mode === 'o' || mode === 't') {
      hasOut = true;
      return;
    }
    if (mode === 'b') hasOut = true;
    params.push({ name: r.arg_names[i] ?? '', type, hasDefault: false });
  });
  params.forEach((p, i) => {
    p.hasDefault = i >= params.length - r.ndefaults;
  });
  let returns: FunctionReturn;
  if (r.return_type === 'void') returns = { kind: 'void' };
  else if (r.return_typtype === 'c') {
    const isRelation =
      r.return_rel_kind !== null && r.return_rel_kind !== 'c' && r.return_rel_schema && r.return_rel_name;
    returns = {
      kind: 'composite',
      ...(isRelation
        ? { relation: { schema: r.return_rel_schema as string, name: r.return_rel_name as string } }
        : {}),
    };
  } else if (r.return_type === 'record' && hasOut) returns = { kind: 'composite' };
  else returns = { kind: 'scalar', type: r.return_type };
  const fn: DbFunction = {
    schema: r.schema,
    name: r.name,
    params,
    returnsSet: r.returns_set,
    returns,
    volatility: VOLATILITY[r.volatility] ?? 'volatile',
    singleUnnamedJson:
      params.length === 1 &&
      params[0].name === '' &&
      (params[0].type === 'json' || params[0].type === 'jsonb'),
  };
  const key = tableKey(r.schema, r.name);
  const list = cache.functions.get(key) ?? [];
  list.push(fn);
  cache.functions.set(key, list);
}
