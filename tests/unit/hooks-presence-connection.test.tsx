// @vitest-environment jsdom
/**
 * usePresence (track after SUBSCRIBED, user id as key, debounced and rate-limited updates, tab collapse,
 * parsing of other clients' payloads), the tab-wide connection status, and the indicator's wording.
 */
import { act, cleanup, render, renderHook, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectionIndicator } from '@/components/realtime/connection-indicator';
import { connectionStore } from '@/hooks/connection-store';
import { useConnectionStatus } from '@/hooks/use-connection-status';
import {
  MIN_TRACK_INTERVAL_MS,
  presenceUsers,
  TRACK_DEBOUNCE_MS,
  usePresence,
  type TPresenceMeta,
} from '@/hooks/use-presence';
import { useRealtimeSync } from '@/hooks/use-realtime-sync';
import { FakeSupabase } from './fixtures/fake-supabase';

let fake = new FakeSupabase();
vi.mock('@/lib/supabase/client', () => ({ createClient: () => fake.asClient() }));

const ROOM = 'clinic:c1000000-0000-4000-8000-000000000001:staff';
const ME: TPresenceMeta = {
  userId: 'a0000000-0000-4000-8000-000000000001',
  name: 'Alex Morgan',
  role: 'admin',
  activity: 'Live board',
};

function setOnline(isOnline: boolean) {
  Object.defineProperty(window.navigator, 'onLine', { configurable: true, get: () => isOnline });
  window.dispatchEvent(new Event(isOnline ? 'online' : 'offline'));
}

beforeEach(() => {
  fake = new FakeSupabase();
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  setOnline(true);
  connectionStore.reset();
});

describe('usePresence', () => {
  it('keys presence by user id, tracks only after SUBSCRIBED, and re-tracks after a rejoin', async () => {
    vi.useFakeTimers();
    renderHook(() => usePresence(ROOM, ME));
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    const [channel] = fake.live(ROOM);
    expect(channel.params.config).toMatchObject({
      private: true,
      presence: { key: ME.userId, enabled: true },
    });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(TRACK_DEBOUNCE_MS * 2);
    });
    expect(channel.track).not.toHaveBeenCalled();

    act(() => channel.goLive());
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(channel.track).toHaveBeenCalledTimes(1);
    expect(channel.track.mock.calls[0][0]).toMatchObject({
      user_id: ME.userId,
      name: ME.name,
      role: 'admin',
      activity: 'Live board',
    });

    act(() => {
      channel.status('CHANNEL_ERROR', new Error('transport failure'));
      channel.goLive();
    });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(MIN_TRACK_INTERVAL_MS);
    });
    expect(channel.track).toHaveBeenCalledTimes(2);
  });

  it('announces navigation once it settles and never faster than the rate limit', async () => {
    vi.useFakeTimers();
    const hook = renderHook(({ activity }) => usePresence(ROOM, { ...ME, activity }), {
      initialProps: { activity: 'Live board' },
    });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    const [channel] = fake.live(ROOM);
    act(() => channel.goLive());
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(channel.track).toHaveBeenCalledTimes(1);

    // Three quick route changes within a second.
    for (const activity of ['Dr. Lee · Tue', 'Dr. Garcia · Tue', 'Activity feed']) {
      hook.rerender({ activity });
      await act(async () => {
        await vi.advanceTimersByTimeAsync(200);
      });
    }
    expect(channel.track).toHaveBeenCalledTimes(1);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(MIN_TRACK_INTERVAL_MS);
    });
    expect(channel.track).toHaveBeenCalledTimes(2);
    expect(channel.track.mock.calls[1][0]).toMatchObject({ activity: 'Activity feed' });
  });

  it('lists one entry per user (tabs collapse), drops malformed payloads, and clears on unmount', async () => {
    const hook = renderHook(() => usePresence(ROOM, ME));
    await waitFor(() => expect(fake.live(ROOM)).toHaveLength(1));
    const [channel] = fake.live(ROOM);
    act(() =>
      channel.syncPresence({
        [ME.userId]: [
          {
            user_id: ME.userId,
            name: 'Alex Morgan',
            role: 'admin',
            activity: 'Live board',
            online_at: '2026-11-22T08:00:00Z',
            updated_at: 1,
          },
          {
            user_id: ME.userId,
            name: 'Alex Morgan',
            role: 'admin',
            activity: 'Activity feed',
            online_at: '2026-11-22T08:05:00Z',
            updated_at: 2,
          },
        ],
        'd0000000-0000-4000-8000-000000000001': [
          {
            user_id: 'd0000000-0000-4000-8000-000000000001',
            name: 'Dr. Jordan Lee',
            role: 'dentist',
            activity: 'My schedule',
            online_at: '2026-11-22T08:01:00Z',
          },
        ],
        intruder: [{ user_id: 'x', role: 'superuser', name: 'x', activity: 'x', online_at: 'x' }],
      }),
    );
    expect(hook.result.current).toEqual([
      {
        userId: ME.userId,
        name: 'Alex Morgan',
        role: 'admin',
        activity: 'Activity feed',
        onlineAt: '2026-11-22T08:05:00Z',
        tabs: 2,
      },
      {
        userId: 'd0000000-0000-4000-8000-000000000001',
        name: 'Dr. Jordan Lee',
        role: 'dentist',
        activity: 'My schedule',
        onlineAt: '2026-11-22T08:01:00Z',
        tabs: 1,
      },
    ]);
    hook.unmount();
    await waitFor(() => expect(fake.removeChannel).toHaveBeenCalledTimes(1), { timeout: 3_000 });
  });

  it('re-joins a topic another hook already uses without presence, keeping that hook on the new channel', async () => {
    const fetchSnapshot = vi.fn(async () => []);
    const sync = renderHook(() => useRealtimeSync({ topics: ROOM, fetchSnapshot }));
    await waitFor(() => expect(fake.live(ROOM)).toHaveLength(1));
    const presence = renderHook(() => usePresence(ROOM, ME));
    await waitFor(() => expect(fake.channels).toHaveLength(2));
    await waitFor(() => expect(fake.live(ROOM)).toHaveLength(1));
    const [joined] = fake.live(ROOM);
    expect(joined.params.config).toMatchObject({ presence: { key: ME.userId } });
    act(() => joined.goLive());
    await waitFor(() => expect(fetchSnapshot).toHaveBeenCalledTimes(1));
    await waitFor(() => expect(joined.track).toHaveBeenCalledTimes(1));

    sync.unmount();
    presence.unmount();
    await waitFor(() => expect(fake.live(ROOM)).toHaveLength(0), { timeout: 3_000 });
  });

  it('presenceUsers ignores entries whose every meta is invalid', () => {
    expect(presenceUsers({ a: [{ nope: true }], b: [] })).toEqual([]);
  });
});

