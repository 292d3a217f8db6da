/**
 * parseChatbotRequest: plain-language appointment request → TChatbotQuery, resolved against the clinic's
 * time zone, opening hours, services and dentists. Pure: "now" and everything else are parameters.
 *
 * Pipeline (each step consumes the words it used, so later steps cannot reuse them):
 *   dentist → service → typo correction of calendar words → asap/ranges/weekdays/explicit dates →
 *   part of day → clock times → chrono for relative dates → resolution against opening hours.
 */
import { dayPhrase, hoursSummary, longDay, rangePhrase } from './describe';
import { matchDentist, matchService, type TDentistMatch } from './match-entities';
import {
  clip,
  envelope,
  intervalsOn,
  isInside,
  partOfDayWindow,
  remainingIntervals,
  type TMinuteInterval,
} from './opening-hours';
import { takeDates, takeRelativeDate, type TDateRange } from './parse-date';
import { clockCandidates, takePartOfDay, takeTime, type TTimeReading } from './parse-time';
import { normalizeUtterance, tokenize, typoDistance, UnreadText } from './text';
import type {
  TChatbotContext,
  TChatbotQuery,
  TClarificationReason,
  TOpeningHours,
  TPartOfDay,
} from './types';
import { CALENDAR_WORDS, INTENT_WORDS, PROTECTED_WORDS } from './vocabulary';
import {
  addDays,
  minutesToTime,
  startOfLocalDayUtc,
  toZonedParts,
  zonedWallTimeToUtc,
  type TLocalDate,
} from './zoned-time';

/** Days searched forward when no day was named. */
export const DEFAULT_SEARCH_DAYS = 14;
/** Extra days fetched after the requested ones so the reply can offer alternatives. */
export const ALTERNATIVE_DAYS = 7;

type TClarification = NonNullable<TChatbotQuery['clarification']>;

function clarify(reason: TClarificationReason, message: string, options: string[] = []): TClarification {
  return { reason, message, options };
}

const CALENDAR_WORD_SET = new Set(CALENDAR_WORDS);

/** Replaces a misspelt calendar word ("tomorow", "wensday", "afternon") by the one word it is closest to. */
function correctCalendarTypo(word: string): string {
  if (word.length < 5 || CALENDAR_WORD_SET.has(word) || PROTECTED_WORDS.has(word) || /\d/.test(word))
    return word;
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  let isTie = false;
  for (const known of CALENDAR_WORDS) {
    const distance = typoDistance(word, known);
    if (distance === null) continue;
    if (distance < bestDistance) {
      best = known;
      bestDistance = distance;
      isTie = false;
    } else if (distance === bestDistance && known !== best) {
      isTie = true;
    }
  }
  return best && !isTie ? best : word;
}

type TDay = { date: TLocalDate; intervals: TMinuteInterval[] };

/** Days of `range` on which the clinic is still open after now (today only counts its remaining hours). */
function openDaysIn(range: TDateRange, hours: TOpeningHours, today: TLocalDate, nowMinutes: number): TDay[] {
  const days: TDay[] = [];
  for (let date = range.from < today ? today : range.from; date <= range.to; date = addDays(date, 1)) {
    const intervals = intervalsOn(hours, date);
    const ahead = date === today ? remainingIntervals(intervals, nowMinutes) : intervals;
    if (ahead.length > 0) days.push({ date, intervals });
  }
  return days;
}

type TTimeResolution =
  | { ok: true; window: TMinuteInterval | null; exact: number | null }
  | { ok: false; clarification: TClarification; isRetryable: boolean };

/** The clock readings that fall inside the given intervals. */
function insideCandidates(candidates: readonly number[], intervals: readonly TMinuteInterval[]): number[] {
  return candidates.filter((minute) => isInside(intervals, minute));
}

/**
 * Resolves part of day and clock readings on a set of open days. Ambiguous hours take the reading inside
 * opening hours: with Monday 08:00–17:00, "at 3" → 15:00, "at 10" → 10:00, "at 8" → 08:00; "at 11" on a
 * Saturday open 09:00–11:00 fits neither 11:00 nor 23:00 and is asked about.
 */
