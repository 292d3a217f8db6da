// @vitest-environment jsdom
/**
 * Wiring of useRealtimeSync and the channel registry against a fake channel: when snapshots load, how
 * deltas merge, re-fetch triggers, the fallback poll, token-expiry recovery without loops, sharing one
 * channel per topic, and cleanup. The merge rules themselves are tested in lib/realtime.
 */
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CHANNEL_RELEASE_GRACE_MS,
  MAX_RECOVERIES,
  RECOVERY_BACKOFF_MS,
  REPLICATION_READY_TIMEOUT_MS,
} from '@/hooks/channel-registry';
import { connectionStore } from '@/hooks/connection-store';
import { useRealtimeSync } from '@/hooks/use-realtime-sync';
import {
  appointmentDelta,
  FALLBACK_POLL_INTERVAL_MS,
  REALTIME_EVENTS,
  type TAppointmentRow,
  type TScheduleEvent,
} from '@/lib/realtime';
import { FakeSupabase } from './fixtures/fake-supabase';

let fake = new FakeSupabase();
vi.mock('@/lib/supabase/client', () => ({ createClient: () => fake.asClient() }));

const TOPIC = 'patient:b0000000-0000-4000-8000-000000000001:appointments';
const ID = '11111111-1111-4111-8111-111111111111';

function row(version: number, status: TAppointmentRow['status'] = 'scheduled'): TAppointmentRow {
  return {
    id: ID,
    clinic_id: 'c1000000-0000-4000-8000-000000000001',
    dentist_id: 'de000000-0000-4000-8000-000000000001',
    patient_id: 'b0000000-0000-4000-8000-000000000001',
    service_id: '5e000000-0000-4000-8000-000000000001',
    status,
    source: 'portal',
    version,
    starts_at: '2026-11-24T09:00:00+00:00',
    ends_at: '2026-11-24T09:30:00+00:00',
  };
}

const toDelta = (event: TScheduleEvent, receivedAt: number) =>
  event.event === REALTIME_EVENTS.appointmentChanged
    ? appointmentDelta(event.payload, { receivedAt, onCancel: 'mark' })
    : null;

function renderSync(
  fetchSnapshot = vi.fn(async () => [row(1)]),
  extra: { onEvent?: (e: TScheduleEvent) => void } = {},
) {
  const hook = renderHook(() =>
    useRealtimeSync<TAppointmentRow>({ topics: TOPIC, fetchSnapshot, toDelta }, extra),
  );
  return { hook, fetchSnapshot };
}

beforeEach(() => {
  fake = new FakeSupabase();
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  connectionStore.reset();
});

