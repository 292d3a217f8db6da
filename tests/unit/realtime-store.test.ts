import { describe, expect, it } from 'vitest';
import { applySnapshot, emptyStore, mergeById, type TDelta, type TStoreState } from '@/lib/realtime';

type TRow = { id: string; version: number; starts_at: string; status: string };
type TState = TStoreState<TRow>;

const row = (id: string, version: number, startsAt: string, status = 'scheduled'): TRow => ({
  id,
  version,
  starts_at: startsAt,
  status,
});
const upsert = (r: TRow, receivedAt = 0): TDelta<TRow> => ({ kind: 'upsert', row: r, receivedAt });
const remove = (id: string, version: number, receivedAt = 0): TDelta<TRow> => ({
  kind: 'remove',
  id,
  version,
  receivedAt,
});

const A1 = row('a', 1, '2026-03-27T09:00:00+00:00');
const A2 = row('a', 2, '2026-03-27T09:00:00+00:00', 'confirmed');
const A3 = row('a', 3, '2026-03-27T11:00:00+00:00', 'confirmed');
const B1 = row('b', 1, '2026-03-27T10:00:00+00:00');
const B2 = row('b', 2, '2026-03-27T10:00:00+00:00', 'cancelled');
const C1 = row('c', 1, '2026-03-27T08:00:00Z');

function mergeAll(deltas: readonly TDelta<TRow>[], state: TState = emptyStore<TRow>()): TState {
  return deltas.reduce(mergeById, state);
}

/** What a view shows: ids with versions and status, in order. */
const view = (state: TState) => state.rows.map((r) => `${r.id}@${r.version}:${r.status}`);

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [items.slice()];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]),
  );
}

describe('mergeById', () => {
  it.each<[string, TDelta<TRow>[], string[]]>([
    ['insert', [upsert(A1)], ['a@1:scheduled']],
    ['newer version replaces', [upsert(A1), upsert(A2)], ['a@2:confirmed']],
    ['older version never overwrites a newer one', [upsert(A2), upsert(A1)], ['a@2:confirmed']],
    ['duplicate delivery is a no-op', [upsert(A1), upsert(A1), upsert(A1)], ['a@1:scheduled']],
    ['remove deletes', [upsert(A1), remove('a', 2)], []],
    ['remove of an unknown id leaves nothing behind', [remove('z', 1)], []],
    ['late older upsert after a remove does not resurrect', [upsert(A1), remove('a', 2), upsert(A1)], []],
    ['remove then the same version upsert stays removed', [remove('a', 2), upsert(A2)], []],
    ['a newer version after a remove brings it back', [remove('a', 2), upsert(A3)], ['a@3:confirmed']],
    ['stale remove does not delete a newer row', [upsert(A3), remove('a', 2)], ['a@3:confirmed']],
    ['cancel as a mark keeps the row with its status', [upsert(B1), upsert(B2)], ['b@2:cancelled']],
    [
      'ordered by start time, then id',
      [upsert(B1), upsert(A1), upsert(C1)],
      ['c@1:scheduled', 'a@1:scheduled', 'b@1:scheduled'],
    ],
    [
      'a reschedule moves the row in the order',
      [upsert(A1), upsert(B1), upsert(A3)],
      ['b@1:scheduled', 'a@3:confirmed'],
    ],
  ])('%s', (_name, deltas, expected) => {
    expect(view(mergeAll(deltas))).toEqual(expected);
  });

  it('orders instants with different offsets by time, not by text', () => {
    const early = row('z', 1, '2026-03-27T10:30:00+02:00'); // 08:30Z
    const late = row('y', 1, '2026-03-27T09:00:00Z');
    expect(view(mergeAll([upsert(late), upsert(early)]))).toEqual(['z@1:scheduled', 'y@1:scheduled']);
  });

  it('gives the same result for every delivery order of the same events', () => {
    const deltas = [upsert(A1), upsert(A2), upsert(A3), upsert(B1), remove('b', 2), upsert(C1)];
    const results = new Set(permutations(deltas).map((order) => JSON.stringify(view(mergeAll(order)))));
    expect([...results]).toEqual([JSON.stringify(['c@1:scheduled', 'a@3:confirmed'])]);
  });

  it('returns the same state object for a no-op and never mutates its input', () => {
    const state = mergeAll([upsert(A2)]);
    const frozen = JSON.stringify(state);
    expect(mergeById(state, upsert(A1))).toBe(state);
    expect(mergeById(state, upsert({ ...A2 }))).toBe(state);
    const next = mergeById(state, upsert(A3));
    expect(next).not.toBe(state);
    expect(JSON.stringify(state)).toBe(frozen);
    expect(next.rows).not.toBe(state.rows);
  });

  it('equal versions with different content: the later arrival wins (version-less rows such as holds)', () => {
    const hold = { id: 'h', version: 0, starts_at: '2026-03-27T09:00:00Z', status: 'held' };
    const extended = { ...hold, status: 'held-longer' };
    expect(view(mergeAll([upsert(hold), upsert(extended)]))).toEqual(['h@0:held-longer']);
  });
});

