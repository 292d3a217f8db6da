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
