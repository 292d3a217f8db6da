/**
 * Calendar recognisers: week/month ranges, weekday names, month-day dates and "the 3rd" are read here with
 * explicit forward-dating rules; what is left (today, tomorrow, the day after tomorrow, in two weeks,
 * 31/3 …) goes to chrono. Every rule works on clinic-local calendar days, never on instants.
 */
import * as chrono from 'chrono-node';
import type { UnreadText } from './text';
import {
  addDays,
  daysInMonth,
  formatLocalDate,
  parseLocalDate,
  startOfWeek,
  weekdayOf,
  type TLocalDate,
} from './zoned-time';
import {
  MONTH_ABBREVIATIONS,
  MONTH_NAMES,
  ORDINAL_WORDS,
  WEEKDAY_ABBREVIATIONS,
  WEEKDAY_AMBIGUOUS_ABBREVIATIONS,
  WEEKDAY_NAMES,
} from './vocabulary';

export type TDateRange = { from: TLocalDate; to: TLocalDate };

export type TDateReading = {
  /** The days the request is about, or null when no day was named. */
  range: TDateRange | null;
  isAsap: boolean;
  /** "any time", "whenever": understood, no constraint. */
  isFlexible: boolean;
  /** A named date that does not exist (30 February). */
  isInvalid: boolean;
};

/** "next few days" reads as this many days including today. */
const FEW_DAYS = 3;
/** "early in the week" = Monday…Wednesday; "end of the week" = Thursday…Sunday (offsets from Monday). */
const EARLY_WEEK_LAST_OFFSET = 2;
const LATE_WEEK_FIRST_OFFSET = 3;
const DAYS_PER_WEEK = 7;

const WEEKDAY_PATTERN = [...WEEKDAY_NAMES, ...Object.keys(WEEKDAY_ABBREVIATIONS)].join('|');
const MONTH_PATTERN = [...MONTH_NAMES, ...Object.keys(MONTH_ABBREVIATIONS)].join('|');
const ORDINAL_SUFFIX = '(?:st|nd|rd|th)';

function weekdayNumber(word: string): number {
  const full = (WEEKDAY_NAMES as readonly string[]).indexOf(word);
  if (full >= 0) return full;
  return WEEKDAY_ABBREVIATIONS[word] ?? WEEKDAY_AMBIGUOUS_ABBREVIATIONS[word];
}

function monthNumber(word: string): number {
  const full = (MONTH_NAMES as readonly string[]).indexOf(word);
  return full >= 0 ? full + 1 : MONTH_ABBREVIATIONS[word];
}

function weekStartingIn(today: TLocalDate, which: string): TLocalDate {
  const thisMonday = startOfWeek(today);
  if (which === 'this') return thisMonday;
  if (which === 'after next') return addDays(thisMonday, 2 * DAYS_PER_WEEK);
  return addDays(thisMonday, DAYS_PER_WEEK);
}

function endOfMonth(date: TLocalDate): TLocalDate {
  const { year, month } = parseLocalDate(date);
  return formatLocalDate(year, month, daysInMonth(year, month));
}

/** Ranges that name a week, weekend or month ("next week", "early next week", "this weekend", "in April"). */
function takeRange(unread: UnreadText, today: TLocalDate): TDateRange | null {
  let match = unread.take(/\b(?:early|earlier|start|beginning)(?: of| in)?(?: the)? (this|next) week\b/);
  if (match) {
    const monday = weekStartingIn(today, match[1]);
    return { from: monday, to: addDays(monday, EARLY_WEEK_LAST_OFFSET) };
  }
  match = unread.take(/\b(?:late|end|the end)(?: of| in)?(?: the)? (this|next) week\b/);
  if (match) {
    const monday = weekStartingIn(today, match[1]);
    return { from: addDays(monday, LATE_WEEK_FIRST_OFFSET), to: addDays(monday, DAYS_PER_WEEK - 1) };
  }
  if (unread.take(/\blater (?:this week|in the week)\b/)) {
    return { from: addDays(today, 1), to: addDays(startOfWeek(today), DAYS_PER_WEEK - 1) };
  }
  match = unread.take(/\b(this|next|the following|following)? ?weekend\b/);
  if (match) {
    const which = match[1] === undefined || match[1] === 'this' ? 'this' : 'next';
    const saturday = addDays(weekStartingIn(today, which), 5);
    return { from: saturday, to: addDays(saturday, 1) };
  }
  match = unread.take(/\b(?:the )?week after next\b/);
  if (match) {
    const monday = weekStartingIn(today, 'after next');
    return { from: monday, to: addDays(monday, DAYS_PER_WEEK - 1) };
  }
  match = unread.take(/\b(this|next|the following|following|coming) week\b/);
  if (match) {
    const monday = weekStartingIn(today, match[1] === 'this' || match[1] === 'coming' ? 'this' : 'next');
    return { from: monday, to: addDays(monday, DAYS_PER_WEEK - 1) };
  }
  if (unread.take(/\bwithin (?:a|one|the next) week\b/))
    return { from: today, to: addDays(today, DAYS_PER_WEEK - 1) };
  if (unread.take(/\b(?:the )?(?:next|coming) (?:few|couple of|couple) days\b/))
    return { from: today, to: addDays(today, FEW_DAYS - 1) };
  match = unread.take(/\b(this|next) month\b/);
  if (match) {
    if (match[1] === 'this') return { from: today, to: endOfMonth(today) };
    const { year, month } = parseLocalDate(today);
    const first = formatLocalDate(year, month + 1, 1);
    return { from: first, to: endOfMonth(first) };
  }
  // A bare month: "in April", "during May" (a plain "may" is far more often the verb).
  match = unread.take(new RegExp(`\\b(?:in|during|sometime in|some time in) (${MONTH_PATTERN})\\b(?! ?\\d)`));
  if (match) {
    const month = monthNumber(match[1]);
    const { year, month: currentMonth } = parseLocalDate(today);
    if (month === currentMonth) return { from: today, to: endOfMonth(today) };
    const first = formatLocalDate(month > currentMonth ? year : year + 1, month, 1);
    return { from: first, to: endOfMonth(first) };
  }
  return null;
}