function resolveTime(
  days: readonly TDay[],
  partOfDay: TPartOfDay | null,
  time: TTimeReading | null,
  today: TLocalDate,
  nowMinutes: number,
  whereText: string,
): TTimeResolution {
  const all = days.flatMap((day) => day.intervals);
  const bounds = envelope(all);
  if (!bounds)
    return {
      ok: false,
      clarification: clarify('clinic_closed', `We're closed ${whereText}. Would another day work?`),
      isRetryable: true,
    };
  const hoursText =
    days.length === 1 ? ` Our hours ${whereText} are ${hoursSummary(days[0].intervals)}.` : '';

  let window: TMinuteInterval | null = null;
  let podRaw: TMinuteInterval | null = null;
  if (partOfDay) {
    podRaw = partOfDayWindow(partOfDay, bounds.start, bounds.end);
    window = clip(podRaw, bounds);
    if (!window) {
      const label = partOfDay.replace('_', ' ');
      return {
        ok: false,
        clarification: clarify(
          'outside_hours',
          `We have no ${label} hours ${whereText}.${hoursText} Would another time work?`,
        ),
        isRetryable: true,
      };
    }
  }

  let exact: number | null = null;
  if (time) {
    if (time.kind === 'exact') {
      const candidates = clockCandidates(time.at);
      let inside = insideCandidates(candidates, all);
      if (podRaw && inside.length > 1) {
        const inPartOfDay = inside.filter(
          (minute) => podRaw !== null && minute >= podRaw.start && minute < podRaw.end,
        );
        if (inPartOfDay.length === 1) inside = inPartOfDay;
      }
      const options = candidates.map(minutesToTime);
      if (inside.length === 0) {
        return {
          ok: false,
          clarification: clarify(
            'outside_hours',
            `We're not open at ${options.join(' or ')} ${whereText}.${hoursText} Would another time work?`,
            options,
          ),
          isRetryable: true,
        };
      }
      if (inside.length > 1) {
        return {
          ok: false,
          clarification: clarify('ambiguous_time', `Did you mean ${options.join(' or ')}?`, options),
          isRetryable: false,
        };
      }
      exact = inside[0];
    } else {
      const spans = timeWindowCandidates(time, bounds);
      if (spans.length === 0) {
        return {
          ok: false,
          clarification: clarify(
            'outside_hours',
            `We're not open then ${whereText}.${hoursText} Would another time work?`,
          ),
          isRetryable: true,
        };
      }
      if (spans.length > 1) {
        const options = spans.map((span) => `${minutesToTime(span.start)}–${minutesToTime(span.end)}`);
        return {
          ok: false,
          clarification: clarify('ambiguous_time', `Did you mean ${options.join(' or ')}?`, options),
          isRetryable: false,
        };
      }
      window = window ? clip(window, spans[0]) : spans[0];
      if (!window)
        return {
          ok: false,
          clarification: clarify('outside_hours', `That time doesn't fit ${whereText}.${hoursText}`),
          isRetryable: true,
        };
    }
  }

  const isOnlyToday = days.length === 1 && days[0].date === today;
  if (
    isOnlyToday &&
    ((exact !== null && exact <= nowMinutes) ||
      (exact === null && window !== null && window.end <= nowMinutes))
  ) {
    return {
      ok: false,
      clarification: clarify(
        'time_in_past',
        'That time has already passed today. Would later today or another day work?',
      ),
      isRetryable: true,
    };
  }
  return { ok: true, window, exact };
}

/**
 * Windows an "after 3" / "before 10" / "between 2 and 4" can mean, clipped to opening hours. Readings whose
 * own ends lie within the hours win over ones that only overlap them: on a 08:00–17:00 day "between 2 and
 * 4" is 14:00–16:00, not 02:00–04:00 clipped to 08:00–16:00.
 */
