// @vitest-environment jsdom
/**
 * useBackendRecovery: while an outage notice is up it re-checks the health endpoint with back-off,
 * calls back as soon as the backend answers, and stops when the notice goes away.
 */
import { act, cleanup, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HEALTH_PATH, MAX_PROBE_DELAY_MS, useBackendRecovery } from '@/hooks/use-backend-recovery';

let healthStatus = 503;
const fetchMock = vi.fn(async (input: RequestInfo | URL) => {
  if (String(input) !== HEALTH_PATH) throw new TypeError(`unexpected fetch ${String(input)}`);
  if (healthStatus === 0) throw new TypeError('Failed to fetch');
  return new Response('{}', { status: healthStatus });
});

beforeEach(() => {
  vi.useFakeTimers();
  healthStatus = 503;
  fetchMock.mockClear();
  vi.stubGlobal('fetch', fetchMock);
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

async function advance(ms: number): Promise<void> {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
}

describe('useBackendRecovery', () => {
  it('keeps probing with back-off while the backend is down and calls back once it answers', async () => {
    const onReachable = vi.fn();
    renderHook(() => useBackendRecovery(true, onReachable));
    healthStatus = 0;
    await advance(MAX_PROBE_DELAY_MS * 3);
    const probesWhileDown = fetchMock.mock.calls.length;
    expect(probesWhileDown).toBeGreaterThanOrEqual(3);
    // Back-off: far fewer probes than one per second.
    expect(probesWhileDown).toBeLessThan(MAX_PROBE_DELAY_MS / 1000);
    expect(onReachable).not.toHaveBeenCalled();

    healthStatus = 200;
    await advance(MAX_PROBE_DELAY_MS);
    expect(onReachable).toHaveBeenCalled();
  });

  it('does nothing while inactive and stops probing on unmount', async () => {
    const onReachable = vi.fn();
    const hook = renderHook(({ isActive }) => useBackendRecovery(isActive, onReachable), {
      initialProps: { isActive: false },
    });
    await advance(MAX_PROBE_DELAY_MS * 2);
    expect(fetchMock).not.toHaveBeenCalled();

    hook.rerender({ isActive: true });
    await advance(MAX_PROBE_DELAY_MS);
    expect(fetchMock).toHaveBeenCalled();
    hook.unmount();
    const probes = fetchMock.mock.calls.length;
    await advance(MAX_PROBE_DELAY_MS * 3);
    expect(fetchMock).toHaveBeenCalledTimes(probes);
  });
});