type TWeekdayReading = { weekday: number; modifier: 'this' | 'next' | 'last' | 'plain' };

function takeWeekday(unread: UnreadText): TWeekdayReading | null {
  const modifierGroup = '(this|next|coming|the coming|on|last|the following|following)';
  let match = unread.take(new RegExp(`\\b(?:${modifierGroup} )?(${WEEKDAY_PATTERN})s?\\b`));
  if (!match) {
    const ambiguous = Object.keys(WEEKDAY_AMBIGUOUS_ABBREVIATIONS).join('|');
    match = unread.take(new RegExp(`\\b${modifierGroup} (${ambiguous})\\b`));
  }
  if (!match) return null;
  const word = match[1];
  const modifier =
    word === 'this'
      ? 'this'
      : word === 'last'
        ? 'last'
        : word === 'next' || word?.includes('following')
          ? 'next'
          : 'plain';
  return { weekday: weekdayNumber(match[2]), modifier };
}

/**
 * Forward-dating rules for weekday names (weeks start on Monday), said on Friday 2026-03-27:
 *   "Friday" / "on Friday"  → the next Friday strictly after today: 2026-04-03 (someone meaning today says "today")
 *   "this Friday"           → Friday of the current week if not past: 2026-03-27 (today)
 *   "next Friday"           → Friday of next week: 2026-04-03
 *   "last Friday"           → 2026-03-20 (in the past; the caller asks again)
 * Said on Saturday 2026-03-28, "Friday" and "this Friday" both give 2026-04-03 (this week's has passed).
 */
export function resolveWeekday(
  today: TLocalDate,
  reading: TWeekdayReading,
  within: TDateRange | null,
): TLocalDate {
  const mondayOffset = (reading.weekday + 6) % DAYS_PER_WEEK;
  if (within) {
    // "Friday next week": the weekday inside the named range, or the first one on or after its start.
    const delta = (reading.weekday - weekdayOf(within.from) + DAYS_PER_WEEK) % DAYS_PER_WEEK;
    return addDays(within.from, delta);
  }
  switch (reading.modifier) {
    case 'this': {
      const candidate = addDays(startOfWeek(today), mondayOffset);
      return candidate < today ? addDays(candidate, DAYS_PER_WEEK) : candidate;
    }
    case 'next':
      return addDays(startOfWeek(today), DAYS_PER_WEEK + mondayOffset);
    case 'last': {
      const delta = (weekdayOf(today) - reading.weekday + DAYS_PER_WEEK) % DAYS_PER_WEEK || DAYS_PER_WEEK;
      return addDays(today, -delta);
    }
    case 'plain': {
      const delta = (reading.weekday - weekdayOf(today) + DAYS_PER_WEEK) % DAYS_PER_WEEK || DAYS_PER_WEEK;
      return addDays(today, delta);
    }
  }
}

type TExplicitDate = { date: TLocalDate | null; isInvalid: boolean };

/** Builds a date from parts; without a year the first such date on or after today (forward-dating). */
function forwardDate(today: TLocalDate, month: number, day: number, year: number | null): TExplicitDate {
  const { year: thisYear } = parseLocalDate(today);
  const candidates =
    year !== null ? [year] : [thisYear, thisYear + 1, thisYear + 2, thisYear + 3, thisYear + 4];
  for (const candidateYear of candidates) {
    if (day < 1 || day > daysInMonth(candidateYear, month)) continue;
    const date = formatLocalDate(candidateYear, month, day);
    if (year !== null || date >= today) return { date, isInvalid: false };
  }
  return { date: null, isInvalid: true };
}

