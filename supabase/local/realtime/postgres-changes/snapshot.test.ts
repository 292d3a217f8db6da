import { describe, expect, it } from 'vitest';
import { allCompletedIn, isCompletedIn, parseSnapshot } from './snapshot';

describe('snapshot visibility of streamed xids', () => {
  it('parses pg_current_snapshot() text', () => {
    expect(parseSnapshot('748:752:748,750')).toEqual({ xmax: 752n, inProgress: new Set([748n, 750n]) });
    expect(parseSnapshot('752:752:')).toEqual({ xmax: 752n, inProgress: new Set() });
    expect(() => parseSnapshot('nonsense')).toThrow();
  });

  it('an xid at or after xmax, or still in progress, is not visible yet', () => {
    const snap = parseSnapshot('748:752:748,750');
    expect(isCompletedIn(snap, 747)).toBe(true);
    expect(isCompletedIn(snap, 748)).toBe(false);
    expect(isCompletedIn(snap, 749)).toBe(true);
    expect(isCompletedIn(snap, 750)).toBe(false);
    expect(isCompletedIn(snap, 751)).toBe(true);
    expect(isCompletedIn(snap, 752)).toBe(false);
    expect(isCompletedIn(snap, 753)).toBe(false);
    expect(allCompletedIn(snap, [747, 749, 751])).toBe(true);
    expect(allCompletedIn(snap, [747, 750])).toBe(false);
  });

  it('maps 32-bit xids onto the snapshot epoch across wraparound', () => {
    // Epoch 3, xmax just past the 32-bit wrap; xid 2^32 - 10 belongs to epoch 2 and is running.
    const epoch3 = 3n * 2n ** 32n;
    const snap = parseSnapshot(`${epoch3 - 10n}:${epoch3 + 5n}:${epoch3 - 10n}`);
    expect(isCompletedIn(snap, 2 ** 32 - 10)).toBe(false);
    expect(isCompletedIn(snap, 2 ** 32 - 9)).toBe(true);
    expect(isCompletedIn(snap, 4)).toBe(true);
    expect(isCompletedIn(snap, 5)).toBe(false);
  });
});
