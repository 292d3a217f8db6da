/**
 * The `filter` string of a postgres_changes binding: parsing (PostgREST-style `col=op.value`, `not.`
 * prefix, comma-AND, double-quoted values, `in.(…)`) and the cheap in-process evaluations. Anything
 * whose result depends on Postgres' typed semantics (ordering, casts, LIKE, regexes) is evaluated by
 * Postgres itself, see `filter-eval.ts`.
 */
import { FILTER_PARSE_PREFIX, PgChangesError, inspectList } from './errors';

export const FILTER_OPERATORS = [
  'eq',
  'neq',
  'lt',
  'lte',
  'gt',
  'gte',
  'in',
  'like',
  'ilike',
  'is',
  'match',
  'imatch',
  'isdistinct',
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/** Hosted rejects larger `in` lists when the subscription is created. */
export const MAX_IN_VALUES = 100;
export const IS_KEYWORDS = ['null', 'true', 'false', 'unknown'] as const;
const JSON_ARROW = '->>';

export interface ParsedFilter {
  /** As written, e.g. `status` or `payload->>kind`. */
  expression: string;
  /** The table column (`payload` for `payload->>kind`). */
  column: string;
  /** The jsonb key for `col->>key` filters (compared as text). */
  jsonKey?: string;
  op: FilterOperator;
  /** Unquoted value; for `in` a Postgres array literal `{a,b}` (exactly what hosted stores). */
  value: string;
  negate: boolean;
}

const isOperator = (s: string): s is FilterOperator => (FILTER_OPERATORS as readonly string[]).includes(s);

/** Splits on commas outside parentheses and outside double quotes (a quote opens only after `.`, `(` or `,`). */
function splitTopLevel(filter: string): string[] {
  const out: string[] = [];
  let current = '';
  let depth = 0;
  let quoted = false;
  let prev = '';
  for (let i = 0; i < filter.length; i++) {
    const ch = filter[i];
    if (quoted) {
      if (ch === '\\' && i + 1 < filter.length) {
        current += ch + filter[i + 1];
        prev = filter[i + 1];
        i++;
        continue;
      }
      if (ch === '"') quoted = false;
      current += ch;
      prev = ch;
      continue;
    }
    if (ch === '"' && (prev === '.' || prev === '(' || prev === ',')) quoted = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    else if (ch === ',' && depth === 0) {
      out.push(current);
      current = '';
      prev = '';
      continue;
    }
    current += ch;
    prev = ch;
  }
  out.push(current);
  return out;
}

/** `"a,b"` → `a,b` (backslash escapes the next char); an unterminated quote leaves the value as is. */
function unquote(value: string): string {
  if (!value.startsWith('"')) return value;
  let out = '';
  for (let i = 1; i < value.length; i++) {
    const ch = value[i];
    if (ch === '\\' && i + 1 < value.length) {
      out += value[++i];
      continue;
    }
    if (ch === '"') return i === value.length - 1 ? out : value;
    out += ch;
  }
  return value;
}

function parseSegment(segment: string): ParsedFilter {
  const trimmed = segment.trim();
  if (trimmed === '')
    throw new PgChangesError(
      FILTER_PARSE_PREFIX + 'filter must not contain empty segments (check for extra commas)',
    );
  const eq = trimmed.indexOf('=');
  if (eq < 0) throw new PgChangesError(FILTER_PARSE_PREFIX + inspectList([trimmed]));
  const expression = trimmed.slice(0, eq);
  let rest = trimmed.slice(eq + 1);
  const negate = rest.startsWith('not.');
  if (negate) rest = rest.slice(4);
  const dot = rest.indexOf('.');
  if (dot < 0) throw new PgChangesError(FILTER_PARSE_PREFIX + inspectList([rest]));
  const op = rest.slice(0, dot);
  const raw = rest.slice(dot + 1);
  if (!isOperator(op)) throw new PgChangesError(FILTER_PARSE_PREFIX + inspectList([op, raw]));
  let value: string;
  if (op === 'in') {
    if (raw.length < 2 || !raw.startsWith('(') || !raw.endsWith(')')) {
      throw new PgChangesError(FILTER_PARSE_PREFIX + '`in` filter value must be wrapped by parentheses');
    }
    value = '{' + raw.slice(1, -1) + '}';
  } else {
    value = unquote(raw);
  }
  const arrow = expression.indexOf(JSON_ARROW);
  if (arrow < 0) return { expression, column: expression, op, value, negate };
  const column = expression.slice(0, arrow);
  const jsonKey = expression
    .slice(arrow + JSON_ARROW.length)
    .trim()
    .replace(/^[\s"]+|[\s"]+$/g, '');
  return { expression, column, jsonKey, op, value, negate };
}

/** Parses a binding's filter; empty/whitespace = no filter. Throws PgChangesError with hosted wording. */
export function parseFilter(filter: string | undefined | null): ParsedFilter[] {
  if (filter === undefined || filter === null) return [];
  const trimmed = filter.trim();
  if (trimmed === '') return [];
  return splitTopLevel(trimmed).map(parseSegment);
}

/**
 * Result of a filter evaluated without Postgres: true/false, or `undefined` when only Postgres can tell.
 * SQL three-valued logic: a comparison with NULL is NULL, `not NULL` is NULL, and NULL never matches.
 */
export function evaluateLocally(
  f: ParsedFilter,
  value: string | null,
  isTextType: boolean,
  inValues?: Array<string | null>,
): boolean | undefined {
  const apply = (r: boolean | null): boolean => (r === null ? false : f.negate ? !r : r);
  if (f.op === 'is') {
    if (f.value === 'null') return apply(value === null);
    // IS TRUE / FALSE / UNKNOWN on a boolean column (validated at subscribe time).
    if (f.value === 'unknown') return apply(value === null);
    if (value === null) return apply(false);
    return apply((value === 't') === (f.value === 'true'));
  }
  if (f.op === 'isdistinct') {
    if (value === null) return apply(true);
    return isTextType ? apply(value !== f.value) : undefined;
  }
  if (value === null) return apply(null);
  if (!isTextType) return undefined;
  // Text equality under the default (deterministic) collation is byte equality.
  switch (f.op) {
    case 'eq':
      return apply(value === f.value);
    case 'neq':
      return apply(value !== f.value);
    case 'in': {
      if (!inValues) return undefined;
      if (inValues.includes(value)) return apply(true);
      // `x = any('{a,NULL}')` is NULL, not false, when nothing matched.
      return apply(inValues.includes(null) ? null : false);
    }
    default:
      return undefined;
  }
}
