// @vitest-environment jsdom
/**
 * Role-aware wiring: which private topic and snapshot query each role gets, which callbacks a change
 * fires, and the availability hook's window filter and hold-expiry signal. Fake channel; the real
 * delivery is covered by the e2e tests.
 */
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectionStore } from '@/hooks/connection-store';
import { useChatbotRealtimeSync } from '@/hooks/use-chatbot-realtime-sync';
import { appointmentTopicFor, useRealtimeAppointments } from '@/hooks/use-realtime-appointments';
import { useRealtimeAvailability } from '@/hooks/use-realtime-availability';
import { REALTIME_EVENTS } from '@/lib/realtime';
import { FakeSupabase } from './fixtures/fake-supabase';

let fake = new FakeSupabase();
vi.mock('@/lib/supabase/client', () => ({ createClient: () => fake.asClient() }));

const USER = 'b0000000-0000-4000-8000-000000000001';
const CLINIC = 'c1000000-0000-4000-8000-000000000001';
const DENTIST = 'de000000-0000-4000-8000-000000000001';
const OTHER_DENTIST = 'de000000-0000-4000-8000-000000000002';
const APPOINTMENT = '11111111-1111-4111-8111-111111111111';

function payload(overrides: Record<string, unknown>) {
  return {
    operation: 'UPDATE',
    id: APPOINTMENT,
    clinic_id: CLINIC,
    dentist_id: DENTIST,
    patient_id: USER,
    service_id: '5e000000-0000-4000-8000-000000000001',
    status: 'scheduled',
    source: 'portal',
    version: 2,
    starts_at: '2026-11-24T09:00:00+00:00',
    ends_at: '2026-11-24T09:30:00+00:00',
    old: null,
    ...overrides,
  };
}

beforeEach(() => {
  fake = new FakeSupabase();
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  connectionStore.reset();
});

describe('appointmentTopicFor', () => {
  it.each([
    [{ userId: USER, role: 'patient' as const }, `patient:${USER}:appointments`],
    [{ userId: 'u', role: 'dentist' as const, dentistId: DENTIST }, `dentist:${DENTIST}:schedule`],
    [{ userId: 'u', role: 'dentist' as const }, null],
    [{ userId: 'u', role: 'admin' as const, clinicId: CLINIC }, `clinic:${CLINIC}:schedule`],
    [
      { userId: 'u', role: 'admin' as const, clinicId: CLINIC, dentistId: DENTIST },
      `dentist:${DENTIST}:schedule`,
    ],
    [{ userId: null, role: 'patient' as const }, null],
  ])('%o → %s', (options, topic) => {
    expect(appointmentTopicFor(options)).toBe(topic);
  });
});

