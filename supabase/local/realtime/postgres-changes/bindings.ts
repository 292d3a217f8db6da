/**
 * Subscribe-time validation of postgres_changes bindings, mirroring what hosted does when it inserts
 * `realtime.subscription` rows (parameter parsing in `subscriptions.ex`, then the
 * `subscription_check_filters` trigger): the table must be in the publication, filter columns must
 * exist and be SELECT-able by the subscriber's role, values must cast to the column type, `in` lists
 * hold at most 100 values, `select` columns must be visible to the role.
 */
import type { Pool } from '../../db';
import { loadTableInfo, findPublicationTables, type TableInfo } from './catalog';
import { PgChangesError, SELECT_PARSE_MESSAGE, WILDCARD_SELECT_MESSAGE } from './errors';
import { MAX_IN_VALUES, parseFilter, type ParsedFilter } from './filters';
import { parsePgArray, type PgArray } from './values';

export type ChangeEvent = '*' | 'INSERT' | 'UPDATE' | 'DELETE';

export interface BindingInput {
  event: string;
  schema?: string;
  table?: string;
  filter?: string;
  select?: unknown;
}

export interface CompiledFilter extends ParsedFilter {
  /** `in` list elements (text form), for the in-process fast path on text columns. */
  inValues?: Array<string | null>;
}

export interface CompiledBinding {
  id: number;
  event: ChangeEvent;
  schema: string;
  /** `*` = every publication table of the schema (resolved per change, so later additions count). */
  table: string;
  filters: CompiledFilter[];
  /** Column selection (plus the PK, added when shaping); null = all columns. */
  select: string[] | null;
  /** Canonical key of `select` for grouping identical payload shapes. */
  selectKey: string;
}

function normalizeEvent(event: string): ChangeEvent {
  if (event === '*') return '*';
  const up = String(event).toUpperCase();
  return up === 'INSERT' || up === 'UPDATE' || up === 'DELETE' ? up : '*';
}

function parseSelect(select: unknown): string[] | null {
  if (select === undefined || select === null) return null;
  if (typeof select === 'string') throw new PgChangesError(SELECT_PARSE_MESSAGE);
  if (!Array.isArray(select)) return null;
  const cols = select.filter((c): c is string => typeof c === 'string');
  return cols.length ? cols : null;
}

const elixirValue = (v: unknown): string =>
  v === null || v === undefined ? 'nil' : typeof v === 'string' ? v : JSON.stringify(v);

function paramsToLog(
  event: ChangeEvent,
  schema: string,
  table: string,
  filters: ParsedFilter[],
  select: string[] | null,
): string {
  const fs = filters.map(
    (f) =>
      `{${JSON.stringify(f.expression)}, ${JSON.stringify(f.op)}, ${JSON.stringify(f.value)}, ${f.negate}}`,
  );
  const sel = select ? `[${select.map((s) => JSON.stringify(s)).join(', ')}]` : 'nil';
  return `event: ${event}, schema: ${elixirValue(schema)}, table: ${elixirValue(table)}, filters: [${fs.join(', ')}], select: ${sel}`;
}

/** A failure inside the subscription insert; hosted reports Postgrex's `ERROR <code> (<name>) <message>`. */
class CheckFailure extends Error {
  constructor(
    message: string,
    readonly code = 'P0001 (raise_exception)',
  ) {
    super(message);
  }
}

async function tryQuery<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const e = err as { code?: string; message?: string };
    throw new CheckFailure(e.message ?? String(err), e.code ?? 'XX000');
  }
}

function flatten(arr: PgArray, out: Array<string | null> = []): Array<string | null> {
  for (const el of arr) {
    if (Array.isArray(el)) flatten(el, out);
    else out.push(el);
  }
  return out;
}

