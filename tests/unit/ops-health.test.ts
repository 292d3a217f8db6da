import { describe, expect, it } from 'vitest';
import { healthHttpStatus, realtimeSocketUrl, shareInFlight, worstStatus } from '@/lib/ops/health';
import type { THealthReport } from '@/lib/ops/schemas';

describe('worstStatus and the HTTP status', () => {
  it.each([
    [['ok', 'ok'], 'ok', 200],
    [['ok', 'warning'], 'warning', 200],
    [['warning', 'error'], 'error', 503],
    [['error', 'ok'], 'error', 503],
  ] as const)('%j → %s (HTTP %i)', (statuses, worst, http) => {
    expect(worstStatus(statuses)).toBe(worst);
    const report: THealthReport = {
      status: worstStatus(statuses),
      timestamp: new Date(0).toISOString(),
      version: '0.0.0',
      checks: {
        database: { status: statuses[0], latencyMs: 1, message: '' },
        realtime: { status: statuses[1], latencyMs: 1, message: '' },
      },
    };
    expect(healthHttpStatus(report)).toBe(http);
  });
});

describe('realtimeSocketUrl', () => {
  it.each([
    ['http://127.0.0.1:54321', 'ws://127.0.0.1:54321/realtime/v1/websocket?apikey=k&vsn=1.0.0'],
    ['https://abc.supabase.co/', 'wss://abc.supabase.co/realtime/v1/websocket?apikey=k&vsn=1.0.0'],
  ])('%s → %s', (url, expected) => {
    expect(realtimeSocketUrl(url, 'k')).toBe(expected);
  });
});

describe('shareInFlight', () => {
  it('gives callers that arrive during a run the same run, and starts a new one afterwards', async () => {
    let runs = 0;
    let release: (value: number) => void = () => {};
    const shared = shareInFlight(() => {
      runs += 1;
      return new Promise<number>((resolve) => {
        release = resolve;
      });
    });
    const first = shared();
    const second = shared();
    expect(runs).toBe(1);
    release(7);
    await expect(Promise.all([first, second])).resolves.toEqual([7, 7]);
    const third = shared();
    expect(runs).toBe(2);
    release(8);
    await expect(third).resolves.toBe(8);
  });

  it('does not keep a failed run: the next caller tries again', async () => {
    let runs = 0;
    const shared = shareInFlight(async () => {
      runs += 1;
      if (runs === 1) throw new Error('first fails');
      return 'second';
    });
    await expect(shared()).rejects.toThrow('first fails');
    await expect(shared()).resolves.toBe('second');
  });
});
