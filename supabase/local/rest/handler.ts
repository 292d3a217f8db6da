/**
 * One REST request end to end: route → authenticate → parse → plan → run in one transaction as the
 * request's role → respond. Every failure becomes a `{code, details, hint, message}` body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EXPOSED_SCHEMAS, EXTRA_SEARCH_PATH } from '../config';
import { withRequestContext, type Pool, type PoolClient } from '../db';
import { headerMap, requestToken } from '../http';
import type { ParsedQuery, SelectItem } from './ast';
import { ANON_ROLE, type RequestAuth, type RequestAuthenticator } from './auth';
import { parseWith, readJsonBody, ZInsertBody, ZRow, type TRow } from './body';
import { Errors, RestError, toRestError } from './errors';
import { negotiate, toCsv, type MediaChoice } from './media';
import { parseQuery } from './parse-query';
import { filterSql, logicSql } from './plan-filter';
import { countSql, ReadPlanner, rootSql, RESPONSE_GUCS, selectSql, type NodeSql } from './plan-read';
import { coerceQueryArgs, functionCallSql, parameterNames, resolveFunction } from './plan-rpc';
import { deleteSql, insertSql, returningAll, updateSql } from './plan-write';
import { appliedPreferences, parsePrefer, type Preferences } from './prefer';
import { tableKey, type SchemaCache, type Table } from './schema-cache';
import { ident, qualified, SqlParams } from './sql';
import type { StatementCache } from './statements';

export interface RestRuntime {
  pool: Pool;
  cache(): SchemaCache;
  auth: RequestAuthenticator;
  statements: StatementCache;
  maxRows: number;
  bodyLimit: number;
  /** Server-side log for unexpected failures (the client only ever sees an opaque 500). */
  log: (line: string) => void;
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

interface RootRow extends Record<string, unknown> {
  total: string | null;
  page: string;
  body: string | null;
  response_headers: string | null;
  response_status: string | null;
}

interface Request {
  rt: RestRuntime;
  req: IncomingMessage;
  url: URL;
  method: string;
  schema: string;
  cache: SchemaCache;
  auth: RequestAuth;
  media: MediaChoice;
  prefs: Preferences;
  path: string;
}

const JSON_CT = 'application/json; charset=utf-8';

export async function handleRestRequest(
  rt: RestRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  url: URL,
): Promise<void> {
  let role = ANON_ROLE;
  try {
    const reply = await route(rt, req, path, url, (r) => (role = r));
    send(res, req.method === 'HEAD', reply);
  } catch (err) {
    const e = toRestError(err, role === ANON_ROLE);
    if (e.status >= 500 && e.status !== 503 && !(err instanceof RestError))
      rt.log(`[rest] ${req.method} ${url.pathname}: ${(err as Error)?.stack ?? String(err)}\n`);
    send(res, req.method === 'HEAD', {
      status: e.status,
      headers: { 'Content-Type': JSON_CT, ...e.headers },
      body: JSON.stringify(e.body()),
    });
  }
}

function send(res: ServerResponse, isHead: boolean, reply: Reply): void {
  if (res.headersSent) return;
  const body = reply.body ?? '';
  const headers = { ...reply.headers };
  if (reply.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body));
  res.writeHead(reply.status, headers);
  res.end(isHead ? undefined : body);
}

function decodeSegments(path: string): string[] {
  try {
    return path.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    throw Errors.invalidPath();
  }
}

