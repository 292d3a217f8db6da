/**
 * The appointment workflow, mirrored from `private.is_allowed_transition` (the database decides;
 * the UI uses this to offer only buttons that can succeed). An integration test checks that both
 * agree for every pair of statuses.
 *
 *   scheduled → confirmed → checked_in → in_chair → completed
 *   scheduled → checked_in (confirmation is optional)
 *   any active status → cancelled | late_cancel | no_show
 */
import { ACTIVE_STATUSES, BLOCKING_STATUSES, type TAppointmentStatus } from '../domain/appointments';

const ENDINGS: readonly TAppointmentStatus[] = ['cancelled', 'late_cancel', 'no_show'];

const FORWARD: Readonly<Record<TAppointmentStatus, readonly TAppointmentStatus[]>> = {
  scheduled: ['confirmed', 'checked_in'],
  confirmed: ['checked_in'],
  checked_in: ['in_chair'],
  in_chair: ['completed'],
  completed: [],
  cancelled: [],
  late_cancel: [],
  no_show: [],
};

export function isActiveStatus(status: TAppointmentStatus): boolean {
  return (ACTIVE_STATUSES as readonly TAppointmentStatus[]).includes(status);
}

/** Whether an appointment in this status occupies the dentist's time. */
export function isBlockingStatus(status: TAppointmentStatus): boolean {
  return (BLOCKING_STATUSES as readonly TAppointmentStatus[]).includes(status);
}

export function nextStatuses(from: TAppointmentStatus): TAppointmentStatus[] {
  return isActiveStatus(from) ? [...FORWARD[from], ...ENDINGS] : [];
}

export function canTransition(from: TAppointmentStatus, to: TAppointmentStatus): boolean {
  return nextStatuses(from).includes(to);
}

/**
 * Whether cancelling now would count as a late cancellation: strictly less than `cutoffHours`
 * before the start. Example: start 2026-03-30T09:00Z, cutoff 24 h → late from 2026-03-29T09:00:00.001Z.
 */
export function isLateCancellation(startsAt: Date, now: Date, cutoffHours: number): boolean {
  return now.getTime() > startsAt.getTime() - cutoffHours * 3_600_000;
}

/**
 * The clinic's status windows (public.clinics.check_in_opens_minutes / no_show_after_minutes);
 * the database enforces them in set_appointment_status, the UI mirrors them to explain early.
 */
export interface TStatusWindows {
  /** Check-in, in-chair and completed are accepted from this many minutes before the start. */
  checkInOpensMinutes: number;
  /** No-show is accepted from this many minutes after the start. */
  noShowAfterMinutes: number;
}

/** The database defaults of the two clinic settings. */
export const DEFAULT_STATUS_WINDOWS: TStatusWindows = { checkInOpensMinutes: 60, noShowAfterMinutes: 0 };

/** The windows from the clinic row's columns. */
export function toStatusWindows(clinic: {
  check_in_opens_minutes: number;
  no_show_after_minutes: number;
}): TStatusWindows {
  return {
    checkInOpensMinutes: clinic.check_in_opens_minutes,
    noShowAfterMinutes: clinic.no_show_after_minutes,
  };
}

/** How long the toast after a staff status change offers Undo (the database accepts it a little longer). */
export const UNDO_WINDOW_MS = 10_000;

/** Changes that end a visit for the patient: staff confirm them first and can undo them. */
export const DESTRUCTIVE_STATUSES: readonly TAppointmentStatus[] = ['cancelled', 'late_cancel', 'no_show'];

export function isDestructiveStatus(status: TAppointmentStatus): boolean {
  return DESTRUCTIVE_STATUSES.includes(status);
}

/**
 * The first instant `status` may be set for a visit starting at `startsAt`, or null when the status
 * has no window (confirm, cancel). No upper bound: a no-show can be recorded after the fact.
 * Example: start 10:00, windows {60, 0} → checked_in from 09:00, no_show from 10:00.
 */
export function statusOpensAt(
  status: TAppointmentStatus,
  startsAt: Date,
  windows: TStatusWindows,
): Date | null {
  if (status === 'checked_in' || status === 'in_chair' || status === 'completed') {
    return new Date(startsAt.getTime() - windows.checkInOpensMinutes * 60_000);
  }
  if (status === 'no_show') return new Date(startsAt.getTime() + windows.noShowAfterMinutes * 60_000);
  return null;
}

/** Whether `status` may be set at `now` (mirrors private.ensure_status_window). */
export function isStatusOpen(
  status: TAppointmentStatus,
  startsAt: Date,
  now: Date,
  windows: TStatusWindows,
): boolean {
  const opensAt = statusOpensAt(status, startsAt, windows);
  return opensAt === null || now.getTime() >= opensAt.getTime();
}
