/**
 * Clinic-local calendar arithmetic that never looks at the machine's time zone.
 *
 * Local dates are `YYYY-MM-DD` strings and local times `HH:MM` strings, both in the clinic's IANA zone.
 * Day arithmetic runs on UTC day numbers (a calendar date has no zone), and the only bridge between a
 * wall time and an instant is `Intl.DateTimeFormat` with an explicit `timeZone`, so the results are the
 * same whether the process runs with TZ=UTC, TZ=Pacific/Auckland or anything else.
 */

// The Intl plumbing (formatter cache, wall-clock parts, offsets, zone validation) is the scheduling
// domain's; this module adds calendar arithmetic and its own reading of repeated wall times.
import { offsetMinutes as offsetMinutesAt, wallClockParts } from '@/lib/scheduling/time-zone';

export { isValidTimeZone, offsetMinutes as offsetMinutesAt } from '@/lib/scheduling/time-zone';

export type TLocalDate = string;
export type TLocalTime = string;

/** 0 = Sunday … 6 = Saturday, as `Date#getUTCDay` and Postgres `extract(dow …)`. */
export type TWeekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export const MINUTES_PER_DAY = 24 * 60;
const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = MINUTES_PER_DAY * MS_PER_MINUTE;
/**
 * A wall time is at most ±14 h from the same digits read as UTC, and real zones never change offset twice
 * within two days, so the offsets one day either side are the only ones a wall time can have.
 */
const TRANSITION_PROBE_MS = MINUTES_PER_DAY * MS_PER_MINUTE;

const LOCAL_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

export type TZonedParts = { date: TLocalDate; time: TLocalTime; minutes: number; weekday: TWeekday };

/** The clinic-local calendar day, wall time and weekday of an instant. */
export function toZonedParts(instant: Date, timeZone: string): TZonedParts {
  const wall = wallClockParts(instant, timeZone);
  const date = formatLocalDate(wall.year, wall.month, wall.day);
  const minutes = wall.hour * 60 + wall.minute;
  return { date, time: minutesToTime(minutes), minutes, weekday: weekdayOf(date) };
}

/**
 * The UTC instant at which the clinic's wall clock shows `date time`.
 *
 * Worked example (Europe/London, clocks go forward on Sunday 2026-03-29 at 01:00 UTC):
 *   2026-03-27 09:00 → offset 0 (GMT)   → 2026-03-27T09:00:00Z
 *   2026-03-30 09:00 → offset +60 (BST) → 09:00 − 60 min = 2026-03-30T08:00:00Z
 *   2026-03-29 01:30 does not exist (01:00 GMT jumps to 02:00 BST): we use the offset in force before the
 *   gap (0), giving 2026-03-29T01:30:00Z, which the clock shows as 02:30 BST — "shift forward by the gap".
 * America/New_York on 2026-11-01, 01:30 happens twice (EDT then EST): 05:30Z and 06:30Z; the earlier one
 * (05:30Z) is returned, matching Temporal's "compatible" disambiguation.
 */
export function zonedWallTimeToUtc(date: TLocalDate, time: TLocalTime, timeZone: string): Date {
  const { year, month, day } = parseLocalDate(date);
  const wallAsUtc = Date.UTC(year, month - 1, day) + timeToMinutes(time) * MS_PER_MINUTE;
  const offsetBefore = offsetMinutesAt(new Date(wallAsUtc - TRANSITION_PROBE_MS), timeZone);
  const offsetAfter = offsetMinutesAt(new Date(wallAsUtc + TRANSITION_PROBE_MS), timeZone);
  const valid: number[] = [];
  for (const offset of new Set([offsetBefore, offsetAfter])) {
    const candidate = wallAsUtc - offset * MS_PER_MINUTE;
    if (offsetMinutesAt(new Date(candidate), timeZone) === offset) valid.push(candidate);
  }
  if (valid.length === 0) return new Date(wallAsUtc - offsetBefore * MS_PER_MINUTE);
  return new Date(Math.min(...valid));
}

/** Start of the clinic-local day `date` as a UTC instant (handles 23- and 25-hour days). */
export function startOfLocalDayUtc(date: TLocalDate, timeZone: string): Date {
  return zonedWallTimeToUtc(date, '00:00', timeZone);
}

export function isLocalDate(value: string): boolean {
  const match = LOCAL_DATE_PATTERN.exec(value);
  if (!match) return false;
  const [, y, m, d] = match;
  return formatLocalDate(Number(y), Number(m), Number(d)) === value && Number(m) >= 1 && Number(m) <= 12;
}

export function isLocalTime(value: string): boolean {
  return LOCAL_TIME_PATTERN.test(value);
}

export function parseLocalDate(date: TLocalDate): { year: number; month: number; day: number } {
  const match = LOCAL_DATE_PATTERN.exec(date);
  if (!match) throw new RangeError(`invalid local date: ${date}`);
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

/** Builds a local date; out-of-range days roll over (2026-02-30 → 2026-03-02), as Date.UTC does. */
export function formatLocalDate(year: number, month: number, day: number): TLocalDate {
  const utc = new Date(Date.UTC(year, month - 1, day));
  const y = String(utc.getUTCFullYear()).padStart(4, '0');
  const m = String(utc.getUTCMonth() + 1).padStart(2, '0');
  const d = String(utc.getUTCDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

function dayNumber(date: TLocalDate): number {
  const { year, month, day } = parseLocalDate(date);
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

export function addDays(date: TLocalDate, days: number): TLocalDate {
  const { year, month, day } = parseLocalDate(date);
  return formatLocalDate(year, month, day + days);
}

export function daysBetween(from: TLocalDate, to: TLocalDate): number {
  return dayNumber(to) - dayNumber(from);
}

export function weekdayOf(date: TLocalDate): TWeekday {
  const { year, month, day } = parseLocalDate(date);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() as TWeekday;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Monday-based week start (ISO 8601), as clinics and most of Europe count weeks. */
export function startOfWeek(date: TLocalDate): TLocalDate {
  const offsetFromMonday = (weekdayOf(date) + 6) % 7;
  return addDays(date, -offsetFromMonday);
}

export function timeToMinutes(time: TLocalTime): number {
  const match = LOCAL_TIME_PATTERN.exec(time);
  if (!match) throw new RangeError(`invalid local time: ${time}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** 0…1440 → "00:00"…"24:00" ("24:00" only as an exclusive end of day). */
export function minutesToTime(minutes: number): TLocalTime {
  const clamped = Math.max(0, Math.min(MINUTES_PER_DAY, Math.round(minutes)));
  const h = String(Math.floor(clamped / 60)).padStart(2, '0');
  const m = String(clamped % 60).padStart(2, '0');
  return `${h}:${m}`;
}