async function route(
  rt: RestRuntime,
  req: IncomingMessage,
  path: string,
  url: URL,
  setRole: (r: string) => void,
): Promise<Reply> {
  const method = (req.method ?? 'GET').toUpperCase();
  const segments = decodeSegments(path);
  const isRead = method === 'GET' || method === 'HEAD';
  const profileHeader = req.headers[isRead ? 'accept-profile' : 'content-profile'];
  const schema =
    typeof profileHeader === 'string' && profileHeader !== '' ? profileHeader : EXPOSED_SCHEMAS[0];
  if (!EXPOSED_SCHEMAS.includes(schema)) throw Errors.invalidSchema(schema, EXPOSED_SCHEMAS);
  const cache = rt.cache();
  const auth = await rt.auth.authenticate(requestToken(req), cache);
  setRole(auth.role);
  const media = negotiate(typeof req.headers.accept === 'string' ? req.headers.accept : undefined);
  const prefs = parsePrefer(typeof req.headers.prefer === 'string' ? req.headers.prefer : undefined);
  const r: Request = { rt, req, url, method, schema, cache, auth, media, prefs, path };

  if (segments.length === 0) {
    if (!isRead) throw Errors.methodNotAllowed(method);
    return {
      status: 200,
      headers: { 'Content-Type': 'application/openapi+json; charset=utf-8' },
      body: JSON.stringify(openApiStub(cache, schema)),
    };
  }
  if (segments.length === 2 && segments[0] === 'rpc') {
    if (!isRead && method !== 'POST') throw Errors.methodNotAllowed(method);
    return handleRpc(r, segments[1]);
  }
  if (segments.length !== 1) throw Errors.invalidPath();
  const table = cache.tables.get(tableKey(schema, segments[0]));
  if (!table) throw Errors.tableNotFound(schema, segments[0], suggestTable(cache, schema, segments[0]));
  switch (method) {
    case 'GET':
    case 'HEAD':
      return handleRead(r, table);
    case 'POST':
      return handleInsert(r, table);
    case 'PATCH':
      return handleUpdate(r, table);
    case 'DELETE':
      return handleDelete(r, table);
    default:
      throw Errors.methodNotAllowed(method);
  }
}

function openApiStub(cache: SchemaCache, schema: string) {
  const paths: Record<string, object> = { '/': {} };
  for (const t of cache.tables.values()) if (t.schema === schema) paths[`/${t.name}`] = {};
  return { swagger: '2.0', info: { title: 'local REST API', version: '12' }, basePath: '/', paths };
}

