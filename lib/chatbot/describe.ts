/** Short English phrases for days, parts of day and times, used in replies and clarification questions. */
import type { TChatbotQuery, TPartOfDay } from './types';
import { daysBetween, minutesToTime, parseLocalDate, type TLocalDate } from './zoned-time';

/** Within this many days a weekday name alone is clear ("on Friday"); beyond it the date is added. */
const NEAR_DAYS = 6;

const dayFormatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
});
const weekdayFormatter = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long' });

function calendarDate(date: TLocalDate): Date {
  const { year, month, day } = parseLocalDate(date);
  return new Date(Date.UTC(year, month - 1, day));
}

/** "Friday 3 April" (calendar dates carry no zone, so UTC formatting is exact). */
export function longDay(date: TLocalDate): string {
  return dayFormatter.format(calendarDate(date));
}

/** "today", "tomorrow", "on Friday", "on Friday 10 April". */
export function dayPhrase(date: TLocalDate, today: TLocalDate): string {
  const ahead = daysBetween(today, date);
  if (ahead === 0) return 'today';
  if (ahead === 1) return 'tomorrow';
  if (ahead > 1 && ahead <= NEAR_DAYS) return `on ${weekdayFormatter.format(calendarDate(date))}`;
  return `on ${longDay(date)}`;
}

export function rangePhrase(from: TLocalDate, to: TLocalDate, today: TLocalDate): string {
  if (from === to) return dayPhrase(from, today);
  return `between ${longDay(from)} and ${longDay(to)}`;
}

const PART_OF_DAY_NOUNS: Partial<Record<TPartOfDay, string>> = {
  morning: 'morning',
  late_morning: 'late morning',
  afternoon: 'afternoon',
  early_afternoon: 'early afternoon',
  late_afternoon: 'late afternoon',
  evening: 'evening',
};

const PART_OF_DAY_ADVERBS: Partial<Record<TPartOfDay, string>> = {
  lunchtime: 'at lunchtime',
  after_work: 'after work',
  first_thing: 'first thing',
  early: 'early',
  late: 'late in the day',
};

/** "this afternoon", "tomorrow morning", "on Friday afternoon", "after work on Monday", "in the afternoon". */
export function whenPhrase(
  query: Pick<TChatbotQuery, 'dateRange' | 'partOfDay' | 'exactTime' | 'timeWindow'>,
  today: TLocalDate,
): string {
  const parts: string[] = [];
  const range = query.dateRange;
  const noun = query.partOfDay ? PART_OF_DAY_NOUNS[query.partOfDay] : undefined;
  const adverb = query.partOfDay ? PART_OF_DAY_ADVERBS[query.partOfDay] : undefined;
  if (range && range.from === range.to) {
    const day = dayPhrase(range.from, today);
    const ahead = daysBetween(today, range.from);
    if (noun) {
      if (ahead === 0) parts.push(`this ${noun}`);
      else if (ahead === 1 || ahead <= NEAR_DAYS) parts.push(`${day} ${noun}`);
      else parts.push(`on the ${noun} of ${longDay(range.from)}`);
    } else if (adverb) {
      parts.push(`${adverb} ${day}`);
    } else {
      parts.push(day);
    }
  } else {
    if (range) parts.push(rangePhrase(range.from, range.to, today));
    if (noun) parts.push(`in the ${noun}`);
    if (adverb) parts.push(adverb);
  }
  if (query.exactTime) parts.push(`at ${query.exactTime}`);
  else if (query.timeWindow && !query.partOfDay)
    parts.push(`between ${query.timeWindow.start} and ${query.timeWindow.end}`);
  return parts.join(' ');
}

export function hoursSummary(intervals: readonly { start: number; end: number }[]): string {
  return intervals.map((i) => `${minutesToTime(i.start)}–${minutesToTime(i.end)}`).join(' and ');
}

/** "a cleaning", "an extraction". */
export function withArticle(noun: string): string {
  return `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}
