/**
 * The read planner: a select tree over a source relation → one SQL statement that builds the whole
 * JSON body in PostgreSQL. Embeds become `LEFT JOIN LATERAL` subqueries aggregating to JSON
 * (`row_to_json` for to-one, `json_agg` for to-many), so a request is one round trip whatever its depth.
 */
import type { Field, ParsedQuery, SelectItem } from './ast';
import { Errors, RestError } from './errors';
import { fieldSql, filterSql, logicSql } from './plan-filter';
import { isToOne, resolveRelationship } from './relationships';
import type { SchemaCache, Table } from './schema-cache';
import { ident, isSafeCastType, qualified, SqlParams } from './sql';

export interface NodeSource {
  /** The relation behind the source, when known: enables embedding, `*` expansion, fts typing. */
  table?: Table;
  /** FROM text including the alias, e.g. `"public"."films" AS "films"`. */
  from: string;
  alias: string;
}

interface Lateral {
  sql: string;
  usedInWhere: boolean;
}

export interface NodeSql {
  source: NodeSource;
  columns: string[];
  outputNames: string[];
  laterals: Lateral[];
  where: string[];
  groupBy: string[];
  orderBy: string[];
  limit?: number;
  offset?: number;
}

export type BodyShape = 'array' | 'object';

const pathKey = (path: string[]) => path.join('\u0000');

function castSql(expr: string, type: string | undefined): string {
  if (type === undefined) return expr;
  if (!isSafeCastType(type))
    throw Errors.parse(`"failed to parse select (invalid cast ${type})"`, 'a cast is a plain type name');
  return `(${expr})::${type}`;
}

function outputName(field: Field): string {
  const last = field.json[field.json.length - 1];
  return last && typeof last.key === 'string' ? last.key : field.name;
}

export class ReadPlanner {
  private aliasCount = 0;
  private readonly usedPaths = new Set<string>();

  constructor(
    private readonly cache: SchemaCache,
    private readonly query: ParsedQuery,
    readonly params: SqlParams,
  ) {}

  alias(base: string): string {
    this.aliasCount += 1;
    return `${base}_${this.aliasCount}`;
  }

  /** Plans one level of the tree (the root, or an embed with its correlation conditions). */
  node(src: NodeSource, select: SelectItem[], path: string[], correlation: string[] = []): NodeSql {
    const key = pathKey(path);
    this.usedPaths.add(key);
    const params = this.params;
    const typeOf = (c: string) => src.table?.columns.get(c)?.baseType;
    const out: NodeSql = {
      source: src,
      columns: [],
      outputNames: [],
      laterals: [],
      where: [...correlation],
      groupBy: [],
      orderBy: [],
    };
    const embeds = new Map<string, { lateral: Lateral; alias: string; toOne: boolean }>();
    const plain: string[] = [];
    let aggregates = 0;

    for (const item of select) {
      if (item.kind === 'star') {
        out.columns.push(`${ident(src.alias)}.*`);
        if (src.table) out.outputNames.push(...src.table.columns.keys());
        plain.push(`${ident(src.alias)}.*`);
      } else if (item.kind === 'count') {
        aggregates++;
        const name = item.alias ?? 'count';
        out.columns.push(`${castSql('pg_catalog.count(*)', item.cast)} AS ${ident(name)}`);
        out.outputNames.push(name);
      } else if (item.kind === 'column') {
        let expr = castSql(fieldSql(src.alias, item.field, params), item.cast);
        let name: string;
        if (item.aggregate) {
          aggregates++;
          expr = castSql(`pg_catalog.${item.aggregate}(${expr})`, item.aggregateCast);
          name = item.alias ?? item.aggregate;
        } else {
          plain.push(expr);
          name = item.alias ?? outputName(item.field);
        }
        out.columns.push(`${expr} AS ${ident(name)}`);
        out.outputNames.push(name);
      } else {
        const e = this.embed(src, item, path, out);
        if (e) embeds.set(item.alias ?? item.relation, e);
      }
    }
    if (aggregates > 0) {
      if (embeds.size > 0 || plain.some((p) => p.endsWith('.*'))) {
        throw new RestError(
          400,
          'PGRST100',
          'Aggregates cannot be combined with "*" or embedded resources in this server',
        );
      }
      out.groupBy = plain;
    }

    for (const f of this.query.filters) {
      if (pathKey(f.path) !== key) continue;
      const embed = f.value.field.json.length === 0 ? embeds.get(f.value.field.name) : undefined;
      if (embed) {
        const op = f.value.operation;
        if (op.op !== 'is' || (op.value !== 'null' && op.value !== 'not_null'))
          throw Errors.badEmbedFilter(f.value.field.name);
        const isNull = (op.value === 'null') !== f.value.negate;
        out.where.push(`${ident(embed.alias)}.body IS ${isNull ? '' : 'NOT '}NULL`);
        embed.lateral.usedInWhere = true;
      } else {
        out.where.push(filterSql(src.alias, f.value, params, typeOf));
      }
    }
    for (const l of this.query.logic) {
      if (pathKey(l.path) === key) out.where.push(logicSql(src.alias, l.value, params, typeOf));
    }
    for (const o of this.query.order) {
      if (pathKey(o.path) !== key) continue;
      for (const term of o.value) {
        let expr: string;
        if (term.relation !== undefined) {
          const embed = embeds.get(term.relation);
          if (!embed)
            throw Errors.noRelationship(
              src.table?.name ?? src.alias,
              term.relation,
              src.table?.schema ?? 'public',
            );
          if (!embed.toOne) throw Errors.orderToMany(src.table?.name ?? src.alias, term.relation);
          // jsonb ordering keeps numbers numeric and strings lexical.
          expr = `(${ident(embed.alias)}.body::jsonb -> ${params.addAs(term.field.name, 'text')})`;
          for (const step of term.field.json)
            expr +=
              step.arrow +
              (typeof step.key === 'number' ? `(${Math.trunc(step.key)})` : params.addAs(step.key, 'text'));
        } else {
          expr = fieldSql(src.alias, term.field, params);
        }
        const nulls = term.nulls ? ` NULLS ${term.nulls.toUpperCase()}` : '';
        out.orderBy.push(`${expr} ${term.direction === 'desc' ? 'DESC' : 'ASC'}${nulls}`);
      }
    }
    for (const l of this.query.limit) if (pathKey(l.path) === key) out.limit = l.value;
    for (const o of this.query.offset) if (pathKey(o.path) === key) out.offset = o.value;
    return out;
  }

