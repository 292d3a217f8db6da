/**
 * Parsers for filter values (`eq.5`, `not.in.(a,"b,c")`, `fts(english).cat`), logic trees
 * (`or=(a.eq.1,and(b.gt.2,c.is.null))`), `order=` and dotted filter keys (`embed.col`).
 */
import {
  FTS_OPERATORS,
  IS_VALUES,
  QUANTIFIABLE,
  SIMPLE_OPERATORS,
  type Field,
  type Filter,
  type FtsOperator,
  type IsValue,
  type LogicNode,
  type LogicTree,
  type Operation,
  type OrderTerm,
  type SimpleOperator,
} from './ast';
import { Cursor } from './parse-select';

/** Deepest `and(or(and(…)))` nesting accepted. */
export const MAX_LOGIC_DEPTH = 16;

const OPERATOR_LIST = [...SIMPLE_OPERATORS, 'in', 'is', ...FTS_OPERATORS].join(', ');

function isSimple(op: string): op is SimpleOperator {
  return (SIMPLE_OPERATORS as readonly string[]).includes(op);
}
function isFts(op: string): op is FtsOperator {
  return (FTS_OPERATORS as readonly string[]).includes(op);
}

/**
 * Reads `[not.]op[(modifier)].` and returns the operator head; the cursor is left at the value.
 */
function parseHead(cur: Cursor): { negate: boolean; op: string; modifier?: string } {
  let negate = false;
  if (cur.startsWith('not.')) {
    negate = true;
    cur.pos += 4;
  }
  const start = cur.pos;
  while (/[a-z]/.test(cur.peek())) cur.pos++;
  const op = cur.text.slice(start, cur.pos);
  if (!isSimple(op) && !isFts(op) && op !== 'in' && op !== 'is') {
    cur.pos = start;
    cur.fail(`expecting "not" or operator (${OPERATOR_LIST})`);
  }
  let modifier: string | undefined;
  if (cur.eat('(')) {
    const m = cur.pos;
    while (!cur.done && cur.peek() !== ')') cur.pos++;
    modifier = cur.text.slice(m, cur.pos);
    cur.expect(')');
  }
  cur.expect('.');
  return { negate, op, modifier };
}

/**
 * A quoted value only counts as quoted when it closes right before a delimiter; otherwise (a value
 * that merely starts with `"`) it is read unquoted, as PostgREST does.
 */
function tryQuoted(cur: Cursor, delimiters: string): string | undefined {
  if (cur.peek() !== '"') return undefined;
  const start = cur.pos;
  try {
    const v = cur.quoted();
    if (cur.done || delimiters.includes(cur.peek())) return v;
  } catch {
    // not a well-formed quoted value
  }
  cur.pos = start;
  return undefined;
}

/** `(a,"b,c",d)` → items; quoted items may contain `,()` and backslash escapes. */
function parseList(cur: Cursor): string[] {
  cur.expect('(');
  const items: string[] = [];
  if (cur.eat(')')) return items;
  do {
    const quoted = tryQuoted(cur, ',)');
    if (quoted !== undefined) items.push(quoted);
    else {
      const s = cur.pos;
      while (!cur.done && cur.peek() !== ',' && cur.peek() !== ')') cur.pos++;
      items.push(cur.text.slice(s, cur.pos));
    }
  } while (cur.eat(','));
  cur.expect(')');
  return items;
}

function buildOperation(
  cur: Cursor,
  op: string,
  modifier: string | undefined,
  value: () => string,
): Operation {
  if (op === 'in') {
    if (modifier !== undefined) cur.fail('"in" takes no modifier');
    return { op: 'in', values: parseList(cur) };
  }
  const v = value();
  if (op === 'is') {
    if (modifier !== undefined) cur.fail('"is" takes no modifier');
    const lower = v.toLowerCase();
    if (!(IS_VALUES as readonly string[]).includes(lower))
      cur.fail(`expecting one of ${IS_VALUES.join(', ')}`);
    return { op: 'is', value: lower as IsValue };
  }
  if (isFts(op)) return { op, config: modifier, value: v };
  if (!isSimple(op)) cur.fail('expecting an operator');
  if (modifier !== undefined) {
    if (modifier !== 'any' && modifier !== 'all') cur.fail('expecting "any" or "all"');
    if (!(QUANTIFIABLE as readonly string[]).includes(op)) cur.fail(`"${op}" does not take any/all`);
    return { op, value: v, quantifier: modifier };
  }
  return { op, value: v };
}

