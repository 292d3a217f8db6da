/**
 * Labels and clinic-time formatting shared by the dentist workspace and the admin board. Every time
 * is shown in the clinic's zone (never the browser's), and the zone is named where times appear.
 */
import type { TAppointmentStatus } from '@/lib/domain/appointments';
import { nextStatuses } from '@/lib/scheduling/status';

export const STATUS_LABELS: Record<TAppointmentStatus, string> = {
  scheduled: 'Scheduled',
  confirmed: 'Confirmed',
  checked_in: 'Checked in',
  in_chair: 'In chair',
  completed: 'Completed',
  cancelled: 'Cancelled',
  late_cancel: 'Late cancel',
  no_show: 'No-show',
};

/** Card colours per status: colour only, never size, so a status change cannot move the layout. */
export const STATUS_STYLES: Record<TAppointmentStatus, string> = {
  scheduled: 'border-sky-300 bg-sky-50 text-sky-950',
  confirmed: 'border-brand-500 bg-brand-50 text-brand-900',
  checked_in: 'border-amber-400 bg-amber-50 text-amber-950',
  in_chair: 'border-violet-400 bg-violet-50 text-violet-950',
  completed: 'border-emerald-400 bg-emerald-50 text-emerald-950',
  cancelled: 'border-slate-300 bg-slate-100 text-slate-500 line-through',
  late_cancel: 'border-slate-300 bg-slate-100 text-slate-500 line-through',
  no_show: 'border-red-300 bg-red-50 text-red-900',
};

/** Buttons for the workflow: what each target status is called as an action. */
export const STATUS_ACTION_LABELS: Partial<Record<TAppointmentStatus, string>> = {
  confirmed: 'Confirm',
  checked_in: 'Check in',
  in_chair: 'In chair',
  completed: 'Complete',
  no_show: 'No-show',
  cancelled: 'Cancel appointment',
};

/**
 * The actions offered for an appointment: the allowed next statuses (lib/scheduling mirrors the
 * database), minus late_cancel, which the database picks itself when a cancellation is late.
 */
export function statusActions(
  status: TAppointmentStatus,
  allowed?: readonly TAppointmentStatus[],
): TAppointmentStatus[] {
  return nextStatuses(status).filter((to) => to !== 'late_cancel' && (!allowed || allowed.includes(to)));
}

export function formatTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

export function formatTimeRange(startsAt: string, endsAt: string, timeZone: string): string {
  return `${formatTime(startsAt, timeZone)}–${formatTime(endsAt, timeZone)}`;
}

/** "Tue 24 Nov 2026" for a clinic-local calendar date (formatted at UTC noon so no zone shifts it). */
export function formatLocalDate(
  date: string,
  options: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' },
): string {
  return new Intl.DateTimeFormat('en-GB', { ...options, timeZone: 'UTC' }).format(
    new Date(`${date}T12:00:00Z`),
  );
}

/** The zone's short name at an instant ("GMT", "BST"), to label times on screen. */
export function zoneAbbreviation(timeZone: string, at: Date = new Date()): string {
  const part = new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'short' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? timeZone;
}

/** YYYY-MM-DD ± days, in calendar arithmetic (no instants, so no DST surprises). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** A YYYY-MM-DD that is a real calendar date, else null. */
export function parseDateParam(value: unknown): string | null {
  if (typeof value !== 'string' || !DATE_RE.test(value)) return null;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value ? value : null;
}

/** Monday of the week containing `date`. */
export function startOfWeek(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((weekday + 6) % 7));
}