function timeWindowCandidates(
  time: Exclude<TTimeReading, { kind: 'exact' }>,
  bounds: TMinuteInterval,
): TMinuteInterval[] {
  const raw: TMinuteInterval[] = [];
  if (time.kind === 'after')
    for (const start of clockCandidates(time.at)) raw.push({ start, end: bounds.end });
  if (time.kind === 'before')
    for (const end of clockCandidates(time.at)) raw.push({ start: bounds.start, end });
  if (time.kind === 'between') {
    // "2 to 4pm": the meridiem said once applies to both ends.
    const from =
      time.to.meridiem && !time.from.meridiem && !time.from.is24Hour
        ? { ...time.from, meridiem: time.to.meridiem }
        : time.from;
    for (const start of clockCandidates(from))
      for (const end of clockCandidates(time.to)) if (start < end) raw.push({ start, end });
  }
  const isNatural = (span: TMinuteInterval) =>
    span.start >= bounds.start && span.end <= bounds.end && span.start < span.end;
  const preferred = raw.some(isNatural) ? raw.filter(isNatural) : raw;
  const spans: TMinuteInterval[] = [];
  for (const span of preferred) {
    const clipped = clip(span, bounds);
    if (clipped && !spans.some((s) => s.start === clipped.start && s.end === clipped.end))
      spans.push(clipped);
  }
  return spans;
}

function hasIntentWord(text: string): boolean {
  return tokenize(text).some((token) => INTENT_WORDS.has(token.text));
}