/** A top-level filter value: everything after the operator is the value, verbatim. */
export function parseFilterValue(field: Field, text: string): Filter {
  const cur = new Cursor(text, 'filter');
  const { negate, op, modifier } = parseHead(cur);
  const operation = buildOperation(cur, op, modifier, () => {
    const rest = cur.text.slice(cur.pos);
    cur.pos = cur.text.length;
    return rest;
  });
  if (!cur.done) cur.fail('expecting end of input');
  return { field, negate, operation };
}

/** A value inside a logic tree: quoted, a `{…}` literal, or a run up to `,` / `)`. */
function logicValue(cur: Cursor): string {
  const quoted = tryQuoted(cur, ',)');
  if (quoted !== undefined) return quoted;
  const s = cur.pos;
  let braces = 0;
  while (!cur.done) {
    const c = cur.peek();
    if (c === '{') braces++;
    else if (c === '}') braces = Math.max(0, braces - 1);
    else if (braces === 0 && (c === ',' || c === ')')) break;
    cur.pos++;
  }
  return cur.text.slice(s, cur.pos);
}

/** `(a.eq.1,not.and(b.gt.2,c.is.null))` as the value of `or=` / `and=` / `not.or=` keys. */
export function parseLogicTree(kind: 'and' | 'or', negate: boolean, text: string): LogicTree {
  const cur = new Cursor(text, 'logic tree');
  const tree = parseLogicBody(cur, kind, negate, 0);
  if (!cur.done) cur.fail('expecting end of input');
  return tree;
}

function parseLogicBody(cur: Cursor, kind: 'and' | 'or', negate: boolean, depth: number): LogicTree {
  if (depth > MAX_LOGIC_DEPTH) cur.fail(`nesting deeper than ${MAX_LOGIC_DEPTH} levels`);
  cur.expect('(');
  const children: LogicNode[] = [];
  do {
    children.push(parseLogicNode(cur, depth));
  } while (cur.eat(','));
  cur.expect(')');
  return { kind, negate, children };
}

function parseLogicNode(cur: Cursor, depth: number): LogicNode {
  for (const [prefix, kind, negate] of [
    ['and(', 'and', false],
    ['or(', 'or', false],
    ['not.and(', 'and', true],
    ['not.or(', 'or', true],
  ] as const) {
    if (cur.startsWith(prefix)) {
      cur.pos += prefix.length - 1;
      return parseLogicBody(cur, kind, negate, depth + 1);
    }
  }
  const field = cur.field();
  cur.expect('.');
  const { negate, op, modifier } = parseHead(cur);
  const operation = buildOperation(cur, op, modifier, () => logicValue(cur));
  return { kind: 'filter', filter: { field, negate, operation } };
}

/** `col.desc.nullslast,embed(col).asc,data->>k` */
export function parseOrder(text: string): OrderTerm[] {
  const cur = new Cursor(text, 'order');
  const terms: OrderTerm[] = [];
  do {
    let relation: string | undefined;
    let field = cur.field();
    if (field.json.length === 0 && cur.eat('(')) {
      relation = field.name;
      field = cur.field();
      cur.expect(')');
    }
    const term: OrderTerm = { field, ...(relation ? { relation } : {}) };
    while (cur.eat('.')) {
      if (cur.eat('asc')) term.direction = 'asc';
      else if (cur.eat('desc')) term.direction = 'desc';
      else if (cur.eat('nullsfirst')) term.nulls = 'first';
      else if (cur.eat('nullslast')) term.nulls = 'last';
      else cur.fail('expecting "asc", "desc", "nullsfirst" or "nullslast"');
    }
    terms.push(term);
  } while (cur.eat(','));
  if (!cur.done) cur.fail('expecting "," or end of input');
  return terms;
}

/** `a.b.col->>x` → embed path `[a, b]` and field `col->>x`. */
/** Keys are raw column names (supabase-js does not quote them): only `.` and `->` delimit. */
const KEY_STOP = new Set(['.']);

export function parseKey(text: string): { path: string[]; field: Field } {
  const cur = new Cursor(text, 'filter');
  const parts: Field[] = [cur.field(KEY_STOP)];
  while (cur.eat('.')) parts.push(cur.field(KEY_STOP));
  if (!cur.done) cur.fail('expecting "." or end of input');
  for (const p of parts.slice(0, -1)) if (p.json.length) cur.fail('a JSON path only on the last segment');
  return { path: parts.slice(0, -1).map((p) => p.name), field: parts[parts.length - 1] };
}

/** `"a","b",c` (the `columns=` and `on_conflict=` lists). */
export function parseColumnList(text: string, what: string): string[] {
  const cur = new Cursor(text, what);
  const names: string[] = [];
  do {
    names.push(cur.name(new Set([','])));
  } while (cur.eat(','));
  if (!cur.done) cur.fail('expecting "," or end of input');
  return names;
}
