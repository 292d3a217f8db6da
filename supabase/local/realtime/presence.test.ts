import { describe, expect, it } from 'vitest';
import { TopicPresence } from './presence';

describe('TopicPresence', () => {
  it('tracks, updates and untracks with Phoenix-style diffs', () => {
    const p = new TopicPresence<string>();
    const first = p.track('tab1', 'alice', { v: 1 });
    const ref1 = first.joins.alice.metas[0].phx_ref;
    expect(first).toEqual({ joins: { alice: { metas: [{ v: 1, phx_ref: ref1 }] } }, leaves: {} });

    const update = p.track('tab1', 'alice', { v: 2 });
    const ref2 = update.joins.alice.metas[0].phx_ref;
    expect(ref2).not.toBe(ref1);
    expect(update).toEqual({
      joins: { alice: { metas: [{ v: 2, phx_ref: ref2, phx_ref_prev: ref1 }] } },
      leaves: { alice: { metas: [{ v: 1, phx_ref: ref1 }] } },
    });

    p.track('tab2', 'alice', { v: 3 });
    expect(p.state().alice.metas.map((m) => m.v)).toEqual([2, 3]);

    expect(p.untrack('tab1', 'alice')?.leaves.alice.metas[0].v).toBe(2);
    expect(p.untrack('tab1', 'alice')).toBeNull();
    p.untrack('tab2', 'alice');
    expect(p.isEmpty).toBe(true);
    expect(p.state()).toEqual({});
  });
});
