/** Opening hours as minute intervals on clinic-local days. */
import type { TOpeningHours, TPartOfDay } from './types';
import { timeToMinutes, weekdayOf, type TLocalDate } from './zoned-time';

export type TMinuteInterval = { start: number; end: number };

const NOON = 12 * 60;
const TWO_PM = 14 * 60;
const THREE_PM = 15 * 60;
const FIVE_PM = 17 * 60;
const TEN_AM = 10 * 60;
/** "first thing" is the first hour after opening. */
const FIRST_THING_MINUTES = 60;
/** "early"/"late" are the first/last two hours; "after work" in a clinic closing by 17:00 as well. */
const EDGE_OF_DAY_MINUTES = 120;

function endMinutes(end: string): number {
  return end === '24:00' ? 24 * 60 : timeToMinutes(end);
}

export function intervalsOn(hours: TOpeningHours, date: TLocalDate): TMinuteInterval[] {
  const day = hours[weekdayOf(date)] ?? [];
  return day
    .map((interval) => ({ start: timeToMinutes(interval.start), end: endMinutes(interval.end) }))
    .sort((a, b) => a.start - b.start);
}

/** Intervals still ahead: on today only the part after `nowMinutes` counts. */
export function remainingIntervals(
  intervals: readonly TMinuteInterval[],
  afterMinutes: number,
): TMinuteInterval[] {
  return intervals
    .filter((interval) => interval.end > afterMinutes)
    .map((interval) => ({ start: Math.max(interval.start, afterMinutes), end: interval.end }));
}

export function envelope(intervals: readonly TMinuteInterval[]): TMinuteInterval | null {
  if (intervals.length === 0) return null;
  return { start: Math.min(...intervals.map((i) => i.start)), end: Math.max(...intervals.map((i) => i.end)) };
}

/** A slot may start at `minute` if an interval covers it; closing time itself is not inside. */
export function isInside(intervals: readonly TMinuteInterval[], minute: number): boolean {
  return intervals.some((interval) => interval.start <= minute && minute < interval.end);
}

/**
 * Part of day → window in clinic wall minutes, defined against the clinic's opening `open` and closing
 * `close` rather than chrono's implied hours (it would put "afternoon" at 15:00). Not yet clipped.
 * Example, Monday 08:00–17:00: morning 08:00–12:00, afternoon 12:00–17:00, evening 17:00–17:00 (empty,
 * so the caller asks again), after work 15:00–17:00 (the last two hours), first thing 08:00–09:00.
 */
export function partOfDayWindow(partOfDay: TPartOfDay, open: number, close: number): TMinuteInterval {
  switch (partOfDay) {
    case 'morning':
      return { start: open, end: NOON };
    case 'late_morning':
      return { start: TEN_AM, end: NOON };
    case 'lunchtime':
      return { start: NOON, end: TWO_PM };
    case 'afternoon':
      return { start: NOON, end: FIVE_PM };
    case 'early_afternoon':
      return { start: NOON, end: TWO_PM };
    case 'late_afternoon':
      return { start: THREE_PM, end: FIVE_PM };
    case 'evening':
      return { start: FIVE_PM, end: close };
    case 'after_work':
      return close > FIVE_PM
        ? { start: FIVE_PM, end: close }
        : { start: close - EDGE_OF_DAY_MINUTES, end: close };
    case 'first_thing':
      return { start: open, end: open + FIRST_THING_MINUTES };
    case 'early':
      return { start: open, end: open + EDGE_OF_DAY_MINUTES };
    case 'late':
      return { start: close - EDGE_OF_DAY_MINUTES, end: close };
  }
}

export function clip(window: TMinuteInterval, bounds: TMinuteInterval): TMinuteInterval | null {
  const start = Math.max(window.start, bounds.start);
  const end = Math.min(window.end, bounds.end);
  return start < end ? { start, end } : null;
}