describe('applySnapshot', () => {
  // Timeline in ms: subscribe at 0, SUBSCRIBED + fetch sent at 100, snapshot arrives at 300.
  const REQUESTED_AT = 100;

  it('replaces the state with the snapshot', () => {
    const before = mergeAll([upsert(A1, 10), upsert(B1, 20)]);
    const after = applySnapshot(before, [C1], REQUESTED_AT);
    expect(view(after)).toEqual(['c@1:scheduled']);
  });

  it.each<[string, TDelta<TRow>[], TRow[], string[]]>([
    [
      'an insert received during the fetch that the snapshot missed is kept',
      [upsert(B1, 150)],
      [A1],
      ['a@1:scheduled', 'b@1:scheduled'],
    ],
    [
      'an update received during the fetch that is newer than the snapshot row wins',
      [upsert(A2, 150)],
      [A1],
      ['a@2:confirmed'],
    ],
    ['an update the snapshot already includes changes nothing', [upsert(A2, 150)], [A3], ['a@3:confirmed']],
    [
      'a removal received during the fetch applies to the snapshot row',
      [remove('a', 2, 150)],
      [A1, B1],
      ['b@1:scheduled'],
    ],
    ['a removal older than the snapshot row is ignored', [remove('a', 2, 150)], [A3], ['a@3:confirmed']],
    [
      'deltas received before the request are left to the snapshot',
      [upsert(B1, 50)],
      [A1],
      ['a@1:scheduled'],
    ],
    [
      'a delta received exactly at the request time is kept',
      [upsert(B1, REQUESTED_AT)],
      [],
      ['b@1:scheduled'],
    ],
    [
      'insert then cancel during the fetch: both re-applied in order',
      [upsert(B1, 120), upsert(B2, 140)],
      [A1],
      ['a@1:scheduled', 'b@2:cancelled'],
    ],
    [
      'insert then delete during the fetch: stays deleted',
      [upsert(B1, 120), remove('b', 2, 140)],
      [A1],
      ['a@1:scheduled'],
    ],
  ])('%s', (_name, deltas, snapshot, expected) => {
    const state = applySnapshot(mergeAll(deltas), snapshot, REQUESTED_AT);
    expect(view(state)).toEqual(expected);
  });

  it('drops buffered deltas older than the request afterwards', () => {
    const state = applySnapshot(mergeAll([upsert(A1, 50), upsert(B1, 150)]), [], REQUESTED_AT);
    expect(state.recentDeltas.map((d) => d.receivedAt)).toEqual([150]);
  });

  it('keeps a tombstone for a row the snapshot does not have, so a late event cannot resurrect it', () => {
    const removed = mergeAll([upsert(B1, 10), remove('b', 2, 20)]);
    const afterSnapshot = applySnapshot(removed, [A1], REQUESTED_AT);
    expect(view(mergeById(afterSnapshot, upsert(B1, 400)))).toEqual(['a@1:scheduled']);
  });

  it('the snapshot wins over a tombstone for a row it has, and the tombstone is dropped', () => {
    const removed = mergeAll([remove('a', 2, 10)]);
    const state = applySnapshot(removed, [A3], REQUESTED_AT);
    expect(view(state)).toEqual(['a@3:confirmed']);
    expect(state.removed).toEqual({});
  });

  it('ignores a stale snapshot response that lost the race with a newer fetch', () => {
    const newer = applySnapshot(emptyStore<TRow>(), [A3], 200);
    const stale = applySnapshot(newer, [A1, B1], 100);
    expect(stale).toBe(newer);
  });

  it('keeps the higher version when a snapshot repeats a row', () => {
    expect(view(applySnapshot(emptyStore<TRow>(), [A2, A1, A3], REQUESTED_AT))).toEqual(['a@3:confirmed']);
  });

  it('full race: subscribe → fetch → events during and after the fetch, out of order', () => {
    let state = emptyStore<TRow>();
    state = mergeById(state, upsert(A1, 80)); // before the request: already in the snapshot
    state = mergeById(state, upsert(B1, 130)); // during the fetch, after the snapshot query
    state = mergeById(state, upsert(A3, 160)); // during the fetch
    state = mergeById(state, upsert(A2, 170)); // late, older: ignored
    state = applySnapshot(state, [A2, C1], REQUESTED_AT); // the query saw A2 but not B1 or A3
    state = mergeById(state, remove('c', 2, 320)); // after the snapshot
    state = mergeById(state, upsert(C1, 330)); // duplicate of an old event after the removal
    expect(view(state)).toEqual(['b@1:scheduled', 'a@3:confirmed']);
  });

  it('does not mutate its inputs', () => {
    const state = mergeAll([upsert(A1, 150)]);
    const snapshot = [B1, C1];
    const before = JSON.stringify([state, snapshot]);
    applySnapshot(state, snapshot, REQUESTED_AT);
    expect(JSON.stringify([state, snapshot])).toBe(before);
  });
});
