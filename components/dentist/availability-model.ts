/**
 * Pure model behind the availability editor: weekly windows as clinic-local "HH:MM" ranges, their
 * validation, the minimal set of writes a save needs, and how many booked patients a change touches.
 * No React, no Supabase: the time zone and "now" are parameters.
 *
 * Minutes since local midnight are the unit throughout; 24:00 is 1440 (availability_rules allows it).
 * An appointment's local span comes from instantToLocal, so DST days are handled where instants are
 * converted. Worked example (Europe/London, 2026-03-29, clocks forward at 01:00 GMT): an appointment
 * 2026-03-29T08:00Z–08:30Z is 09:00–09:30 BST locally, i.e. minutes 540–570 of a Sunday (weekday 0).
 */
import { instantToLocal } from '@/lib/scheduling/time-zone';
import { ACTIVE_STATUSES, type TAppointmentStatus } from '@/lib/domain/appointments';

export const MINUTES_PER_DAY = 24 * 60;
/** 0 = Sunday … 6 = Saturday, as availability_rules.weekday. Shown Monday first. */
export const WEEKDAYS_MONDAY_FIRST = [1, 2, 3, 4, 5, 6, 0] as const;
export const WEEKDAY_NAMES = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
] as const;
/** A dentist rarely needs more; the cap keeps the form usable. */
export const MAX_WINDOWS_PER_DAY = 8;

/** One window being edited. `id` is the availability_rules / availability_overrides row, absent when new. */
export type TWindowDraft = { key: string; id?: string; start: string; end: string };
export type TWeeklyDraft = Readonly<Record<number, readonly TWindowDraft[]>>;

export type TWindowError = 'invalid_time' | 'end_before_start' | 'overlap';

export const WINDOW_ERROR_MESSAGES: Record<TWindowError, string> = {
  invalid_time: 'Enter both times as HH:MM.',
  end_before_start: 'The end must be after the start.',
  overlap: 'This overlaps another window on the same day.',
};

const TIME_RE = /^(\d{2}):(\d{2})(?::\d{2})?$/;

/** "09:30" or "09:30:00" → 570; "24:00" → 1440; anything else → null. */
export function toMinutes(time: string): number | null {
  const match = TIME_RE.exec(time.trim());
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes > 0)) return null;
  return hours * 60 + minutes;
}