describe('useConnectionStatus', () => {
  it('is connected with no channels, reconnecting while a channel joins or the socket is down, offline without network', async () => {
    const status = renderHook(() => useConnectionStatus());
    expect(status.result.current).toBe('connected');

    const sync = renderHook(() =>
      useRealtimeSync({
        topics: 'patient:b0000000-0000-4000-8000-000000000001:appointments',
        fetchSnapshot: async () => [],
      }),
    );
    await waitFor(() => expect(status.result.current).toBe('reconnecting'));
    act(() => fake.channels[0].goLive());
    await waitFor(() => expect(status.result.current).toBe('connected'));

    fake.socketState = 'closed';
    await waitFor(() => expect(status.result.current).toBe('reconnecting'), { timeout: 3_000 });
    fake.socketState = 'open';
    await waitFor(() => expect(status.result.current).toBe('connected'), { timeout: 3_000 });

    act(() => setOnline(false));
    expect(status.result.current).toBe('offline');
    expect(sync.result.current.status).toBe('offline');
    act(() => setOnline(true));
    expect(status.result.current).toBe('connected');
  });
});

describe('ConnectionIndicator', () => {
  it('says the status in words inside a polite live region', () => {
    render(<ConnectionIndicator />);
    const indicator = screen.getByRole('status');
    expect(indicator).toHaveProperty('ariaLive', 'polite');
    expect(indicator.textContent).toContain('Live');
    act(() => setOnline(false));
    expect(indicator.textContent).toContain('Offline');
    expect(indicator.getAttribute('data-status')).toBe('offline');
  });

  it('says "Connecting…" before the tab was ever live and "Reconnecting…" after a drop', async () => {
    render(<ConnectionIndicator />);
    renderHook(() =>
      useRealtimeSync({
        topics: 'patient:b0000000-0000-4000-8000-000000000001:appointments',
        fetchSnapshot: async () => [],
      }),
    );
    const indicator = screen.getByRole('status');
    await waitFor(() => expect(indicator.textContent).toContain('Connecting…'));
    act(() => fake.channels[0].goLive());
    await waitFor(() => expect(indicator.textContent).toContain('Live'));
    act(() => fake.channels[0].status('CHANNEL_ERROR', new Error('transport failure')));
    await waitFor(() => expect(indicator.textContent).toContain('Reconnecting…'));
  });
});
