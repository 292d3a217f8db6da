/**
 * Turns a request's query string into a ParsedQuery. Reserved keys (`select`, `order`, `limit`,
 * `offset`, `or`, `and`, `not.or`, `not.and`, `columns`, `on_conflict`, also behind an embed path such
 * as `films.order`) are structure; every other key is a filter — unless the caller claims it as a
 * function argument (GET RPC).
 */
import type { ParsedQuery } from './ast';
import { Errors } from './errors';
import { parseColumnList, parseFilterValue, parseKey, parseLogicTree, parseOrder } from './parse-filter';
import { parseSelect } from './parse-select';

export interface ParseQueryOptions {
  /** Parameter names that are function arguments rather than filters. */
  argNames?: ReadonlySet<string>;
}

function parseCount(key: string, text: string): number {
  if (!/^\d{1,15}$/.test(text))
    throw Errors.parse(`"failed to parse ${key} parameter (${text})"`, 'expecting a non-negative integer');
  return Number(text);
}

export function parseQuery(params: URLSearchParams, opts: ParseQueryOptions = {}): ParsedQuery {
  const q: ParsedQuery = {
    select: [{ kind: 'star' }],
    filters: [],
    logic: [],
    order: [],
    limit: [],
    offset: [],
    args: new Map(),
  };
  for (const [key, value] of params) {
    if (opts.argNames?.has(key)) {
      q.args.set(key, value);
      continue;
    }
    switch (key) {
      case 'select':
        q.select = parseSelect(value);
        continue;
      case 'columns':
        q.columns = parseColumnList(value, 'columns');
        continue;
      case 'on_conflict':
        q.onConflict = parseColumnList(value, 'on_conflict');
        continue;
    }
    const { path, field } = parseKey(key);
    const reserved = field.json.length === 0 ? field.name : '';
    if (reserved === 'order') q.order.push({ path, value: parseOrder(value) });
    else if (reserved === 'limit') q.limit.push({ path, value: parseCount(key, value) });
    else if (reserved === 'offset') q.offset.push({ path, value: parseCount(key, value) });
    else if (reserved === 'or' || reserved === 'and') {
      const negate = path[path.length - 1] === 'not';
      q.logic.push({
        path: negate ? path.slice(0, -1) : path,
        value: parseLogicTree(reserved, negate, value),
      });
    } else {
      q.filters.push({ path, value: parseFilterValue(field, value) });
    }
  }
  return q;
}