describe('useRealtimeSync', () => {
  it('joins the topic as a private channel asking for replication_ready, and loads the snapshot only once live', async () => {
    const { hook, fetchSnapshot } = renderSync();
    await waitFor(() => expect(fake.live(TOPIC)).toHaveLength(1));
    const [channel] = fake.live(TOPIC);
    expect(channel.params.config).toMatchObject({ private: true, broadcast: { replication_ready: true } });
    expect(hook.result.current.status).toBe('connecting');
    expect(hook.result.current.isLoading).toBe(true);

    act(() => channel.status('SUBSCRIBED'));
    expect(fetchSnapshot).not.toHaveBeenCalled(); // not before broadcast-from-database is live
    act(() =>
      channel.system({ extension: 'system', status: 'ok', message: 'Replication connection established' }),
    );

    await waitFor(() => expect(hook.result.current.data).toEqual([row(1)]));
    expect(fetchSnapshot).toHaveBeenCalledTimes(1);
    expect(hook.result.current.status).toBe('connected');
    expect(hook.result.current.isLoading).toBe(false);
  });

  it('reports SUBSCRIBED anyway when the server never sends replication_ready', async () => {
    vi.useFakeTimers();
    const { hook, fetchSnapshot } = renderSync();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    const [channel] = fake.live(TOPIC);
    act(() => channel.status('SUBSCRIBED'));
    await act(async () => {
      await vi.advanceTimersByTimeAsync(REPLICATION_READY_TIMEOUT_MS);
    });
    expect(fetchSnapshot).toHaveBeenCalledTimes(1);
    expect(hook.result.current.status).toBe('connected');
  });

  it('merges deltas by version, tells the view about events, and re-fetches on a malformed payload', async () => {
    const onEvent = vi.fn();
    const { hook, fetchSnapshot } = renderSync(undefined, { onEvent });
    await waitFor(() => expect(fake.live(TOPIC)).toHaveLength(1));
    const [channel] = fake.live(TOPIC);
    act(() => channel.goLive());
    await waitFor(() => expect(hook.result.current.data).toEqual([row(1)]));

    act(() =>
      channel.broadcast(REALTIME_EVENTS.appointmentChanged, {
        ...row(3, 'confirmed'),
        operation: 'UPDATE',
        old: null,
      }),
    );
    expect(hook.result.current.data).toEqual([row(3, 'confirmed')]);
    expect(onEvent).toHaveBeenCalledWith(
      expect.objectContaining({ event: REALTIME_EVENTS.appointmentChanged }),
    );

    // An older version arriving late changes nothing.
    act(() =>
      channel.broadcast(REALTIME_EVENTS.appointmentChanged, { ...row(2), operation: 'UPDATE', old: null }),
    );
    expect(hook.result.current.data).toEqual([row(3, 'confirmed')]);
    expect(fetchSnapshot).toHaveBeenCalledTimes(1);

    act(() => channel.broadcast(REALTIME_EVENTS.appointmentChanged, { id: 'not-a-uuid' }));
    await waitFor(() => expect(fetchSnapshot).toHaveBeenCalledTimes(2));
  });

  it.each([
    [
      'a rejoin after a channel error',
      (channel: ReturnType<FakeSupabase['live']>[number]) => {
        channel.status('CHANNEL_ERROR', new Error('transport failure'));
        channel.goLive();
      },
    ],
    [
      'the tab becoming visible',
      () => {
        document.dispatchEvent(new Event('visibilitychange'));
      },
    ],
    [
      'the network coming back',
      () => {
        window.dispatchEvent(new Event('online'));
      },
    ],
  ])('re-fetches on %s', async (_case, trigger) => {
    const { hook, fetchSnapshot } = renderSync();
    await waitFor(() => expect(fake.live(TOPIC)).toHaveLength(1));
    const [channel] = fake.live(TOPIC);
    act(() => channel.goLive());
    await waitFor(() => expect(fetchSnapshot).toHaveBeenCalledTimes(1));
    act(() => trigger(channel));
    await waitFor(() => expect(fetchSnapshot).toHaveBeenCalledTimes(2));
    expect(hook.result.current.status).toBe('connected');
  });

  it('polls every 30 s while the channel is down and stops once it is live again', async () => {
    vi.useFakeTimers();
    const { hook, fetchSnapshot } = renderSync();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    const [channel] = fake.live(TOPIC);
    act(() => channel.goLive());
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(fetchSnapshot).toHaveBeenCalledTimes(1);

    act(() => channel.status('CHANNEL_ERROR', new Error('transport failure')));
    expect(hook.result.current.status).toBe('reconnecting');
    await act(async () => {
      await vi.advanceTimersByTimeAsync(FALLBACK_POLL_INTERVAL_MS);
    });
    expect(fetchSnapshot).toHaveBeenCalledTimes(2);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(FALLBACK_POLL_INTERVAL_MS);
    });
    expect(fetchSnapshot).toHaveBeenCalledTimes(3);

    act(() => channel.goLive()); // the rejoin re-fetches once…
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(fetchSnapshot).toHaveBeenCalledTimes(4);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(3 * FALLBACK_POLL_INTERVAL_MS); // …and polling has stopped
    });
    expect(fetchSnapshot).toHaveBeenCalledTimes(4);
  });

  it('keeps the previous rows and exposes the error when a snapshot fails', async () => {
    const fetchSnapshot = vi.fn(async () => [row(1)]);
    const { hook } = renderSync(fetchSnapshot);
    await waitFor(() => expect(fake.live(TOPIC)).toHaveLength(1));
    act(() => fake.live(TOPIC)[0].goLive());
    await waitFor(() => expect(hook.result.current.data).toHaveLength(1));
    fetchSnapshot.mockRejectedValueOnce(new Error('boom'));
    await act(async () => {
      await hook.result.current.refetch();
    });
    expect(hook.result.current.error?.message).toBe('boom');
    expect(hook.result.current.data).toEqual([row(1)]);
  });
});

