'use client';

import { useCallback, useMemo } from 'react';
import { z } from 'zod';
import { APPOINTMENT_SOURCES, APPOINTMENT_STATUSES } from '@/lib/domain/appointments';
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

/** Columns the views need; the same fields the database broadcasts (no notes or names on the wire). */
export const APPOINTMENT_COLUMNS =
  'id, clinic_id, dentist_id, patient_id, service_id, status, source, version, starts_at, ends_at';

const ZAppointmentRow = z.object({
  id: z.string(),
  clinic_id: z.string(),
  dentist_id: z.string(),
  patient_id: z.string(),
  service_id: z.string(),
  status: z.enum(APPOINTMENT_STATUSES),
  source: z.enum(APPOINTMENT_SOURCES),
  version: z.number().int(),
  starts_at: z.string(),
  ends_at: z.string(),
});

/** Snapshot rows are capped; views that need more narrow the window (from/to). */
export const MAX_APPOINTMENT_ROWS = 1_000;

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
    let query = client.from('appointments').select(APPOINTMENT_COLUMNS);
    if (role === 'patient' && userId) query = query.eq('patient_id', userId);
    else if (dentistId) query = query.eq('dentist_id', dentistId);
    else if (clinicId) query = query.eq('clinic_id', clinicId);
    if (from) query = query.gt('ends_at', from);
    if (to) query = query.lt('starts_at', to);
    if (cancelled === 'remove') query = query.not('status', 'in', `(${CANCELLED_STATUSES.join(',')})`);
    const { data, error } = await query.order('starts_at', { ascending: true }).limit(MAX_APPOINTMENT_ROWS);
    if (error) throw error;
    return z.array(ZAppointmentRow).parse(data ?? []);
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