/** 570 → "09:30". */
export function fromMinutes(total: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 60))}:${pad(total % 60)}`;
}

/** Database TIME ("09:00:00") → input value ("09:00"). */
export function toInputTime(dbTime: string): string {
  const minutes = toMinutes(dbTime);
  return minutes === null ? dbTime : fromMinutes(minutes);
}

export type TSpan = { start: number; end: number };

/** Per window: the first problem found, or null. Overlap is reported on both windows involved. */
export function validateDayWindows(
  windows: readonly Pick<TWindowDraft, 'start' | 'end'>[],
): (TWindowError | null)[] {
  const spans = windows.map((w) => ({ start: toMinutes(w.start), end: toMinutes(w.end) }));
  return spans.map((span, index) => {
    if (span.start === null || span.end === null) return 'invalid_time';
    if (span.end <= span.start) return 'end_before_start';
    const overlaps = spans.some(
      (other, j) =>
        j !== index &&
        other.start !== null &&
        other.end !== null &&
        other.end > other.start &&
        other.start < span.end! &&
        span.start! < other.end,
    );
    return overlaps ? 'overlap' : null;
  });
}

export function isWeekValid(draft: TWeeklyDraft): boolean {
  return Object.values(draft).every((windows) =>
    validateDayWindows(windows).every((error) => error === null),
  );
}

/** Valid windows of a day as minute spans, sorted. */
export function toSpans(windows: readonly Pick<TWindowDraft, 'start' | 'end'>[]): TSpan[] {
  const spans: TSpan[] = [];
  for (const window of windows) {
    const start = toMinutes(window.start);
    const end = toMinutes(window.end);
    if (start !== null && end !== null && end > start) spans.push({ start, end });
  }
  return spans.sort((a, b) => a.start - b.start);
}

/** Parts of `before` not covered by `after` (both lists of spans of one day). */
export function subtractSpans(before: readonly TSpan[], after: readonly TSpan[]): TSpan[] {
  let remaining: TSpan[] = before.map((s) => ({ ...s }));
  for (const cut of after) {
    remaining = remaining.flatMap((span) => {
      if (cut.end <= span.start || cut.start >= span.end) return [span];
      const pieces: TSpan[] = [];
      if (cut.start > span.start) pieces.push({ start: span.start, end: cut.start });
      if (cut.end < span.end) pieces.push({ start: cut.end, end: span.end });
      return pieces;
    });
  }
  return remaining;
}

export type TRuleRow = { id: string; weekday: number; start_time: string; end_time: string };

/** The weekly plan as saved, grouped by weekday, as drafts (keys = row ids). */
export function draftFromRules(rules: readonly TRuleRow[]): Record<number, TWindowDraft[]> {
  const draft: Record<number, TWindowDraft[]> = { 0: [], 1: [], 2: [], 3: [], 4: [], 5: [], 6: [] };
  for (const rule of rules) {
    draft[rule.weekday]?.push({
      key: rule.id,
      id: rule.id,
      start: toInputTime(rule.start_time),
      end: toInputTime(rule.end_time),
    });
  }
  for (const day of Object.keys(draft))
    draft[Number(day)].sort((a, b) => (toMinutes(a.start) ?? 0) - (toMinutes(b.start) ?? 0));
  return draft;
}

export type TWeeklyWrites = {
  /** Rows to delete: removed windows and changed ones (re-inserted below). */
  deleteIds: string[];
  /** Rows to insert: new windows and the new shape of changed ones. */
  inserts: { weekday: number; start_time: string; end_time: string }[];
};

/**
 * The writes that turn the saved rules into the draft. A changed window is deleted and re-inserted
 * rather than updated in place: the rows of one weekday may not overlap at any moment (exclusion
 * constraint), and with all deletes first no intermediate state can overlap.
 */
export function weeklyWrites(saved: readonly TRuleRow[], draft: TWeeklyDraft): TWeeklyWrites {
  const savedById = new Map(saved.map((rule) => [rule.id, rule]));
  const keptIds = new Set<string>();
  const inserts: TWeeklyWrites['inserts'] = [];
  for (const [day, windows] of Object.entries(draft)) {
    const weekday = Number(day);
    for (const window of windows) {
      const original = window.id ? savedById.get(window.id) : undefined;
      const unchanged =
        original !== undefined &&
        original.weekday === weekday &&
        toMinutes(original.start_time) === toMinutes(window.start) &&
        toMinutes(original.end_time) === toMinutes(window.end);
      if (unchanged && window.id) keptIds.add(window.id);
      else inserts.push({ weekday, start_time: window.start, end_time: window.end });
    }
  }
  const deleteIds = saved.filter((rule) => !keptIds.has(rule.id)).map((rule) => rule.id);
  return { deleteIds, inserts };
}

export type TBookedAppointment = {
  id: string;
  patient_id: string;
  starts_at: string;
  ends_at: string;
  status: TAppointmentStatus;
};

type TLocalSpan = { date: string; weekday: number; span: TSpan };

/** An appointment's clinic-local date, weekday and minutes (an end past midnight is clamped to 24:00). */
export function localSpan(
  appointment: Pick<TBookedAppointment, 'starts_at' | 'ends_at'>,
  timeZone: string,
): TLocalSpan {
  const start = instantToLocal(new Date(appointment.starts_at), timeZone);
  const end = instantToLocal(new Date(appointment.ends_at), timeZone);
  const startMinutes = toMinutes(start.time) ?? 0;
  const endMinutes = end.date === start.date ? (toMinutes(end.time) ?? MINUTES_PER_DAY) : MINUTES_PER_DAY;
  return { date: start.date, weekday: start.weekday, span: { start: startMinutes, end: endMinutes } };
}

function intersectsAny(span: TSpan, spans: readonly TSpan[]): boolean {
  return spans.some((s) => s.start < span.end && span.start < s.end);
}

function isUpcomingActive(appointment: TBookedAppointment, now: number): boolean {
  return (
    (ACTIVE_STATUSES as readonly string[]).includes(appointment.status) &&
    Date.parse(appointment.ends_at) > now
  );
}

/**
 * Upcoming active appointments that lie in hours the weekly change removes. Dates with an override
 * keep their own hours, so a weekly change does not touch them.
 */
export function appointmentsAffectedByWeeklyChange(input: {
  appointments: readonly TBookedAppointment[];
  saved: readonly TRuleRow[];
  draft: TWeeklyDraft;
  overrideDates: ReadonlySet<string>;
  timeZone: string;
  now: number;
}): TBookedAppointment[] {
  const before = draftFromRules(input.saved);
  const removedByDay = new Map<number, TSpan[]>();
  for (let weekday = 0; weekday < 7; weekday += 1) {
    removedByDay.set(
      weekday,
      subtractSpans(toSpans(before[weekday] ?? []), toSpans(input.draft[weekday] ?? [])),
    );
  }
  return input.appointments.filter((appointment) => {
    if (!isUpcomingActive(appointment, input.now)) return false;
    const local = localSpan(appointment, input.timeZone);
    if (input.overrideDates.has(local.date)) return false;
    return intersectsAny(local.span, removedByDay.get(local.weekday) ?? []);
  });
}

/** Upcoming active appointments on `date` that the new hours of that date (empty = day off) do not contain. */
export function appointmentsAffectedByOverride(input: {
  appointments: readonly TBookedAppointment[];
  date: string;
  windows: readonly Pick<TWindowDraft, 'start' | 'end'>[];
  timeZone: string;
  now: number;
}): TBookedAppointment[] {
  const spans = toSpans(input.windows);
  return input.appointments.filter((appointment) => {
    if (!isUpcomingActive(appointment, input.now)) return false;
    const local = localSpan(appointment, input.timeZone);
    if (local.date !== input.date) return false;
    return !spans.some((s) => s.start <= local.span.start && local.span.end <= s.end);
  });
}

/** Upcoming active appointments overlapping a time-off range given as clinic-local "YYYY-MM-DDTHH:MM". */
export function appointmentsAffectedByTimeOff(input: {
  appointments: readonly TBookedAppointment[];
  startsLocal: string;
  endsLocal: string;
  timeZone: string;
  now: number;
}): TBookedAppointment[] {
  const key = (date: string, minutes: number) => `${date}T${fromMinutes(minutes)}`;
  return input.appointments.filter((appointment) => {
    if (!isUpcomingActive(appointment, input.now)) return false;
    const local = localSpan(appointment, input.timeZone);
    // ISO-like local keys compare correctly as strings.
    const start = key(local.date, local.span.start);
    const end = key(local.date, local.span.end);
    return start < input.endsLocal && input.startsLocal < end;
  });
}

/** "1 patient (1 appointment)" / "2 patients (3 appointments)": people first, visits for the front desk. */
export function affectedLabel(affected: readonly Pick<TBookedAppointment, 'patient_id'>[]): string {
  const patients = new Set(affected.map((a) => a.patient_id)).size;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(patients, 'patient')} (${plural(affected.length, 'appointment')})`;
}
