/**
 * Builds the `data` object of a postgres_changes message (wire notes A.10) for one change as one
 * (role, selected columns) group sees it — the same rules as hosted's `apply_rls`.
 */
import type { TableInfo, ColumnInfo } from './catalog';
import { CHANGE_ERRORS } from './errors';
import type { Tuple } from './replication';
import { jsonByteLength, textToJson } from './values';

/** Hosted's `max_record_bytes`: bigger WAL records get 413 and lose their values over 64 bytes. */
export const MAX_RECORD_BYTES = 1024 * 1024;
export const OVERSIZE_VALUE_BYTES = 64;
// Per-column overhead of hosted's size measure (the wal2json JSON around each value).
const WAL_COLUMN_OVERHEAD = 40;

export type ChangeType = 'INSERT' | 'UPDATE' | 'DELETE';

export interface ChangeView {
  schema: string;
  table: string;
  type: ChangeType;
  commitTimestamp: string;
  info: TableInfo;
  /** New row (INSERT/UPDATE); unchanged TOAST values already filled from the old row where possible. */
  record?: Tuple;
  /** Old row as far as the WAL has it: full (REPLICA IDENTITY FULL) or the identity columns. */
  oldRecord?: Tuple;
  oversize: boolean;
}

export type PgChangeData = Record<string, unknown>;

/** Rough size of the change as hosted measures it (`octet_length(wal::text)`). */
export function walSize(info: TableInfo, record?: Tuple, old?: Tuple): number {
  let size = 100;
  for (const t of [record, old]) {
    if (!t) continue;
    for (const [name, v] of Object.entries(t)) {
      const col = info.byName.get(name);
      size += WAL_COLUMN_OVERHEAD + name.length + (col?.typname.length ?? 0) + (v ? Buffer.byteLength(v) : 4);
    }
  }
  return size;
}

function pickRecord(
  view: ChangeView,
  tuple: Tuple,
  visible: (c: ColumnInfo) => boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const col of view.info.columns) {
    if (!visible(col)) continue;
    const text = tuple[col.name];
    if (text === undefined) continue;
    const value = textToJson(text, col.value);
    if (view.oversize && jsonByteLength(value) > OVERSIZE_VALUE_BYTES) continue;
    out[col.name] = value;
  }
  return out;
}

export function shapeChange(view: ChangeView, role: string, select: string[] | null): PgChangeData {
  const visible = (c: ColumnInfo) =>
    c.selectableBy.has(role) && (!select || c.isPk || select.includes(c.name));
  const data: PgChangeData = {
    schema: view.schema,
    table: view.table,
    commit_timestamp: view.commitTimestamp,
    type: view.type,
    columns: view.info.columns.filter(visible).map((c) => ({ name: c.name, type: c.typname })),
  };
  if (view.type !== 'DELETE') data.record = view.record ? pickRecord(view, view.record, visible) : {};
  if (view.type === 'UPDATE')
    data.old_record = view.oldRecord ? pickRecord(view, view.oldRecord, visible) : {};
  if (view.type === 'DELETE') {
    // A deleted row can't be re-checked against RLS, so on RLS tables only its key is revealed.
    const deleteVisible = view.info.rlsEnabled ? (c: ColumnInfo) => visible(c) && c.isPk : visible;
    data.old_record = view.oldRecord ? pickRecord(view, view.oldRecord, deleteVisible) : {};
  }
  data.errors = view.oversize ? [CHANGE_ERRORS.payloadTooLarge] : null;
  return data;
}

/** The reduced payload hosted sends with 400/401/500 errors: no columns, no values, no timestamp. */
export function shapeError(view: Pick<ChangeView, 'schema' | 'table' | 'type'>, error: string): PgChangeData {
  const data: PgChangeData = {
    schema: view.schema,
    table: view.table,
    commit_timestamp: null,
    type: view.type,
    columns: [],
  };
  if (view.type !== 'DELETE') data.record = {};
  if (view.type !== 'INSERT') data.old_record = {};
  data.errors = [error];
  return data;
}
