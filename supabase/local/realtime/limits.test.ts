import { describe, expect, it } from 'vitest';
import { RateWindow } from './limits';
import { LatencyHistogram } from './metrics';

describe('RateWindow', () => {
  it('allows max events per window and starts over in the next window', () => {
    const w = new RateWindow(3, 1000);
    expect([w.hit(10_000), w.hit(10_100), w.hit(10_200), w.hit(10_300)]).toEqual([true, true, true, false]);
    expect(w.hit(10_999)).toBe(false);
    expect(w.hit(11_000)).toBe(true);
  });
});

describe('RateWindow.add', () => {
  it('counts a fan-out of n deliveries in one step', () => {
    const w = new RateWindow(10, 1000);
    expect(w.add(8, 5_000)).toBe(true);
    expect(w.hit(5_001)).toBe(true);
    expect(w.add(2, 5_002)).toBe(false);
    expect(w.isOver(5_003)).toBe(true);
    expect(w.isOver(6_000)).toBe(false);
  });
});

describe('LatencyHistogram', () => {
  it('reports bucket upper bounds as quantiles, capped by the maximum seen', () => {
    const h = new LatencyHistogram();
    expect(h.quantile(0.99)).toBeNull();
    for (let i = 0; i < 98; i++) h.record(0.8);
    h.record(7);
    h.record(3_000);
    expect(h.quantile(0.5)).toBe(1);
    expect(h.quantile(0.99)).toBe(10);
    expect(h.quantile(1)).toBe(3_000);
    expect(h.snapshot()).toMatchObject({ count: 100, max_ms: 3_000 });
  });
});
