'use client';

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useRealtimeAvailability } from '@/hooks/use-realtime-availability';
import type { TSyncStatus } from '@/hooks/use-realtime-sync';
import { useSupabase } from '@/hooks/use-supabase';
import type { TAvailableSlot } from '@/lib/domain/appointments';
import { localDayBounds } from '@/lib/scheduling/time-zone';
import { fetchAvailableSlots } from './slots-api';

export interface TSlotCell {
  start: string;
  end: string;
  /** Dentists free at this start (one entry when a dentist was chosen). */
  dentists: { id: string; name: string }[];
  /** Seen free earlier in this view and gone now (booked or held by someone): kept in place, greyed. */
  isTaken: boolean;
}

export interface TLiveSlots {
  cells: TSlotCell[];
  isLoading: boolean;
  error: Error | null;
  status: TSyncStatus;
  refetch: () => Promise<void>;
  /** Whether `start` (for `dentistId`, or any dentist) is free in the latest fetch. */
  isFree: (start: string, dentistId: string | null) => boolean;
}

type TState = {
  key: string;
  slots: TAvailableSlot[];
  taken: Record<string, TAvailableSlot>;
  isLoaded: boolean;
  error: Error | null;
};

/**
 * The free start times of one clinic day for a treatment (and dentist, or any), kept live: the clinic's
 * availability topic says which windows changed and only a change inside this day triggers a re-fetch.
 * A slot that disappears stays in its place marked taken, so the grid never jumps under the pointer.
 */
export function useLiveSlots(query: {
  clinicId: string;
  serviceId: string | null;
  dentistId: string | null;
  date: string | null;
  timeZone: string;
}): TLiveSlots {
  const client = useSupabase();
  const { clinicId, serviceId, dentistId, date, timeZone } = query;
  const bounds = useMemo(() => {
    if (!date) return null;
    const { start, end } = localDayBounds(date, timeZone);
    return { from: start.toISOString(), to: end.toISOString() };
  }, [date, timeZone]);
  const key = [serviceId, dentistId ?? 'any', date].join('|');
  const isEnabled = Boolean(serviceId && bounds);

  const [state, setState] = useState<TState>({ key, slots: [], taken: {}, isLoaded: false, error: null });
  const requestSeq = useRef(0);

  const applyResult = useCallback(
    (seq: number, result: { slots: TAvailableSlot[] } | { error: Error }) => {
      if (seq !== requestSeq.current) return; // a newer request is on its way
      setState((prev) => {
        const previous = prev.key === key ? prev : { slots: [], taken: {} };
        if ('error' in result) return { ...previous, key, isLoaded: true, error: result.error };
        const free = new Set(result.slots.map((slot) => `${slot.start}|${slot.dentist_id}`));
        const taken: Record<string, TAvailableSlot> = {};
        const now = Date.now();
        for (const slot of [...previous.slots, ...Object.values(previous.taken)]) {
          const id = `${slot.start}|${slot.dentist_id}`;
          if (!free.has(id) && Date.parse(slot.start) > now) taken[id] = slot;
        }
        return { key, slots: result.slots, taken, isLoaded: true, error: null };
      });
    },
    [key],
  );

  const load = useCallback((): Promise<void> | null => {
    if (!serviceId || !bounds) return null;
    const seq = ++requestSeq.current;
    return fetchAvailableSlots(client, {
      clinicId,
      serviceId,
      dentistId,
      from: bounds.from,
      to: bounds.to,
    }).then(
      (slots) => applyResult(seq, { slots }),
      (caught: unknown) =>
        applyResult(seq, {
          error: caught instanceof Error ? caught : new Error('Could not load free times'),
        }),
    );
  }, [client, clinicId, serviceId, dentistId, bounds, applyResult]);

  const refetch = useCallback(async () => {
    await load();
  }, [load]);

  // A new day/treatment/dentist: load at once (the channel may already be live and send nothing).
  useEffect(() => {
    void load();
  }, [load]);

  const { status } = useRealtimeAvailability(
    { clinicId, dentistId, from: bounds?.from, to: bounds?.to, enabled: isEnabled },
    { onSlotsChanged: () => void refetch(), onResync: () => void refetch() },
  );

  const view = state.key === key ? state : null;
  const cells = useMemo(() => {
    if (!view) return [];
    const byStart = new Map<string, TSlotCell>();
    for (const slot of view.slots) {
      const cell = byStart.get(slot.start) ?? {
        start: slot.start,
        end: slot.end,
        dentists: [],
        isTaken: false,
      };
      cell.dentists.push({ id: slot.dentist_id, name: slot.dentist_name });
      byStart.set(slot.start, cell);
    }
    for (const slot of Object.values(view.taken)) {
      if (!byStart.has(slot.start))
        byStart.set(slot.start, {
          start: slot.start,
          end: slot.end,
          dentists: [{ id: slot.dentist_id, name: slot.dentist_name }],
          isTaken: true,
        });
    }
    return [...byStart.values()].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  }, [view]);

  const isFree = useCallback(
    (start: string, wantedDentist: string | null) =>
      (view?.slots ?? []).some(
        (slot) =>
          Date.parse(slot.start) === Date.parse(start) &&
          (!wantedDentist || slot.dentist_id === wantedDentist),
      ),
    [view],
  );

  return {
    cells,
    isLoading: isEnabled && !view?.isLoaded,
    error: view?.error ?? null,
    status,
    refetch,
    isFree,
  };
}
