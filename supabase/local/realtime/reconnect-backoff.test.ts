import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReconnectBackoff } from './reconnect-backoff';

describe('ReconnectBackoff', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('keeps one retry pending, grows the delay to its ceiling, and starts over after reset()', () => {
    const backoff = new ReconnectBackoff([100, 500]);
    const retry = vi.fn();

    backoff.schedule(retry);
    backoff.schedule(retry); // already pending: ignored
    expect(backoff.isRetrying).toBe(true);
    vi.advanceTimersByTime(99);
    expect(retry).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(retry).toHaveBeenCalledTimes(1);

    backoff.schedule(retry);
    vi.advanceTimersByTime(499);
    expect(retry).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(retry).toHaveBeenCalledTimes(2);

    backoff.schedule(retry); // past the table: stays at the ceiling
    vi.advanceTimersByTime(500);
    expect(retry).toHaveBeenCalledTimes(3);

    backoff.reset();
    expect(backoff.isRetrying).toBe(false);
    backoff.schedule(retry);
    vi.advanceTimersByTime(100);
    expect(retry).toHaveBeenCalledTimes(4);
  });

  it('drops a pending retry on cancel()', () => {
    const backoff = new ReconnectBackoff([100]);
    const retry = vi.fn();
    backoff.schedule(retry);
    backoff.cancel();
    vi.advanceTimersByTime(1_000);
    expect(retry).not.toHaveBeenCalled();
  });
});
