/**
 * Geometry of the live board's timeline: which hours a day shows and where an appointment sits, in
 * clinic-local minutes. Pure: the date, the zone and "now" are parameters.
 *
 * Positions come from local wall-clock minutes, so on a DST day the grid shows local hours as people
 * read them. Worked example (Europe/London, 2026-10-25, clocks back at 02:00 BST): a visit at
 * 2026-10-25T10:00Z is 10:00 GMT locally → minute 600 → top = (600 − 420) × 1.6 = 288 px with the
 * default 07:00 start.
 */
import { instantToLocal } from '@/lib/scheduling/time-zone';

export const PX_PER_MINUTE = 1.6;
export const DEFAULT_DAY_START_MINUTES = 7 * 60;
export const DEFAULT_DAY_END_MINUTES = 20 * 60;
/** A card is never shorter than this, so a 5-minute visit stays clickable and legible. */
export const MIN_CARD_HEIGHT_PX = 24;
const HOUR = 60;
const DAY_MINUTES = 24 * HOUR;

/** Minutes since local midnight of `date` for an instant, clamped to [0, 1440]. */
export function minutesIntoDay(iso: string, date: string, timeZone: string): number {
  const local = instantToLocal(new Date(iso), timeZone);
  if (local.date < date) return 0;
  if (local.date > date) return DAY_MINUTES;
  const [h, m] = local.time.split(':').map(Number);
  return h * HOUR + m;
}

export type TDayRange = { start: number; end: number };

/** Working day shown: 07:00–20:00, widened to whole hours around any appointment outside it. */
export function dayRange(
  items: readonly { starts_at: string; ends_at: string }[],
  date: string,
  timeZone: string,
): TDayRange {
  let start = DEFAULT_DAY_START_MINUTES;
  let end = DEFAULT_DAY_END_MINUTES;
  for (const item of items) {
    start = Math.min(start, Math.floor(minutesIntoDay(item.starts_at, date, timeZone) / HOUR) * HOUR);
    end = Math.max(end, Math.ceil(minutesIntoDay(item.ends_at, date, timeZone) / HOUR) * HOUR);
  }
  return { start, end };
}

export function rangeHeight(range: TDayRange): number {
  return (range.end - range.start) * PX_PER_MINUTE;
}

/** Top and height (px) of a card in a column of `range`. */
export function cardBox(
  item: { starts_at: string; ends_at: string },
  date: string,
  timeZone: string,
  range: TDayRange,
): { top: number; height: number } {
  const start = Math.max(range.start, minutesIntoDay(item.starts_at, date, timeZone));
  const end = Math.min(range.end, minutesIntoDay(item.ends_at, date, timeZone));
  return {
    top: (start - range.start) * PX_PER_MINUTE,
    height: Math.max(MIN_CARD_HEIGHT_PX, (end - start) * PX_PER_MINUTE),
  };
}

/** The now-line's offset (px), or null when `now` is not on `date` or outside the shown hours. */
export function nowLineOffset(now: Date, date: string, timeZone: string, range: TDayRange): number | null {
  const local = instantToLocal(now, timeZone);
  if (local.date !== date) return null;
  const [h, m] = local.time.split(':').map(Number);
  const minutes = h * HOUR + m + now.getUTCSeconds() / 60;
  if (minutes < range.start || minutes > range.end) return null;
  return (minutes - range.start) * PX_PER_MINUTE;
}

/** Hour marks for the grid's left rail: [{minutes, label:"09:00"}]. */
export function hourMarks(range: TDayRange): { minutes: number; label: string }[] {
  const marks: { minutes: number; label: string }[] = [];
  for (let m = Math.ceil(range.start / HOUR) * HOUR; m < range.end; m += HOUR) {
    marks.push({ minutes: m, label: `${String(m / HOUR).padStart(2, '0')}:00` });
  }
  return marks;
}