describe('useRealtimeAppointments', () => {
  it('a patient follows their own topic, loads their rows, and gets insert/update/cancel callbacks', async () => {
    fake.queryResult = {
      data: [payload({ version: 1 })].map(({ operation: _o, old: _old, ...row }) => row),
      error: null,
    };
    const onInsert = vi.fn();
    const onUpdate = vi.fn();
    const onCancel = vi.fn();
    const hook = renderHook(() =>
      useRealtimeAppointments({ userId: USER, role: 'patient' }, { onInsert, onUpdate, onCancel }),
    );
    const topic = `patient:${USER}:appointments`;
    await waitFor(() => expect(fake.live(topic)).toHaveLength(1));
    act(() => fake.live(topic)[0].goLive());
    await waitFor(() => expect(hook.result.current.data).toHaveLength(1));

    const query = fake.queries.at(-1);
    expect(query?.table).toBe('appointments');
    expect(query?.calls).toContainEqual({ method: 'eq', args: ['patient_id', USER] });

    const channel = fake.live(topic)[0];
    act(() =>
      channel.broadcast(
        REALTIME_EVENTS.appointmentChanged,
        payload({
          status: 'confirmed',
          version: 2,
          old: {
            dentist_id: DENTIST,
            status: 'scheduled',
            starts_at: '2026-11-24T09:00:00+00:00',
            ends_at: '2026-11-24T09:30:00+00:00',
          },
        }),
      ),
    );
    expect(onUpdate).toHaveBeenCalledWith(
      expect.objectContaining({ status: 'confirmed', version: 2 }),
      expect.objectContaining({ status: 'scheduled' }),
    );
    expect(hook.result.current.data[0].status).toBe('confirmed');

    act(() =>
      channel.broadcast(
        REALTIME_EVENTS.appointmentChanged,
        payload({
          status: 'late_cancel',
          version: 3,
          old: {
            dentist_id: DENTIST,
            status: 'confirmed',
            starts_at: '2026-11-24T09:00:00+00:00',
            ends_at: '2026-11-24T09:30:00+00:00',
          },
        }),
      ),
    );
    expect(onCancel).toHaveBeenCalledWith(expect.objectContaining({ status: 'late_cancel' }));
    // Patients keep cancelled visits in their history.
    expect(hook.result.current.data[0].status).toBe('late_cancel');

    const other = '22222222-2222-4222-8222-222222222222';
    act(() =>
      channel.broadcast(
        REALTIME_EVENTS.appointmentChanged,
        payload({ operation: 'INSERT', id: other, version: 1 }),
      ),
    );
    expect(onInsert).toHaveBeenCalledWith(expect.objectContaining({ id: other }));
    expect(hook.result.current.data.map((r) => r.id).sort()).toEqual([APPOINTMENT, other].sort());
    // Hold and availability events on schedule topics are not appointments.
    act(() => channel.broadcast(REALTIME_EVENTS.slotsChanged, { dentist_id: DENTIST, from: null, to: null }));
    expect(hook.result.current.data).toHaveLength(2);
  });

  it('a dentist calendar drops cancelled visits and those moved out of its window', async () => {
    fake.queryResult = {
      data: [payload({ version: 1 })].map(({ operation: _o, old: _old, ...row }) => row),
      error: null,
    };
    const hook = renderHook(() =>
      useRealtimeAppointments({
        userId: 'u',
        role: 'dentist',
        dentistId: DENTIST,
        from: '2026-11-24T00:00:00Z',
        to: '2026-11-25T00:00:00Z',
      }),
    );
    const topic = `dentist:${DENTIST}:schedule`;
    await waitFor(() => expect(fake.live(topic)).toHaveLength(1));
    act(() => fake.live(topic)[0].goLive());
    await waitFor(() => expect(hook.result.current.data).toHaveLength(1));
    const calls = fake.queries.at(-1)?.calls ?? [];
    expect(calls).toContainEqual({ method: 'eq', args: ['dentist_id', DENTIST] });
    expect(calls).toContainEqual({ method: 'gt', args: ['ends_at', '2026-11-24T00:00:00Z'] });

    act(() =>
      fake
        .live(topic)[0]
        .broadcast(
          REALTIME_EVENTS.appointmentChanged,
          payload({ starts_at: '2026-11-26T09:00:00Z', ends_at: '2026-11-26T09:30:00Z', version: 2 }),
        ),
    );
    expect(hook.result.current.data).toHaveLength(0);
  });

  it('stays idle without the ids its role needs', () => {
    const hook = renderHook(() => useRealtimeAppointments({ userId: 'u', role: 'admin' }));
    expect(hook.result.current.status).toBe('idle');
    expect(fake.channels).toHaveLength(0);
  });
});

