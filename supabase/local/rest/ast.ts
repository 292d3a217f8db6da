/**
 * The parsed form of a PostgREST query string: what the parser produces and the planner consumes.
 */

export interface JsonStep {
  arrow: '->' | '->>';
  /** A string key, or an array index for purely numeric steps (`arr->0`). */
  key: string | number;
}

export interface Field {
  name: string;
  json: JsonStep[];
}

export type AggregateFn = 'count' | 'sum' | 'avg' | 'min' | 'max';

export type SelectItem =
  | { kind: 'star' }
  | {
      kind: 'column';
      field: Field;
      alias?: string;
      cast?: string;
      aggregate?: AggregateFn;
      aggregateCast?: string;
    }
  /** `count()` with no column. */
  | { kind: 'count'; alias?: string; cast?: string }
  | {
      kind: 'embed';
      relation: string;
      alias?: string;
      hint?: string;
      joinType?: 'inner' | 'left';
      spread: boolean;
      select: SelectItem[];
    };

export const SIMPLE_OPERATORS = [
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
  'like',
  'ilike',
  'match',
  'imatch',
  'isdistinct',
  'cs',
  'cd',
  'ov',
  'sl',
  'sr',
  'nxl',
  'nxr',
  'adj',
] as const;
export type SimpleOperator = (typeof SIMPLE_OPERATORS)[number];

/** Operators that accept the `(any)` / `(all)` quantifier with a `{a,b}` list. */
export const QUANTIFIABLE = [
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
  'like',
  'ilike',
  'match',
  'imatch',
] as const;

export const FTS_OPERATORS = ['fts', 'plfts', 'phfts', 'wfts'] as const;
export type FtsOperator = (typeof FTS_OPERATORS)[number];

export const IS_VALUES = ['null', 'not_null', 'true', 'false', 'unknown'] as const;
export type IsValue = (typeof IS_VALUES)[number];

export type Operation =
  | { op: SimpleOperator; value: string; quantifier?: 'any' | 'all' }
  | { op: 'in'; values: string[] }
  | { op: 'is'; value: IsValue }
  | { op: FtsOperator; config?: string; value: string };

export interface Filter {
  field: Field;
  negate: boolean;
  operation: Operation;
}

export type LogicNode = { kind: 'filter'; filter: Filter } | LogicTree;

export interface LogicTree {
  kind: 'and' | 'or';
  negate: boolean;
  children: LogicNode[];
}

export interface OrderTerm {
  /** Set for `order=embed(col).desc` (ordering by a to-one embed's column). */
  relation?: string;
  field: Field;
  direction?: 'asc' | 'desc';
  nulls?: 'first' | 'last';
}

/** Things addressed to an embedded resource carry the path of embed names (`a.b.limit`). */
export interface AtPath<T> {
  path: string[];
  value: T;
}

export interface ParsedQuery {
  select: SelectItem[];
  filters: AtPath<Filter>[];
  logic: AtPath<LogicTree>[];
  order: AtPath<OrderTerm[]>[];
  limit: AtPath<number>[];
  offset: AtPath<number>[];
  /** `columns=` of inserts. */
  columns?: string[];
  /** `on_conflict=` of upserts. */
  onConflict?: string[];
  /** Query parameters claimed as function arguments (GET/HEAD RPC). */
  args: Map<string, string>;
}
