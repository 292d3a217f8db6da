/**
 * Snapshot + delta store behind the realtime views: load a snapshot, merge live deltas by id and version,
 * and survive the classic race — subscribe → fetch → events arrive while the fetch is in flight.
 *
 * Rules:
 *  - A row is identified by `id`; a higher `version` wins, an older one never overwrites a newer one.
 *    Equal versions: the later arrival replaces the row only if it differs (rows without a real version,
 *    e.g. holds, use 0 and so are last-write-wins).
 *  - A removal deletes the row and leaves a tombstone (id → version), so a late, older upsert of the same
 *    row cannot bring it back.
 *  - Pure and immutable: inputs are never mutated; a no-op returns the same state object (React bails out).
 *  - Rows are kept in a stable order: start time, then id.
 */

export type TStoreRow = { id: string; version: number; starts_at: string };

export type TDelta<TRow extends TStoreRow> =
  | { kind: 'upsert'; row: TRow; receivedAt: number }
  | { kind: 'remove'; id: string; version: number; receivedAt: number };

export type TStoreState<TRow extends TStoreRow> = {
  /** Rows ordered by start time, then id. */
  readonly rows: readonly TRow[];
  readonly byId: Readonly<Record<string, TRow>>;
  /** Tombstones: id → version at which the row was removed. */
  readonly removed: Readonly<Record<string, number>>;
  /** Deltas that changed the state, newest last, kept so a snapshot can be overlaid with them. */
  readonly recentDeltas: readonly TDelta<TRow>[];
  /** When the request behind the current snapshot was sent (ms), or null before the first snapshot. */
  readonly snapshotRequestedAt: number | null;
};

/** Upper bound on buffered deltas; a burst beyond it is covered by the next re-fetch anyway. */
export const MAX_RECENT_DELTAS = 500;
/** Deltas older than this (relative to the newest) can no longer race a snapshot request. */
export const RECENT_DELTA_WINDOW_MS = 5 * 60_000;

export function emptyStore<TRow extends TStoreRow>(): TStoreState<TRow> {
  return { rows: [], byId: {}, removed: {}, recentDeltas: [], snapshotRequestedAt: null };
}

function startMs(row: TStoreRow): number {
  const ms = Date.parse(row.starts_at);
  return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
}

function compareRows(a: TStoreRow, b: TStoreRow): number {
  return startMs(a) - startMs(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function orderedRows<TRow extends TStoreRow>(byId: Readonly<Record<string, TRow>>): TRow[] {
  return Object.values(byId).sort(compareRows);
}

function isSameRow(a: TStoreRow, b: TStoreRow): boolean {
  const aKeys = Object.keys(a) as (keyof TStoreRow)[];
  const bKeys = Object.keys(b);
  return aKeys.length === bKeys.length && aKeys.every((key) => Object.is(a[key], b[key]));
}

function bufferDelta<TRow extends TStoreRow>(
  buffer: readonly TDelta<TRow>[],
  delta: TDelta<TRow>,
): TDelta<TRow>[] {
  const horizon = delta.receivedAt - RECENT_DELTA_WINDOW_MS;
  const kept = buffer.filter((d) => d.receivedAt >= horizon);
  kept.push(delta);
  return kept.length > MAX_RECENT_DELTAS ? kept.slice(kept.length - MAX_RECENT_DELTAS) : kept;
}

/** The state after one delta, or the same state object when the delta changes nothing. */
function applyDelta<TRow extends TStoreRow>(
  state: TStoreState<TRow>,
  delta: TDelta<TRow>,
): TStoreState<TRow> {
  if (delta.kind === 'upsert') {
    const { row } = delta;
    const tombstone = state.removed[row.id];
    if (tombstone !== undefined && row.version <= tombstone) return state;
    const existing = state.byId[row.id];
    if (
      existing &&
      (existing.version > row.version || (existing.version === row.version && isSameRow(existing, row)))
    )
      return state;
    const byId = { ...state.byId, [row.id]: row };
    let removed = state.removed;
    if (tombstone !== undefined) {
      const { [row.id]: _revived, ...rest } = state.removed;
      removed = rest;
    }
    return { ...state, byId, removed, rows: orderedRows(byId) };
  }
  const existing = state.byId[delta.id];
  const tombstone = state.removed[delta.id];
  if (existing && existing.version > delta.version) return state;
  if (!existing && tombstone !== undefined && tombstone >= delta.version) return state;
  const removed = { ...state.removed, [delta.id]: Math.max(delta.version, tombstone ?? delta.version) };
  if (!existing) return { ...state, removed };
  const { [delta.id]: _gone, ...byId } = state.byId;
  return { ...state, byId, removed, rows: orderedRows(byId) };
}

/** Merges one live delta. Idempotent, order-tolerant (versions decide), never mutates `state`. */
export function mergeById<TRow extends TStoreRow>(
  state: TStoreState<TRow>,
  delta: TDelta<TRow>,
): TStoreState<TRow> {
  const next = applyDelta(state, delta);
  if (next === state) return state;
  return { ...next, recentDeltas: bufferDelta(state.recentDeltas, delta) };
}

/**
 * Replaces the state with a fetched snapshot, then re-applies the deltas received since the request was
 * sent (`requestedAt`, ms): those may describe changes the snapshot's query did not see yet, and the
 * version rule drops the ones it did see. Deltas received before the request are already reflected in the
 * snapshot (the database commits before it broadcasts). A snapshot whose request is older than the
 * current one's is a stale response that lost a race with a newer fetch and is ignored.
 *
 * Timeline of the race this handles:
 *   t0 subscribe · t1 SUBSCRIBED → fetch sent (requestedAt = t1) · t2 booking B v1 committed and its
 *   event received · t3 query runs without B (snapshot taken earlier on a replica, or B committed after)
 *   · t4 snapshot applied → B is re-applied from the buffer instead of vanishing until the next event.
 */
export function applySnapshot<TRow extends TStoreRow>(
  state: TStoreState<TRow>,
  rows: readonly TRow[],
  requestedAt: number,
): TStoreState<TRow> {
  if (state.snapshotRequestedAt !== null && requestedAt < state.snapshotRequestedAt) return state;
  const byId: Record<string, TRow> = {};
  for (const row of rows) {
    const existing = byId[row.id];
    if (!existing || row.version > existing.version) byId[row.id] = row;
  }
  // Tombstones of rows the snapshot does not have keep late events from resurrecting them; for rows it
  // has, the snapshot is the truth (a removal it missed is among the pending deltas re-applied below).
  const removed: Record<string, number> = {};
  for (const [id, version] of Object.entries(state.removed)) if (!(id in byId)) removed[id] = version;
  const pending = state.recentDeltas.filter((delta) => delta.receivedAt >= requestedAt);
  let next: TStoreState<TRow> = {
    rows: orderedRows(byId),
    byId,
    removed,
    recentDeltas: pending,
    snapshotRequestedAt: requestedAt,
  };
  for (const delta of pending) next = applyDelta(next, delta);
  return { ...next, recentDeltas: pending };
}

/** Rows in display order (the state keeps them ordered; this reads well at call sites). */
export function selectRows<TRow extends TStoreRow>(state: TStoreState<TRow>): readonly TRow[] {
  return state.rows;
}