/** The closest table name by edit distance, for the PGRST205 hint. */
function suggestTable(cache: SchemaCache, schema: string, name: string): string | null {
  let best: string | null = null;
  let bestScore = Math.max(3, Math.floor(name.length / 3)) + 1;
  for (const t of cache.tables.values()) {
    if (t.schema !== schema) continue;
    const d = editDistance(name.toLowerCase(), t.name.toLowerCase());
    if (d < bestScore) {
      bestScore = d;
      best = t.name;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 8) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

/** Runs `fn` in the request's transaction (role, claims, GUCs, per-role statement_timeout). */
function inTransaction<T>(r: Request, readOnly: boolean, fn: (c: PoolClient) => Promise<T>): Promise<T> {
  const timeout = r.cache.roles.get(r.auth.role)?.statementTimeout;
  const headers = headerMap(r.req);
  return withRequestContext(
    r.rt.pool,
    {
      role: r.auth.role,
      claims: r.auth.claims,
      method: r.method,
      path: r.path,
      headers,
      cookies: parseCookies(headers.cookie),
      readOnly,
      settings: timeout ? { statement_timeout: timeout } : {},
      searchPath: [...new Set([r.schema, ...EXTRA_SEARCH_PATH])],
    },
    fn,
    { rollback: r.prefs.tx === 'rollback' },
  );
}

function runRoot(r: Request, client: PoolClient, sql: string, params: SqlParams): Promise<RootRow> {
  return r.rt.statements.query<RootRow>(client, sql, params.values).then((res) => res.rows[0]);
}

/** The planner's estimate of the rows a statement returns (`EXPLAIN`, not executed). */
async function plannedRows(r: Request, client: PoolClient, sql: string, params: SqlParams): Promise<number> {
  const res = await r.rt.statements.query<{ 'QUERY PLAN': unknown }>(
    client,
    `EXPLAIN (FORMAT JSON) ${sql}`,
    params.values,
  );
  const plan = res.rows[0]?.['QUERY PLAN'];
  const rows = Array.isArray(plan)
    ? (plan[0] as { Plan?: { 'Plan Rows'?: unknown } })?.Plan?.['Plan Rows']
    : undefined;
  return typeof rows === 'number' ? Math.round(rows) : 0;
}

/** `Range: items=0-9` / `Range: 0-9` (the request header form of limit/offset). */
function rangeHeader(req: IncomingMessage): { offset: number; limit?: number } | undefined {
  const h = req.headers.range;
  if (typeof h !== 'string') return undefined;
  const m = /^(?:items=)?\s*(\d+)-(\d*)\s*$/.exec(h);
  if (!m) return undefined;
  const from = Number(m[1]);
  const to = m[2] === '' ? undefined : Number(m[2]);
  if (to !== undefined && to < from) return undefined;
  return { offset: from, limit: to === undefined ? undefined : to - from + 1 };
}

function contentRange(offset: number, page: number, total: number | null): string {
  const t = total === null ? '*' : String(total);
  return page > 0 ? `${offset}-${offset + page - 1}/${t}` : `*/${t}`;
}

/** Applies `response.status` / `response.headers` set by the SQL, then the media body. */
function finish(
  r: Request,
  row: RootRow,
  status: number,
  headers: Record<string, string>,
  opts: { body: boolean },
): Reply {
  const out: Reply = { status, headers: { ...headers } };
  if (opts.body) {
    if (r.media.kind === 'csv') {
      out.body = toCsv(JSON.parse(row.body ?? '[]') as unknown);
    } else out.body = row.body ?? 'null';
    out.headers['Content-Type'] = r.media.contentType;
  }
  if (row.response_status !== null) {
    const s = Number(row.response_status);
    if (Number.isInteger(s) && s >= 100 && s <= 599) out.status = s;
  }
  if (row.response_headers !== null) {
    try {
      const list = JSON.parse(row.response_headers) as unknown;
      if (Array.isArray(list)) {
        for (const h of list)
          if (h && typeof h === 'object') for (const [k, v] of Object.entries(h)) out.headers[k] = String(v);
      }
    } catch {
      throw new RestError(
        500,
        'PGRST111',
        'response.headers guc must be a JSON array composed of objects with a single key and a string value',
      );
    }
  }
  return out;
}

function preferenceHeader(p: Preferences, honoured: (keyof Preferences)[]): Record<string, string> {
  const v = appliedPreferences(p, honoured);
  return v ? { 'Preference-Applied': v } : {};
}

// ---------------------------------------------------------------------------------------------- reads

function checkSingular(r: Request, row: RootRow): void {
  if (r.media.kind === 'object' && Number(row.page) !== 1) throw Errors.singular(Number(row.page));
}

async function handleRead(r: Request, table: Table): Promise<Reply> {
  const q = parseQuery(r.url.searchParams);
  const params = new SqlParams();
  const planner = new ReadPlanner(r.cache, q, params);
  const root = planner.node(
    { table, from: `${qualified(table.schema, table.name)} AS ${ident(table.name)}`, alias: table.name },
    q.select,
    [],
  );
  planner.assertAllPathsUsed();
  return readRoot(r, root, params, '', true);
}

/** Shared by table reads and set-returning RPC: paging, count, Content-Range, 206/416. */
async function readRoot(
  r: Request,
  root: NodeSql,
  params: SqlParams,
  prefix: string,
  readOnly: boolean,
): Promise<Reply> {
  const range = r.method === 'GET' || r.method === 'HEAD' ? rangeHeader(r.req) : undefined;
  const qOffset = root.offset ?? 0;
  const offset = (range?.offset ?? 0) + qOffset;
  let limit = root.limit;
  if (range?.limit !== undefined) limit = Math.min(limit ?? Infinity, Math.max(0, range.limit - qOffset));
  limit = Math.min(limit ?? r.rt.maxRows, r.rt.maxRows);
  const mode = r.prefs.count;
  const buildSql = (exact: boolean) =>
    rootSql(selectSql(root, { limit, offset }), {
      prefix,
      count: exact ? countSql(root) : undefined,
      shape: r.media.kind === 'object' ? 'object' : 'array',
      stripNulls: r.media.stripNulls,
    });
  const { row, estimate } = await inTransaction(r, readOnly, async (c) => {
    // planned: the planner's row estimate; estimated: exact up to db-max-rows, the estimate above.
    const est =
      mode === 'planned' || mode === 'estimated'
        ? await plannedRows(
            r,
            c,
            `${prefix}${selectSql({ ...root, limit: undefined, offset: undefined })}`,
            params,
          )
        : undefined;
    const exact = mode === 'exact' || (mode === 'estimated' && est !== undefined && est <= r.rt.maxRows);
    const result = await runRoot(r, c, buildSql(exact), params);
    checkSingular(r, result);
    return { row: result, estimate: exact ? undefined : est };
  });
  const page = Number(row.page);
  const total =
    row.total !== null
      ? Number(row.total)
      : estimate !== undefined
        ? Math.max(estimate, offset + page)
        : null;
  let status = 200;
  if (total !== null) {
    if (offset > total) throw Errors.rangeNotSatisfiable(offset, total);
    if (page < total) status = 206;
  }
  return finish(
    r,
    row,
    status,
    { 'Content-Range': contentRange(offset, page, total), ...preferenceHeader(r.prefs, ['count', 'tx']) },
    { body: true },
  );
}

// --------------------------------------------------------------------------------------------- writes

function assertColumns(table: Table, columns: string[]): void {
  for (const c of columns) if (!table.columns.has(c)) throw Errors.columnNotFound(c, table.name);
}

function rootWhere(q: ParsedQuery, table: Table, params: SqlParams): string[] {
  const typeOf = (c: string) => table.columns.get(c)?.baseType;
  return [
    ...q.filters
      .filter((f) => f.path.length === 0)
      .map((f) => filterSql(table.name, f.value, params, typeOf)),
    ...q.logic.filter((l) => l.path.length === 0).map((l) => logicSql(table.name, l.value, params, typeOf)),
  ];
}

/** The representation of affected rows: root filters/limits already chose the rows, so only embed-level parts apply. */
function representationSql(
  r: Request,
  table: Table,
  q: ParsedQuery,
  mutation: string,
  params: SqlParams,
  select: SelectItem[],
): string {
  const rep: ParsedQuery = {
    ...q,
    filters: q.filters.filter((f) => f.path.length > 0),
    logic: q.logic.filter((l) => l.path.length > 0),
    limit: q.limit.filter((l) => l.path.length > 0),
    offset: q.offset.filter((o) => o.path.length > 0),
  };
  const planner = new ReadPlanner(r.cache, rep, params);
  const node = planner.node(
    { table, from: `pgrst_source AS ${ident(table.name)}`, alias: table.name },
    select,
    [],
  );
  planner.assertAllPathsUsed();
  return rootSql(selectSql(node), {
    prefix: `WITH pgrst_source AS (${mutation}${returningAll(table)}) `,
    shape: r.media.kind === 'object' ? 'object' : 'array',
    stripNulls: r.media.stripNulls,
  });
}

type MutationKind = 'insert' | 'update' | 'delete';

async function runMutation(
  r: Request,
  table: Table,
  q: ParsedQuery,
  kind: MutationKind,
  mutation: string,
  params: SqlParams,
  honoured: (keyof Preferences)[],
): Promise<Reply> {
  const ret = r.prefs.return ?? 'minimal';
  const counting = r.prefs.count !== undefined;
  const strictMax =
    r.prefs.handling === 'strict' && r.prefs.maxAffected !== undefined && kind !== 'insert'
      ? r.prefs.maxAffected
      : undefined;
  const enforceMax = (n: number) => {
    if (strictMax !== undefined && n > strictMax) throw Errors.maxAffected(strictMax, n);
  };
  const range = (n: number) => {
    const total = counting ? String(n) : '*';
    return kind === 'update' && n > 0 ? `0-${n - 1}/${total}` : `*/${total}`;
  };
  const prefHeaders = preferenceHeader(r.prefs, [
    'return',
    'count',
    ...honoured,
    'tx',
    ...(strictMax !== undefined ? (['handling', 'maxAffected'] as const) : []),
  ]);
  const okStatus = kind === 'insert' ? 201 : 200;

  if (ret === 'minimal') {
    const affected = await inTransaction(r, false, async (c) => {
      const result = await r.rt.statements.query(c, mutation, params.values);
      const n = result.rowCount ?? 0;
      enforceMax(n);
      return n;
    });
    return {
      status: kind === 'insert' ? 201 : 204,
      headers: { 'Content-Range': range(affected), ...prefHeaders },
    };
  }

  const select: SelectItem[] =
    ret === 'headers-only'
      ? table.primaryKey.map((c) => ({ kind: 'column' as const, field: { name: c, json: [] } }))
      : q.select;
  const sql = representationSql(r, table, q, mutation, params, select);
  const row = await inTransaction(r, false, async (c) => {
    const result = await runRoot(r, c, sql, params);
    enforceMax(Number(result.page));
    if (ret === 'representation') checkSingular(r, result);
    return result;
  });
  const n = Number(row.page);
  if (ret === 'headers-only') {
    const headers: Record<string, string> = { 'Content-Range': range(n), ...prefHeaders };
    const first = (JSON.parse(row.body ?? '[]') as TRow[])[0];
    if (first && table.primaryKey.length) {
      headers.Location = `/${encodeURIComponent(table.name)}?${table.primaryKey.map((k) => `${encodeURIComponent(k)}=eq.${encodeURIComponent(String(first[k]))}`).join('&')}`;
    }
    return finish(r, row, okStatus, headers, { body: false });
  }
  return finish(r, row, okStatus, { 'Content-Range': range(n), ...prefHeaders }, { body: true });
}

async function handleInsert(r: Request, table: Table): Promise<Reply> {
  const q = parseQuery(r.url.searchParams);
  const { value } = await readJsonBody(r.req, r.rt.bodyLimit);
  if (value === undefined) throw Errors.invalidBody('Empty or invalid json');
  const body = parseWith(ZInsertBody, value, 'expected a JSON object or an array of objects');
  const rows = Array.isArray(body) ? body : [body];
  const columns = q.columns ?? [...new Set(rows.flatMap((row) => Object.keys(row)))];
  assertColumns(table, columns);
  if (q.onConflict) assertColumns(table, q.onConflict);
  const params = new SqlParams();
  const mutation = insertSql(
    table,
    {
      rows,
      columns,
      missingDefault: r.prefs.missing === 'default',
      resolution: r.prefs.resolution,
      onConflict: q.onConflict,
    },
    params,
  );
  return runMutation(r, table, q, 'insert', mutation, params, ['resolution', 'missing']);
}

async function handleUpdate(r: Request, table: Table): Promise<Reply> {
  const q = parseQuery(r.url.searchParams);
  const { value } = await readJsonBody(r.req, r.rt.bodyLimit);
  const body = value === undefined ? {} : parseWith(ZRow, value, 'expected a JSON object');
  const columns = q.columns ?? Object.keys(body);
  assertColumns(table, columns);
  const params = new SqlParams();
  const where = rootWhere(q, table, params);
  if (columns.length === 0) {
    // Nothing to set: affect no rows (PostgREST answers an empty update without touching the table).
    where.push('FALSE');
    return runMutation(
      r,
      table,
      q,
      'update',
      `UPDATE ${qualified(table.schema, table.name)} SET ${ident(firstColumn(table))} = ${ident(firstColumn(table))} WHERE ${where.join(' AND ')}`,
      params,
      [],
    );
  }
  return runMutation(r, table, q, 'update', updateSql(table, body, columns, where, params), params, []);
}

function firstColumn(table: Table): string {
  const first = table.columns.keys().next().value;
  if (first === undefined) throw Errors.parse('the table has no columns');
  return first;
}

async function handleDelete(r: Request, table: Table): Promise<Reply> {
  const q = parseQuery(r.url.searchParams);
  const params = new SqlParams();
  return runMutation(r, table, q, 'delete', deleteSql(table, rootWhere(q, table, params)), params, []);
}

// ------------------------------------------------------------------------------------------------ rpc

async function handleRpc(r: Request, name: string): Promise<Reply> {
  const isRead = r.method === 'GET' || r.method === 'HEAD';
  let q: ParsedQuery;
  let args: Record<string, unknown> = {};
  let bodyText = '';
  let bodyIsObject = true;
  if (isRead) {
    q = parseQuery(r.url.searchParams, { argNames: parameterNames(r.cache, r.schema, name) });
  } else {
    q = parseQuery(r.url.searchParams);
    const { text, value } = await readJsonBody(r.req, r.rt.bodyLimit);
    bodyText = text === '' ? '{}' : text;
    const parsed = ZRow.safeParse(value ?? {});
    if (parsed.success) args = parsed.data;
    else bodyIsObject = false;
  }
  const argNames = isRead ? [...q.args.keys()] : bodyIsObject ? Object.keys(args) : [];
  const resolved = resolveFunction(r.cache, r.schema, name, argNames, !isRead);
  if (!resolved.wholeBody && !bodyIsObject)
    throw Errors.invalidBody('Error in $: expected a JSON object of named arguments');
  if (isRead) args = coerceQueryArgs(resolved.fn, q.args);
  const fn = resolved.fn;
  const params = new SqlParams();
  const call = functionCallSql(resolved, args, bodyText, params);
  const readOnly = isRead || fn.volatility !== 'volatile';
  const isScalar = fn.returns.kind === 'scalar' || fn.returns.kind === 'void';
  const prefix = `WITH pgrst_call AS MATERIALIZED (SELECT _pgrst_c.* FROM ${call} AS _pgrst_c${isScalar ? '(pgrst_scalar)' : ''}) `;

  if (fn.returns.kind === 'void') {
    const sql = `${prefix}SELECT NULL::bigint AS total, pg_catalog.count(*) AS page, NULL::text AS body, ${RESPONSE_GUCS} FROM pgrst_call`;
    const row = await inTransaction(r, readOnly, (c) => runRoot(r, c, sql, params));
    return finish(r, row, 204, preferenceHeader(r.prefs, ['tx']), { body: false });
  }
  if (fn.returns.kind === 'scalar' && !fn.returnsSet) {
    const sql = `${prefix}SELECT NULL::bigint AS total, 1::bigint AS page, _pgrst_t.body, ${RESPONSE_GUCS} FROM (SELECT to_json(pgrst_scalar)::text AS body FROM pgrst_call) AS _pgrst_t`;
    const row = await inTransaction(r, readOnly, (c) => runRoot(r, c, sql, params));
    return finish(r, row, 200, preferenceHeader(r.prefs, ['tx']), { body: true });
  }
  const relation =
    fn.returns.kind === 'composite' && fn.returns.relation
      ? r.cache.tables.get(tableKey(fn.returns.relation.schema, fn.returns.relation.name))
      : undefined;
  const planner = new ReadPlanner(r.cache, q, params);
  const alias = fn.name;
  const select: SelectItem[] =
    fn.returns.kind === 'scalar' ? [{ kind: 'column', field: { name: 'pgrst_scalar', json: [] } }] : q.select;
  const root = planner.node({ table: relation, from: `pgrst_call AS ${ident(alias)}`, alias }, select, []);
  planner.assertAllPathsUsed();
  if (fn.returns.kind === 'scalar') {
    // setof scalar: a JSON array of the values themselves
    const counting = r.prefs.count !== undefined;
    const sql = `${prefix}SELECT ${counting ? `(${countSql(root)})` : 'NULL::bigint'} AS total, pg_catalog.count(*) AS page, coalesce(json_agg(_pgrst_t.pgrst_scalar), '[]'::json)::text AS body, ${RESPONSE_GUCS} FROM (${selectSql(root, { limit: Math.min(root.limit ?? r.rt.maxRows, r.rt.maxRows) })}) AS _pgrst_t`;
    const row = await inTransaction(r, readOnly, (c) => runRoot(r, c, sql, params));
    const total = row.total === null ? null : Number(row.total);
    return finish(
      r,
      row,
      200,
      { 'Content-Range': contentRange(root.offset ?? 0, Number(row.page), total) },
      { body: true },
    );
  }
  if (!fn.returnsSet) {
    const sql = rootSql(selectSql(root), { prefix, shape: 'object', stripNulls: r.media.stripNulls });
    const row = await inTransaction(r, readOnly, (c) => runRoot(r, c, sql, params));
    return finish(r, row, 200, preferenceHeader(r.prefs, ['tx']), { body: true });
  }
  return readRoot(r, root, params, prefix, readOnly);
}