  private embed(
    parent: NodeSource,
    item: Extract<SelectItem, { kind: 'embed' }>,
    path: string[],
    out: NodeSql,
  ) {
    if (!parent.table) throw Errors.noRelationship(parent.alias, item.relation, 'public');
    const rel = resolveRelationship(this.cache, parent.table, item.relation, item.hint);
    const name = item.alias ?? item.relation;
    const childAlias = this.alias(rel.target.name);
    const c = ident(childAlias);
    const p = ident(parent.alias);
    let from = `${qualified(rel.target.schema, rel.target.name)} AS ${c}`;
    let correlation: string[];
    if (rel.cardinality === 'many-to-many') {
      const j = ident(this.alias(rel.junction.name));
      from += ` INNER JOIN ${qualified(rel.junction.schema, rel.junction.name)} AS ${j} ON ${rel.targetPairs.map(([jc, tc]) => `${j}.${ident(jc)} = ${c}.${ident(tc)}`).join(' AND ')}`;
      correlation = rel.sourcePairs.map(([sc, jc]) => `${j}.${ident(jc)} = ${p}.${ident(sc)}`);
    } else {
      correlation = rel.pairs.map(([pc, cc]) => `${c}.${ident(cc)} = ${p}.${ident(pc)}`);
    }
    const child = this.node(
      { table: rel.target, from, alias: childAlias },
      item.select,
      [...path, name],
      correlation,
    );
    const toOne = isToOne(rel);
    const latName = this.alias('pgrst_embed');
    const lat = ident(latName);
    const r = ident(`${latName}_row`);
    const inner = selectSql(child);

    if (item.spread) {
      if (toOne) {
        out.laterals.push({ sql: `LEFT JOIN LATERAL (${inner}) AS ${lat} ON TRUE`, usedInWhere: false });
        for (const n of child.outputNames) out.columns.push(`${lat}.${ident(n)} AS ${ident(n)}`);
      } else {
        const aggs = child.outputNames.map((n) => `json_agg(${r}.${ident(n)}) AS ${ident(n)}`);
        out.laterals.push({
          sql: `LEFT JOIN LATERAL (SELECT ${aggs.join(', ')} FROM (${inner}) AS ${r}) AS ${lat} ON TRUE`,
          usedInWhere: false,
        });
        for (const n of child.outputNames)
          out.columns.push(`COALESCE(${lat}.${ident(n)}, '[]'::json) AS ${ident(n)}`);
      }
      out.outputNames.push(...child.outputNames);
      return undefined;
    }
    const agg = toOne ? `row_to_json(${r}.*)` : `json_agg(${r}.*)`;
    const lateral: Lateral = {
      sql: `LEFT JOIN LATERAL (SELECT ${agg} AS body FROM (${inner}) AS ${r}) AS ${lat} ON TRUE`,
      usedInWhere: false,
    };
    out.laterals.push(lateral);
    if (item.select.length > 0) {
      out.columns.push(
        toOne ? `${lat}.body AS ${ident(name)}` : `COALESCE(${lat}.body, '[]'::json) AS ${ident(name)}`,
      );
      out.outputNames.push(name);
    }
    if (item.joinType === 'inner') {
      out.where.push(`${lat}.body IS NOT NULL`);
      lateral.usedInWhere = true;
    }
    return { lateral, alias: latName, toOne };
  }

