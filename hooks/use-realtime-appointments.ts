'use client';

import { useCallback, useMemo } from 'react';
import { listAppointments } from '@/lib/data/appointments';
import { topics } from '@/lib/domain/realtime';
import {
  appointmentDelta,
  CANCELLED_STATUSES,
  REALTIME_EVENTS,
  type TAppointmentChanged,
  type TAppointmentRow,
  type TScheduleEvent,
} from '@/lib/realtime';
import { useRealtimeSync, type TRealtimeSyncResult } from './use-realtime-sync';
import { useSupabase } from './use-supabase';

export { APPOINTMENT_COLUMNS, MAX_APPOINTMENT_ROWS } from '@/lib/data/appointments';

export type TAppointmentsRole = 'patient' | 'dentist' | 'admin';

export interface TRealtimeAppointmentsOptions {
  /** The signed-in user (a patient's topic is their user id). Null/undefined disables the hook. */
  userId: string | null | undefined;
  role: TAppointmentsRole;
  /** Admins: the clinic whose schedule to follow. */
  clinicId?: string | null;
  /** Dentists: their dentist id; admins: narrow the clinic schedule to one dentist's topic. */
  dentistId?: string | null;
  /** Optional window [from, to) (ISO instants); rows outside are left out and moved-out rows removed. */
  from?: string;
  to?: string;
  /** How a cancellation shows: kept with its status ('mark', default for patients) or dropped ('remove'). */
  cancelled?: 'mark' | 'remove';
}

export interface TRealtimeAppointmentsCallbacks {
  onInsert?: (row: TAppointmentRow) => void;
  onUpdate?: (row: TAppointmentRow, old: TAppointmentChanged['old']) => void;
  onCancel?: (row: TAppointmentRow) => void;
  onError?: (error: Error) => void;
}

/** The private topic a role listens to, per lib/domain (null when the ids it needs are missing). */
export function appointmentTopicFor(
  options: Pick<TRealtimeAppointmentsOptions, 'userId' | 'role' | 'clinicId' | 'dentistId'>,
): string | null {
  if (!options.userId) return null;
  switch (options.role) {
    case 'patient':
      return topics.patientAppointments(options.userId);
    case 'dentist':
      return options.dentistId ? topics.dentistSchedule(options.dentistId) : null;
    case 'admin':
      if (options.dentistId) return topics.dentistSchedule(options.dentistId);
      return options.clinicId ? topics.clinicSchedule(options.clinicId) : null;
  }
}

function isInWindow(row: { starts_at: string; ends_at: string }, from?: string, to?: string): boolean {
  if (from && Date.parse(row.ends_at) <= Date.parse(from)) return false;
  if (to && Date.parse(row.starts_at) >= Date.parse(to)) return false;
  return true;
}

const APPOINTMENT_EVENTS = [REALTIME_EVENTS.appointmentChanged] as const;

/**
 * A role's live appointment list: the patient's own appointments, a dentist's calendar or a clinic's
 * schedule, from the matching private topic plus a snapshot query under RLS. Callbacks fire for live
 * changes only (not for snapshot rows), e.g. for toasts.
 */
export function useRealtimeAppointments(
  options: TRealtimeAppointmentsOptions,
  callbacks: TRealtimeAppointmentsCallbacks = {},
): TRealtimeSyncResult<TAppointmentRow> {
  const client = useSupabase();
  const { userId, role, clinicId, dentistId, from, to } = options;
  const cancelled = options.cancelled ?? (role === 'patient' ? 'mark' : 'remove');
  const topic = appointmentTopicFor({ userId, role, clinicId, dentistId });
  const topicList = useMemo(() => (topic ? [topic] : []), [topic]);

  const fetchSnapshot = useCallback(async (): Promise<readonly TAppointmentRow[]> => {
    const result = await listAppointments(client, {
      patientId: role === 'patient' && userId ? userId : undefined,
      dentistId: dentistId ?? undefined,
      clinicId: clinicId ?? undefined,
      from,
      to,
      excludeStatuses: cancelled === 'remove' ? CANCELLED_STATUSES : undefined,
    });
    if (!result.ok) throw new Error(result.error.detail);
    return result.data;
  }, [client, role, userId, dentistId, clinicId, from, to, cancelled]);

  const toDelta = useCallback(
    (event: TScheduleEvent, receivedAt: number) => {
      if (event.event !== REALTIME_EVENTS.appointmentChanged) return null;
      return appointmentDelta(event.payload, {
        receivedAt,
        onCancel: cancelled,
        isInScope: (row) => isInWindow(row, from, to),
      });
    },
    [cancelled, from, to],
  );

  return useRealtimeSync<TAppointmentRow>(
    {
      topics: topicList,
      events: APPOINTMENT_EVENTS,
      fetchSnapshot,
      toDelta,
      snapshotKey: [topic, from, to, cancelled].join('|'),
      enabled: topic !== null,
    },
    {
      onError: callbacks.onError,
      onEvent: (event) => {
        if (event.event !== REALTIME_EVENTS.appointmentChanged) return;
        const { operation: _operation, old, ...row } = event.payload;
        if (event.payload.operation === 'INSERT') callbacks.onInsert?.(row);
        else if (
          CANCELLED_STATUSES.includes(row.status) &&
          (!old || !CANCELLED_STATUSES.includes(old.status))
        )
          callbacks.onCancel?.(row);
        else callbacks.onUpdate?.(row, old);
      },
    },
  );
}