/** "3 April", "April 3rd", "the 3rd of April 2027". */
function takeMonthDay(unread: UnreadText, today: TLocalDate): TExplicitDate | null {
  let match = unread.take(
    new RegExp(
      `\\b(?:on )?(?:the )?(\\d{1,2})${ORDINAL_SUFFIX}?(?: of)? (${MONTH_PATTERN})(?: (\\d{4}))?\\b`,
    ),
  );
  if (match)
    return forwardDate(today, monthNumber(match[2]), Number(match[1]), match[3] ? Number(match[3]) : null);
  match = unread.take(
    new RegExp(`\\b(?:on )?(${MONTH_PATTERN}) (?:the )?(\\d{1,2})${ORDINAL_SUFFIX}?(?: (\\d{4}))?\\b(?!:)`),
  );
  if (match)
    return forwardDate(today, monthNumber(match[1]), Number(match[2]), match[3] ? Number(match[3]) : null);
  return null;
}

/** "the 3rd", "on the 15th", "the first": this month if still ahead, else the next month that has that day. */
function takeOrdinalDay(unread: UnreadText, today: TLocalDate): TExplicitDate | null {
  const ordinalWords = Object.keys(ORDINAL_WORDS).join('|');
  const match =
    unread.take(new RegExp(`\\b(?:on )?the (\\d{1,2})${ORDINAL_SUFFIX}\\b`)) ??
    unread.take(new RegExp(`\\bon (\\d{1,2})${ORDINAL_SUFFIX}\\b`)) ??
    unread.take(new RegExp(`\\b(?:on )?the (${ordinalWords})\\b`));
  if (!match) return null;
  const day = ORDINAL_WORDS[match[1]] ?? Number(match[1]);
  const { year, month } = parseLocalDate(today);
  for (let ahead = 0; ahead < 12; ahead += 1) {
    const targetMonth = month + ahead;
    const targetYear = year + Math.floor((targetMonth - 1) / 12);
    const normalizedMonth = ((targetMonth - 1) % 12) + 1;
    if (day < 1 || day > daysInMonth(targetYear, normalizedMonth)) continue;
    const date = formatLocalDate(targetYear, normalizedMonth, day);
    if (date >= today) return { date, isInvalid: false };
  }
  return { date: null, isInvalid: true };
}

/**
 * chrono for the casual and relative rest. It gets a reference at local noon of the clinic's "today" built
 * from calendar parts, and only calendar parts are read back, so neither the machine's zone nor a DST
 * change in it can move the day. Its own forwardDate option is not used: it also pushes "last Friday" and
 * "yesterday" into the future, which would hide a past date we want to ask about.
 */
function takeChronoDate(
  unread: UnreadText,
  today: TLocalDate,
  dateOrder: 'DMY' | 'MDY',
): TExplicitDate | null {
  const { year, month, day } = parseLocalDate(today);
  const reference = new Date(year, month - 1, day, 12, 0, 0);
  const parser = dateOrder === 'DMY' ? chrono.en.GB : chrono.en;
  for (const result of parser.parse(unread.text, reference)) {
    const start = result.start;
    if (!start.isCertain('day') && !start.isCertain('weekday')) continue;
    unread.blank(result.index, result.index + result.text.length);
    const parsedYear = start.get('year') ?? year;
    const parsedMonth = start.get('month') ?? month;
    const parsedDay = start.get('day') ?? day;
    if (!start.isCertain('year') && start.isCertain('month')) {
      // "31/3" has no year: forward-date it like "31 March".
      return forwardDate(today, parsedMonth, parsedDay, null);
    }
    return { date: formatLocalDate(parsedYear, parsedMonth, parsedDay), isInvalid: false };
  }
  return null;
}

export function takeAsap(unread: UnreadText): boolean {
  return (
    unread.take(
      /\b(?:asap|as soon as (?:possible|you can)|as early as possible|soonest|earliest|first available|next available|first free|next free|first opening|next opening)\b/,
    ) !== null
  );
}

export function takeFlexible(unread: UnreadText): boolean {
  return unread.take(/\b(?:any ?time|whenever|any day|no rush)\b/) !== null;
}

/**
 * Reads the calendar part of a request. Explicit dates beat weekday names, which are placed inside a named
 * range when there is one ("Friday next week"); a range alone stands for all its days.
 */
export function takeDates(unread: UnreadText, today: TLocalDate): TDateReading {
  const isAsap = takeAsap(unread);
  const isFlexible = takeFlexible(unread);
  const range = takeRange(unread, today);
  const weekday = takeWeekday(unread);
  const explicit = takeMonthDay(unread, today) ?? takeOrdinalDay(unread, today);
  const reading = { isAsap, isFlexible, isInvalid: false };
  if (explicit) {
    if (explicit.isInvalid || explicit.date === null) return { ...reading, range: null, isInvalid: true };
    return { ...reading, range: { from: explicit.date, to: explicit.date } };
  }
  if (weekday) {
    const date = resolveWeekday(today, weekday, range);
    return { ...reading, range: { from: date, to: date } };
  }
  if (range) return { ...reading, range };
  return { ...reading, range: null };
}

/** The chrono pass runs last, after times are consumed, so "at 3" never turns into a date. */
export function takeRelativeDate(
  unread: UnreadText,
  today: TLocalDate,
  dateOrder: 'DMY' | 'MDY',
): TExplicitDate | null {
  return takeChronoDate(unread, today, dateOrder);
}