describe('useRealtimeAvailability', () => {
  const topic = `clinic:${CLINIC}:availability`;
  const window = { from: '2026-11-24T00:00:00.000Z', to: '2026-11-25T00:00:00.000Z' };

  it('signals only changes inside its window for its dentist, and resyncs on every (re)subscribe', async () => {
    const onSlotsChanged = vi.fn();
    const onResync = vi.fn();
    const hook = renderHook(() =>
      useRealtimeAvailability(
        { clinicId: CLINIC, dentistId: DENTIST, ...window },
        { onSlotsChanged, onResync },
      ),
    );
    await waitFor(() => expect(fake.live(topic)).toHaveLength(1));
    const channel = fake.live(topic)[0];
    expect(channel.params.config).toMatchObject({ private: true });
    act(() => channel.goLive());
    await waitFor(() => expect(hook.result.current.isConnected).toBe(true));
    expect(onResync).toHaveBeenCalledTimes(1);

    act(() => {
      channel.broadcast(REALTIME_EVENTS.slotsChanged, {
        dentist_id: DENTIST,
        from: '2026-11-26T09:00:00Z',
        to: '2026-11-26T09:35:00Z',
      }); // another day
      channel.broadcast(REALTIME_EVENTS.slotsChanged, {
        dentist_id: OTHER_DENTIST,
        from: '2026-11-24T09:00:00Z',
        to: '2026-11-24T09:35:00Z',
      }); // another dentist
    });
    expect(onSlotsChanged).not.toHaveBeenCalled();
    act(() =>
      channel.broadcast(REALTIME_EVENTS.slotsChanged, {
        dentist_id: DENTIST,
        from: '2026-11-24T09:00:00Z',
        to: '2026-11-24T09:35:00Z',
      }),
    );
    expect(onSlotsChanged).toHaveBeenCalledTimes(1);
    act(() => channel.broadcast(REALTIME_EVENTS.slotsChanged, { dentist_id: DENTIST, from: null, to: null })); // a weekly rule changed
    expect(onSlotsChanged).toHaveBeenCalledTimes(2);

    act(() => {
      channel.status('CHANNEL_ERROR', new Error('transport failure'));
    });
    expect(hook.result.current.status).toBe('reconnecting');
    act(() => channel.goLive());
    await waitFor(() => expect(onResync).toHaveBeenCalledTimes(2));
  });

  it('signals again when a hold lapses, since expiry itself sends nothing', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-24T08:00:00Z') });
    const onSlotsChanged = vi.fn();
    renderHook(() => useRealtimeAvailability({ clinicId: CLINIC, ...window }, { onSlotsChanged }));
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    const channel = fake.live(topic)[0];
    act(() => channel.goLive());
    act(() =>
      channel.broadcast(REALTIME_EVENTS.slotsChanged, {
        dentist_id: DENTIST,
        from: '2026-11-24T09:00:00Z',
        to: '2026-11-24T09:35:00Z',
        until: '2026-11-24T08:05:00Z',
      }),
    );
    expect(onSlotsChanged).toHaveBeenCalledTimes(1);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(4 * 60_000);
    });
    expect(onSlotsChanged).toHaveBeenCalledTimes(1);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(60_000);
    });
    expect(onSlotsChanged).toHaveBeenCalledTimes(2);
  });
});

describe('useChatbotRealtimeSync', () => {
  it('joins the public availability topic, reports connected, and disconnect leaves it', async () => {
    const onSlotsChanged = vi.fn();
    const hook = renderHook(() => useChatbotRealtimeSync({ clinicId: CLINIC, onSlotsChanged }));
    const topic = `clinic:${CLINIC}:availability`;
    await waitFor(() => expect(fake.live(topic)).toHaveLength(1));
    expect(hook.result.current.isConnected).toBe(false);
    act(() => fake.live(topic)[0].goLive());
    await waitFor(() => expect(hook.result.current.isConnected).toBe(true));
    act(() =>
      fake
        .live(topic)[0]
        .broadcast(REALTIME_EVENTS.slotsChanged, { dentist_id: DENTIST, from: null, to: null }),
    );
    expect(onSlotsChanged).toHaveBeenCalledTimes(1);

    act(() => hook.result.current.disconnect());
    expect(hook.result.current.isConnected).toBe(false);
    await waitFor(() => expect(fake.removeChannel).toHaveBeenCalledTimes(1), { timeout: 3_000 });
  });
});