function utcIso(date: TLocalDate, minutes: number, timeZone: string): string {
  if (minutes >= 24 * 60) return startOfLocalDayUtc(addDays(date, 1), timeZone).toISOString();
  return zonedWallTimeToUtc(date, minutesToTime(minutes), timeZone).toISOString();
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function laterIso(a: string, b: string): string {
  return a > b ? a : b;
}

export function parseChatbotRequest(utterance: string, context: TChatbotContext): TChatbotQuery {
  const { timeZone, openingHours } = context;
  const searchDays = context.searchDays ?? DEFAULT_SEARCH_DAYS;
  const nowParts = toZonedParts(context.now, timeZone);
  const today = nowParts.date;
  const nowMinutes = nowParts.minutes;
  const nowIso = context.now.toISOString();

  const normalized = normalizeUtterance(utterance).replace(/\b(?:a |one )?fortnight\b/g, '2 weeks');
  const unread = new UnreadText(normalized);

  const dentistMatch: TDentistMatch | null = normalized ? matchDentist(unread, context.dentists) : null;
  const serviceMatch = normalized ? matchService(unread, context.services) : null;
  unread.mapWords(correctCalendarTypo);
  const dates = takeDates(unread, today);
  const partOfDay = takePartOfDay(unread);
  const time = takeTime(unread);
  let range = dates.range;
  let isInvalidDate = dates.isInvalid;
  if (!range && !isInvalidDate) {
    const relative = takeRelativeDate(unread, today, context.dateOrder ?? 'DMY');
    if (relative?.isInvalid) isInvalidDate = true;
    else if (relative?.date) range = { from: relative.date, to: relative.date };
  }
  if (!range && partOfDay?.impliesToday) range = { from: today, to: today };
  // Forward only: "this week" said on Thursday means Thursday…Sunday.
  if (range && range.from < today && range.to >= today) range = { from: today, to: range.to };

  const service = serviceMatch ? { id: serviceMatch.service.id, name: serviceMatch.service.name } : null;
  const dentist: TChatbotQuery['dentist'] =
    dentistMatch?.kind === 'any'
      ? { kind: 'any' }
      : dentistMatch?.kind === 'named'
        ? { kind: 'named', id: dentistMatch.dentist.id, name: dentistMatch.dentist.name }
        : null;

  let clarification: TClarification | null = null;
  let isDateInferred = false;
  let window: TMinuteInterval | null = null;
  let exact: number | null = null;

  const isUnderstood =
    service !== null ||
    dentistMatch !== null ||
    range !== null ||
    isInvalidDate ||
    partOfDay !== null ||
    time !== null ||
    dates.isAsap ||
    dates.isFlexible ||
    hasIntentWord(normalized);

  if (!normalized) {
    clarification = clarify(
      'empty_input',
      'What would you like to book? For example: "a cleaning tomorrow afternoon".',
    );
  } else if (dentistMatch?.kind === 'unknown') {
    const names = context.dentists.map((d) => d.name);
    clarification = clarify(
      'unknown_dentist',
      `I couldn't find a dentist called ${capitalize(dentistMatch.spokenName)}. Our dentists are ${names.join(', ')}.`,
      names,
    );
  } else if (dentistMatch?.kind === 'ambiguous') {
    const names = dentistMatch.candidates.map((d) => d.name);
    clarification = clarify('ambiguous_dentist', `Which dentist did you mean: ${names.join(' or ')}?`, names);
  } else if (isInvalidDate) {
    clarification = clarify('invalid_date', "That date doesn't exist. Which day did you mean?");
  } else if (!isUnderstood) {
    clarification = clarify(
      'nothing_understood',
      'Sorry, I didn\'t catch that. Tell me what you need and when, e.g. "a check-up next Tuesday morning".',
    );
  } else if (range && range.to < today) {
    clarification = clarify(
      'date_in_past',
      `${range.from === range.to ? longDay(range.from) : 'That'} has already passed. Which upcoming day would suit you?`,
    );
  } else if (range) {
    const days = openDaysIn(range, openingHours, today, nowMinutes);
    const where = rangePhrase(range.from < today ? today : range.from, range.to, today);
    if (days.length === 0) {
      const isTodayOnly = range.from === range.to && range.from === today;
      clarification =
        isTodayOnly && intervalsOn(openingHours, today).length > 0
          ? clarify(
              'closed_for_today',
              "We're closed for the rest of today. Would tomorrow or another day work?",
            )
          : clarify('clinic_closed', `We're closed ${where}. Would another day work?`);
    } else if (partOfDay || time) {
      const resolution = resolveTime(days, partOfDay?.partOfDay ?? null, time, today, nowMinutes, where);
      if (resolution.ok) {
        window = resolution.window;
        exact = resolution.exact;
      } else {
        clarification = resolution.clarification;
      }
    }
  } else if (partOfDay || time) {
    // No day named: take the first day (from today) on which the time makes sense.
    let firstProblem: TClarification | null = null;
    for (let ahead = 0; ahead < searchDays; ahead += 1) {
      const date = addDays(today, ahead);
      const days = openDaysIn({ from: date, to: date }, openingHours, today, nowMinutes);
      if (days.length === 0) continue;
      const resolution = resolveTime(
        days,
        partOfDay?.partOfDay ?? null,
        time,
        today,
        nowMinutes,
        dayPhrase(date, today),
      );
      if (resolution.ok || !resolution.isRetryable) {
        range = { from: date, to: date };
        isDateInferred = true;
        if (resolution.ok) {
          window = resolution.window;
          exact = resolution.exact;
        } else {
          clarification = resolution.clarification;
        }
        break;
      }
      firstProblem ??= resolution.clarification;
    }
    if (!range) {
      clarification = clarify(
        'outside_hours',
        `That time is outside our opening hours for the next ${searchDays} days. Would another time work?`,
        firstProblem?.options ?? [],
      );
    }
  }

  // UTC envelopes. Worked example (Europe/London, now 2026-03-27T10:30Z): "next week" = 2026-03-30 … 04-05,
  // both in BST, so the search runs from 2026-03-29T23:00Z (Monday 00:00 BST) to 2026-04-05T23:00Z.
  let startsAt = nowIso;
  let endsAt = startOfLocalDayUtc(addDays(today, searchDays), timeZone).toISOString();
  let fetchEndsAt = endsAt;
  if (range) {
    const fromMinutes = window?.start ?? 0;
    startsAt = laterIso(nowIso, utcIso(range.from, exact ?? fromMinutes, timeZone));
    endsAt = laterIso(
      startsAt,
      window && exact === null
        ? utcIso(range.to, window.end, timeZone)
        : startOfLocalDayUtc(addDays(range.to, 1), timeZone).toISOString(),
    );
    fetchEndsAt = laterIso(
      endsAt,
      startOfLocalDayUtc(
        addDays(range.to < today ? today : range.to, 1 + ALTERNATIVE_DAYS),
        timeZone,
      ).toISOString(),
    );
  }
  const fetchStartsAt = laterIso(
    nowIso,
    range && range.from > today ? startOfLocalDayUtc(range.from, timeZone).toISOString() : nowIso,
  );

  return {
    utterance,
    timeZone,
    service,
    dentist,
    dateRange: range,
    isDateInferred,
    partOfDay: partOfDay?.partOfDay ?? null,
    timeWindow: window ? { start: minutesToTime(window.start), end: minutesToTime(window.end) } : null,
    exactTime: exact === null ? null : minutesToTime(exact),
    isAsap: dates.isAsap,
    searchWindow: { startsAt, endsAt },
    fetchWindow: { startsAt: fetchStartsAt, endsAt: fetchEndsAt },
    needsClarification: clarification !== null,
    clarification,
  };
}