  /** Filters, orders or limits addressed to an embed that the select does not contain. */
  assertAllPathsUsed(): void {
    const q = this.query;
    for (const { path } of [...q.filters, ...q.logic, ...q.order, ...q.limit, ...q.offset]) {
      if (!this.usedPaths.has(pathKey(path))) {
        const name = path[path.length - 1];
        throw new RestError(
          400,
          'PGRST108',
          `'${name}' is not an embedded resource in this request`,
          null,
          `Verify that '${name}' is included in the 'select' query parameter.`,
        );
      }
    }
  }
}

export function selectSql(n: NodeSql, opts: { limit?: number; offset?: number } = {}): string {
  const limit = opts.limit ?? n.limit;
  const offset = opts.offset ?? n.offset;
  let sql = `SELECT ${n.columns.join(', ')} FROM ${n.source.from}`;
  if (n.laterals.length) sql += ' ' + n.laterals.map((l) => l.sql).join(' ');
  if (n.where.length) sql += ` WHERE ${n.where.join(' AND ')}`;
  if (n.groupBy.length) sql += ` GROUP BY ${n.groupBy.join(', ')}`;
  if (n.orderBy.length) sql += ` ORDER BY ${n.orderBy.join(', ')}`;
  if (limit !== undefined) sql += ` LIMIT ${Math.trunc(limit)}`;
  if (offset !== undefined && offset > 0) sql += ` OFFSET ${Math.trunc(offset)}`;
  return sql;
}

/** `SELECT count(*)` over the same rows, joining only the embeds the WHERE clause needs. */
export function countSql(n: NodeSql): string {
  let sql = `SELECT pg_catalog.count(*) FROM ${n.source.from}`;
  const needed = n.laterals.filter((l) => l.usedInWhere);
  if (needed.length) sql += ' ' + needed.map((l) => l.sql).join(' ');
  if (n.where.length) sql += ` WHERE ${n.where.join(' AND ')}`;
  if (n.groupBy.length)
    sql = `SELECT pg_catalog.count(*) FROM (${sql.replace('SELECT pg_catalog.count(*)', 'SELECT 1')} GROUP BY ${n.groupBy.join(', ')}) AS _pgrst_g`;
  return sql;
}

/** Columns every root statement returns: the response-override GUCs a function may have set. */
export const RESPONSE_GUCS =
  "nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status";

/**
 * The root statement: total (when counting), rows on this page, and the finished body text.
 * `prefix` carries a data-modifying CTE for mutations.
 */
export function rootSql(
  inner: string,
  opts: { count?: string; shape: BodyShape; stripNulls: boolean; prefix?: string },
): string {
  let agg = 'json_agg(_pgrst_t.*)';
  if (opts.shape === 'object') agg = `(${agg} -> 0)`;
  if (opts.stripNulls) agg = `json_strip_nulls(${agg})`;
  const body = opts.shape === 'array' ? `coalesce(${agg}, '[]'::json)::text` : `${agg}::text`;
  const total = opts.count ? `(${opts.count})` : 'NULL::bigint';
  return `${opts.prefix ?? ''}SELECT ${total} AS total, pg_catalog.count(*) AS page, ${body} AS body, ${RESPONSE_GUCS} FROM (${inner}) AS _pgrst_t`;
}