describe('channel registry', () => {
  it('shares one channel per topic between hooks and removes it after the last one unmounts', async () => {
    const first = renderSync();
    const second = renderSync();
    await waitFor(() => expect(fake.live(TOPIC)).toHaveLength(1));
    expect(fake.channels).toHaveLength(1);
    act(() => fake.live(TOPIC)[0].goLive());
    await waitFor(() => expect(first.fetchSnapshot).toHaveBeenCalledTimes(1));
    await waitFor(() => expect(second.fetchSnapshot).toHaveBeenCalledTimes(1));

    first.hook.unmount();
    await new Promise((resolve) => setTimeout(resolve, CHANNEL_RELEASE_GRACE_MS + 100));
    expect(fake.removeChannel).not.toHaveBeenCalled();

    second.hook.unmount();
    await waitFor(() => expect(fake.removeChannel).toHaveBeenCalledTimes(1), {
      timeout: CHANNEL_RELEASE_GRACE_MS * 3,
    });
    expect(fake.channels[0].isRemoved).toBe(true);
  });

  it('a late second hook on a live channel still loads its snapshot', async () => {
    const first = renderSync();
    await waitFor(() => expect(fake.live(TOPIC)).toHaveLength(1));
    act(() => fake.live(TOPIC)[0].goLive());
    await waitFor(() => expect(first.fetchSnapshot).toHaveBeenCalledTimes(1));
    const late = renderSync();
    await waitFor(() => expect(late.hook.result.current.data).toEqual([row(1)]));
    expect(late.hook.result.current.status).toBe('connected');
  });

  it('on a server close for an expired token: refreshes the session, hands Realtime the new token and re-creates the channel', async () => {
    vi.useFakeTimers();
    const { hook, fetchSnapshot } = renderSync();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    const [first] = fake.live(TOPIC);
    act(() => first.goLive());
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });

    act(() => {
      first.system({ extension: 'system', status: 'error', message: 'Token has expired 3 seconds ago' });
      first.status('CLOSED');
    });
    expect(hook.result.current.status).toBe('reconnecting');
    await act(async () => {
      await vi.advanceTimersByTimeAsync(RECOVERY_BACKOFF_MS);
    });
    expect(fake.auth.refreshSession).toHaveBeenCalledTimes(1);
    expect(fake.realtime.setAuth).toHaveBeenCalledWith('fresh-token');
    expect(fake.removeChannel).toHaveBeenCalledWith(first);
    const live = fake.live(TOPIC);
    expect(live).toHaveLength(1);
    expect(live[0]).not.toBe(first);

    act(() => live[0].goLive());
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(hook.result.current.status).toBe('connected');
    expect(fetchSnapshot).toHaveBeenCalledTimes(2); // caught up after the gap
  });

  it('gives up after a few immediate closes instead of looping', async () => {
    vi.useFakeTimers();
    const onError = vi.fn();
    const fetchSnapshot = vi.fn(async () => [row(1)]);
    const hook = renderHook(() =>
      useRealtimeSync<TAppointmentRow>({ topics: TOPIC, fetchSnapshot, toDelta }, { onError }),
    );
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    for (let attempt = 1; attempt <= MAX_RECOVERIES + 2; attempt++) {
      const current = fake.live(TOPIC).at(-1);
      if (!current) break;
      act(() => {
        current.system({
          extension: 'system',
          status: 'error',
          message: 'You no longer have permission to read from this Channel topic',
        });
        current.status('CLOSED');
      });
      await act(async () => {
        await vi.advanceTimersByTimeAsync(RECOVERY_BACKOFF_MS * attempt);
      });
    }
    expect(fake.channels).toHaveLength(MAX_RECOVERIES + 1);
    expect(hook.result.current.error).toBeNull(); // the snapshot side is fine…
    expect(onError).toHaveBeenCalled(); // …but the channel error was reported
    expect(hook.result.current.status).toBe('connecting'); // never live
    // Not permission-related token refreshes: only an expiry (or an unexplained close) refreshes.
    expect(fake.auth.refreshSession).not.toHaveBeenCalled();
  });

  it('refreshes the session when a join is refused for an expired token (the client retries the join itself)', async () => {
    renderSync();
    await waitFor(() => expect(fake.live(TOPIC)).toHaveLength(1));
    act(() =>
      fake
        .live(TOPIC)[0]
        .status('CHANNEL_ERROR', new Error('InvalidJWTToken: Token has expired 12 seconds ago')),
    );
    await waitFor(() => expect(fake.realtime.setAuth).toHaveBeenCalledWith('fresh-token'));
    expect(fake.channels).toHaveLength(1);
  });
});
