/**
 * Turns the text form of a column value (what pgoutput sends) into the JSON value hosted Realtime
 * emits. Hosted runs `to_jsonb(value::type)`, so numbers become JSON numbers, booleans booleans,
 * json/jsonb parsed objects, arrays JSON arrays, and date/time types the ISO 8601 form `to_jsonb`
 * produces ("2024-05-01T09:30:00+00:00"); everything else stays the type's text output.
 */

/** How a column's text value maps to JSON; derived from the base type (domains map like their base). */
export type ValueKind = 'number' | 'bool' | 'json' | 'timestamp' | 'timestamptz' | 'timetz' | 'string';

export interface ValueType {
  kind: ValueKind;
  /** Set for array columns: the element kind (the array itself is `kind`). */
  element?: ValueKind;
}

const NUMBER_TYPES = new Set(['int2', 'int4', 'int8', 'float4', 'float8', 'numeric', 'oid']);

/** Kind of a scalar base type given its `pg_type.typname`. */
export function kindOfTypname(typname: string): ValueKind {
  if (NUMBER_TYPES.has(typname)) return 'number';
  switch (typname) {
    case 'bool':
      return 'bool';
    case 'json':
    case 'jsonb':
      return 'json';
    case 'timestamp':
      return 'timestamp';
    case 'timestamptz':
      return 'timestamptz';
    case 'timetz':
      return 'timetz';
    default:
      return 'string';
  }
}

/**
 * `to_jsonb` keeps NaN/Infinity as strings (JSON has no such numbers); anything else numeric becomes a
 * JSON number. int8/numeric beyond 2^53 lose precision exactly as they do in any JSON.parse on the client.
 */
function toNumber(text: string): number | string {
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

// Text output "+05" / "-03:30" / "+05:30:15" → XSD form "+05:00" / "-03:30" / "+05:30:15".
const SHORT_OFFSET = /([+-]\d{2})$/;

function toXsdTimestamp(text: string, hasZone: boolean): string {
  if (text === 'infinity' || text === '-infinity') return text;
  let out = text.replace(' ', 'T');
  if (hasZone) out = out.replace(SHORT_OFFSET, '$1:00');
  return out;
}

function toXsdTimetz(text: string): string {
  return text.replace(SHORT_OFFSET, '$1:00');
}

function scalarToJson(text: string, kind: ValueKind): unknown {
  switch (kind) {
    case 'number':
      return toNumber(text);
    case 'bool':
      return text === 't' || text === 'true';
    case 'json':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    case 'timestamp':
      return toXsdTimestamp(text, false);
    case 'timestamptz':
      return toXsdTimestamp(text, true);
    case 'timetz':
      return toXsdTimetz(text);
    default:
      return text;
  }
}

export function textToJson(text: string | null, type: ValueType): unknown {
  if (text === null) return null;
  if (type.element)
    return mapNested(parsePgArray(text), (el) => (el === null ? null : scalarToJson(el, type.element!)));
  return scalarToJson(text, type.kind);
}

export type PgArray = Array<string | null | PgArray>;

function mapNested(arr: PgArray, fn: (el: string | null) => unknown): unknown[] {
  return arr.map((el) => (Array.isArray(el) ? mapNested(el, fn) : fn(el)));
}

/**
 * Parses a Postgres array literal (`{1,2}`, `{"a,b",NULL}`, `{{1,2},{3,4}}`, `[0:1]={1,2}`) into nested
 * arrays of element texts; unquoted NULL is SQL NULL. Used for array column values and `in.(…)` lists.
 */
export function parsePgArray(literal: string): PgArray {
  let i = 0;
  const s = literal.trim();
  // Explicit bounds decoration ("[1:3]={...}") only shifts indexes; JSON has none.
  if (s.startsWith('[')) {
    const eq = s.indexOf('=');
    if (eq > 0) i = eq + 1;
  }
  const parseLevel = (): PgArray => {
    if (s[i] !== '{') throw new Error(`malformed array literal: ${literal}`);
    i++;
    const out: PgArray = [];
    if (s[i] === '}') {
      i++;
      return out;
    }
    for (;;) {
      while (s[i] === ' ') i++;
      if (s[i] === '{') {
        out.push(parseLevel());
      } else if (s[i] === '"') {
        i++;
        let v = '';
        while (i < s.length && s[i] !== '"') {
          if (s[i] === '\\') i++;
          v += s[i++] ?? '';
        }
        if (s[i] !== '"') throw new Error(`malformed array literal: ${literal}`);
        i++;
        out.push(v);
      } else {
        let v = '';
        while (i < s.length && s[i] !== ',' && s[i] !== '}') {
          if (s[i] === '\\') i++;
          v += s[i++] ?? '';
        }
        const trimmed = v.trim();
        out.push(trimmed.toUpperCase() === 'NULL' ? null : trimmed);
      }
      while (s[i] === ' ') i++;
      if (s[i] === ',') {
        i++;
        continue;
      }
      if (s[i] === '}') {
        i++;
        return out;
      }
      throw new Error(`malformed array literal: ${literal}`);
    }
  };
  return parseLevel();
}

/** Byte length of a value's JSON text, as `octet_length(value::text)` measures it for the 413 rule. */
export function jsonByteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? 'null');
}

/** 'YYYY-MM-DDTHH:MI:SS.mmmZ' from a commit time in microseconds since the Unix epoch. */
export function formatCommitTimestamp(micros: bigint): string {
  // to_char(... 'MS') truncates the microseconds, and so does integer division here.
  return new Date(Number(micros / 1000n)).toISOString();
}
