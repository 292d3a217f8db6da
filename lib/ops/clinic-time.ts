/**
 * "Today" and "this week" in the clinic's time zone, as half-open instant ranges [start, end).
 * Weeks start on Monday (ISO 8601), as clinic rotas do.
 *
 * Worked example (Europe/London; clocks go back at 02:00 BST on Sunday 2026-10-25):
 *   now = 2026-10-25T12:00:00Z = 12:00 GMT on Sunday 2026-10-25
 *   day  = [2026-10-24T23:00:00Z, 2026-10-26T00:00:00Z)   (midnight BST → midnight GMT: 25 hours)
 *   week = [2026-10-18T23:00:00Z, 2026-10-26T00:00:00Z)   (Monday 19 Oct 00:00 BST → Monday 26 Oct 00:00 GMT)
 */
import { instantToLocal, localDayBounds, localToInstant } from '@/lib/scheduling/time-zone';

export interface TInstantRange {
  start: Date;
  end: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const DAYS_PER_WEEK = 7;

/** YYYY-MM-DD plus whole days, on the calendar (no time zone involved). */
function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d) + days * DAY_MS).toISOString().slice(0, 10);
}

export function clinicDayAndWeek(now: Date, timeZone: string): { day: TInstantRange; week: TInstantRange } {
  const local = instantToLocal(now, timeZone);
  // weekday: 0 = Sunday … 6 = Saturday; days since Monday: Mon 0, Tue 1, … Sun 6.
  const mondayDate = addDays(local.date, -((local.weekday + 6) % DAYS_PER_WEEK));
  return {
    day: localDayBounds(local.date, timeZone),
    week: {
      start: localToInstant(mondayDate, '00:00', timeZone),
      end: localToInstant(addDays(mondayDate, DAYS_PER_WEEK), '00:00', timeZone),
    },
  };
}
