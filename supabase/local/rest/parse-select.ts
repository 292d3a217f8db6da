/**
 * Parser for `select=`: columns, `*`, `alias:col`, casts, JSON paths, aggregates and (nested,
 * hinted, aliased, spread) embedded resources.
 */
import type { AggregateFn, Field, JsonStep, SelectItem } from './ast';
import { Errors } from './errors';

/** Deepest embedding accepted; a bound keeps hostile input from exhausting the stack. */
export const MAX_SELECT_DEPTH = 16;

const AGGREGATES: readonly AggregateFn[] = ['count', 'sum', 'avg', 'min', 'max'];

/** Characters that end an unquoted name in `select` and filter keys. */
const NAME_STOP = new Set([',', '(', ')', ':', '!', '"', '.']);

export class Cursor {
  pos = 0;
  constructor(
    readonly text: string,
    readonly what: string,
  ) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  peek(n = 0): string {
    return this.text[this.pos + n] ?? '';
  }

  startsWith(s: string): boolean {
    return this.text.startsWith(s, this.pos);
  }

  eat(s: string): boolean {
    if (this.startsWith(s)) {
      this.pos += s.length;
      return true;
    }
    return false;
  }

  expect(s: string): void {
    if (!this.eat(s)) this.fail(`expecting "${s}"`);
  }

  fail(expecting: string): never {
    const found = this.done ? 'end of input' : `"${this.peek()}"`;
    throw Errors.parse(
      `"failed to parse ${this.what} (${this.text})"`,
      `unexpected ${found} at position ${this.pos + 1}, ${expecting}`,
    );
  }

  /** `"…"` with a backslash escaping any character; `""` inside is a literal quote (SQL style). */
  quoted(): string {
    this.expect('"');
    let out = '';
    for (;;) {
      if (this.done) this.fail("expecting a closing '\"'");
      const c = this.peek();
      if (c === '"') {
        if (this.peek(1) !== '"') break;
        this.pos++;
      } else if (c === '\\') {
        this.pos++;
        if (this.done) this.fail("expecting a character after '\\'");
      }
      out += this.peek();
      this.pos++;
    }
    this.expect('"');
    return out;
  }

  /** An identifier: quoted, or a run of characters up to a delimiter (a `-` only if not `->`). */
  name(stop: Set<string> = NAME_STOP): string {
    if (this.peek() === '"') return this.quoted();
    const start = this.pos;
    while (!this.done) {
      const c = this.peek();
      if (stop.has(c)) break;
      if (c === '-' && this.peek(1) === '>') break;
      this.pos++;
    }
    if (this.pos === start) this.fail('expecting a name');
    return this.text.slice(start, this.pos);
  }

  /** `name` followed by `->key` / `->>key` steps. */
  field(stop: Set<string> = NAME_STOP): Field {
    const name = this.name(stop);
    const json: JsonStep[] = [];
    while (this.startsWith('->')) {
      const arrow = this.eat('->>') ? '->>' : (this.eat('->'), '->');
      const key = this.name(stop);
      json.push({ arrow, key: /^-?\d+$/.test(key) && this.text[this.pos - 1] !== '"' ? Number(key) : key });
    }
    return { name, json };
  }
}

export function parseSelect(text: string): SelectItem[] {
  const cur = new Cursor(text, 'select');
  if (text === '') return [];
  const items = parseList(cur, 0);
  if (!cur.done) cur.fail('expecting "," or end of input');
  return items;
}

function parseList(cur: Cursor, depth: number): SelectItem[] {
  if (depth > MAX_SELECT_DEPTH) cur.fail(`embedding deeper than ${MAX_SELECT_DEPTH} levels`);
  const items: SelectItem[] = [];
  do {
    items.push(parseItem(cur, depth));
  } while (cur.eat(','));
  return items;
}

function parseItem(cur: Cursor, depth: number): SelectItem {
  if (cur.eat('*')) return { kind: 'star' };
  if (cur.eat('...')) return parseEmbed(cur, depth, undefined, cur.name(), true);

  const first = cur.field();
  let alias: string | undefined;
  let target = first;
  if (first.json.length === 0 && cur.peek() === ':' && cur.peek(1) !== ':') {
    cur.pos++;
    alias = first.name;
    if (cur.eat('...')) cur.fail('a spread cannot have an alias');
    target = cur.field();
  }
  if (target.json.length === 0 && (cur.peek() === '(' || cur.peek() === '!')) {
    if (target.name === 'count' && cur.startsWith('()')) {
      cur.pos += 2;
      return { kind: 'count', alias, cast: parseCast(cur) };
    }
    return parseEmbed(cur, depth, alias, target.name, false);
  }
  const cast = parseCast(cur);
  if (cur.peek() === '.') {
    cur.pos++;
    const fn = cur.name() as AggregateFn;
    if (!AGGREGATES.includes(fn) || !cur.eat('()'))
      cur.fail('expecting an aggregate: count(), sum(), avg(), min(), max()');
    return { kind: 'column', field: target, alias, cast, aggregate: fn, aggregateCast: parseCast(cur) };
  }
  return { kind: 'column', field: target, alias, cast };
}

function parseCast(cur: Cursor): string | undefined {
  if (!cur.eat('::')) return undefined;
  return cur.name();
}

function parseEmbed(
  cur: Cursor,
  depth: number,
  alias: string | undefined,
  relation: string,
  spread: boolean,
): SelectItem {
  let hint: string | undefined;
  let joinType: 'inner' | 'left' | undefined;
  while (cur.eat('!')) {
    const word = cur.name();
    if (word === 'inner' || word === 'left') joinType = word;
    else if (hint === undefined) hint = word;
    else cur.fail('expecting one hint');
  }
  cur.expect('(');
  const select = cur.peek() === ')' ? [] : parseList(cur, depth + 1);
  cur.expect(')');
  return { kind: 'embed', relation, alias, hint, joinType, spread, select };
}