async function checkFilter(
  pool: Pool,
  info: TableInfo,
  role: string,
  f: ParsedFilter,
): Promise<CompiledFilter> {
  if (f.jsonKey !== undefined && (f.column === '' || f.jsonKey === '' || f.jsonKey.includes('->>'))) {
    throw new CheckFailure(`invalid jsonb filter expression ${f.expression}`);
  }
  const col = info.byName.get(f.column);
  if (!col || !col.selectableBy.has(role))
    throw new CheckFailure(`invalid column for filter ${f.expression}`);
  if (f.jsonKey !== undefined && col.typname !== 'jsonb') {
    throw new CheckFailure(`jsonb filter requires a jsonb column, got ${col.regtype}`);
  }
  const type = f.jsonKey !== undefined ? 'text' : col.regtype;
  const compiled: CompiledFilter = { ...f };
  switch (f.op) {
    case 'in': {
      await tryQuery(() => pool.query(`select $1::${type}[]`, [f.value]));
      let parsed: PgArray;
      try {
        parsed = parsePgArray(f.value);
      } catch {
        throw new CheckFailure(
          `malformed array literal: "${f.value}"`,
          '22P02 (invalid_text_representation)',
        );
      }
      const values = flatten(parsed);
      if (values.length > MAX_IN_VALUES)
        throw new CheckFailure(`too many values for \`in\` filter. Maximum ${MAX_IN_VALUES}`);
      compiled.inValues = values;
      break;
    }
    case 'is':
      if (!['null', 'true', 'false', 'unknown'].includes(f.value)) {
        throw new CheckFailure('invalid value for is filter: must be null, true, false, or unknown');
      }
      if (f.value !== 'null' && type !== 'boolean')
        throw new CheckFailure(`is ${f.value} filter requires a boolean column, got ${type}`);
      break;
    case 'like':
    case 'ilike': {
      const { rows } = await pool.query<{ ok: boolean }>(
        `select exists(select 1 from pg_operator where oprname = '~~' and oprleft = $1::regtype) as ok`,
        [type],
      );
      if (!rows[0]?.ok)
        throw new CheckFailure(`operator ${f.op} requires a text-compatible column type, got ${type}`);
      break;
    }
    case 'match':
    case 'imatch': {
      const { rows } = await pool.query<{ ok: boolean }>(
        `select exists(select 1 from pg_operator where oprname = $2 and oprleft = $1::regtype and oprright = $1::regtype
                         and oprresult = 'boolean'::regtype) as ok`,
        [type, f.op === 'imatch' ? '~*' : '~'],
      );
      if (!rows[0]?.ok)
        throw new CheckFailure(`operator ${f.op} requires a text-compatible column type, got ${type}`);
      try {
        await pool.query(`select '' ~ $1`, [f.value]);
      } catch (err) {
        throw new CheckFailure(`invalid regular expression for ${f.op} filter: ${(err as Error).message}`);
      }
      break;
    }
    default:
      await tryQuery(() => pool.query(`select $1::${type}`, [f.value]));
  }
  return compiled;
}

/**
 * Validates one binding for a subscriber role and returns its compiled form.
 * Throws PgChangesError whose message is hosted's `system` error text.
 */
export async function compileBinding(
  pool: Pool,
  input: BindingInput,
  role: string,
  id: number,
): Promise<CompiledBinding> {
  const event = normalizeEvent(input.event);
  const select = parseSelect(input.select);
  const hasSchema = typeof input.schema === 'string';
  const hasTable = typeof input.table === 'string';
  const hasFilter = typeof input.filter === 'string';
  if (!hasSchema && !hasTable) {
    throw new PgChangesError(
      `No subscription params provided. Please provide at least a \`schema\` or \`table\` to subscribe to: ${JSON.stringify(input)}`,
    );
  }
  const schema = hasSchema ? input.schema! : 'public';
  const table = hasTable ? input.table! : '*';
  const filters = hasFilter ? parseFilter(input.filter) : [];
  if (select && (schema === '*' || table === '*')) throw new PgChangesError(WILDCARD_SELECT_MESSAGE);
  const log = () => paramsToLog(event, schema, table, filters, select);

  const tables = await findPublicationTables(pool, schema, table);
  if (!tables.length) {
    throw new PgChangesError(
      `Unable to subscribe to changes with given parameters. Please check Realtime is enabled for the given connect parameters: [${log()}]`,
    );
  }
  let compiled: CompiledFilter[] = [];
  try {
    const { rows } = await pool.query<{ ok: boolean }>('select to_regrole($1) is not null as ok', [role]);
    if (!rows[0]?.ok) throw new CheckFailure(`role "${role}" does not exist`, '42704 (undefined_object)');
    for (const t of tables) {
      const info = await loadTableInfo(pool, t.oid, [role]);
      if (!info) continue;
      compiled = [];
      for (const f of filters) compiled.push(await checkFilter(pool, info, role, f));
      for (const c of select ?? []) {
        if (!info.byName.get(c)?.selectableBy.has(role))
          throw new CheckFailure(`invalid column for select ${c}`);
      }
    }
  } catch (err) {
    if (!(err instanceof CheckFailure)) throw err;
    throw new PgChangesError(
      `Unable to subscribe to changes with given parameters. An exception happened so please check your connect parameters: [${log()}]. Exception: ERROR ${err.code} ${err.message}`,
    );
  }
  const sortedSelect = select ? [...select].sort() : null;
  return {
    id,
    event,
    schema,
    table,
    filters: compiled,
    select: sortedSelect,
    selectKey: sortedSelect ? sortedSelect.join(',') : '',
  };
}
