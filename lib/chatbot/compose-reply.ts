/**
 * composeSlotReply: a parsed request + the free slots the slot search returned → a short chat reply with
 * up to N options. When the asked time is taken it offers the nearest alternatives: the same day closest
 * to the asked time first, then the following days in order, so the patient never has to guess again.
 */
import { whenPhrase, withArticle } from './describe';
import type { TChatbotQuery, TClarificationReason, TFreeSlot } from './types';
import { addDays, daysBetween, toZonedParts, type TLocalDate } from './zoned-time';

export const DEFAULT_MAX_OPTIONS = 5;

/** Reasons that need an answer before any slot makes sense; the others still get alternatives. */
const BLOCKING_REASONS: ReadonlySet<TClarificationReason> = new Set([
  'empty_input',
  'nothing_understood',
  'ambiguous_time',
  'unknown_dentist',
  'ambiguous_dentist',
  'invalid_date',
]);

export type TSlotOption = TFreeSlot & { label: string };

export type TSlotReply = {
  kind: 'matches' | 'alternatives' | 'none' | 'clarify';
  text: string;
  options: TSlotOption[];
};

export type TComposeOptions = {
  now: Date;
  maxOptions?: number;
  /** Locale of the option labels; times are always shown in the clinic's zone. */
  locale?: string;
};

type TLocatedSlot = { slot: TFreeSlot; date: TLocalDate; minutes: number; startMs: number };

function requestSubject(query: TChatbotQuery): string {
  const parts: string[] = [];
  if (query.service) parts.push(`for ${withArticle(query.service.name.toLowerCase())}`);
  if (query.dentist?.kind === 'named') parts.push(`with ${query.dentist.name}`);
  return parts.join(' ');
}

function sentence(...parts: string[]): string {
  return parts.filter((part) => part.length > 0).join(' ');
}

/** Minutes between a slot's start and what was asked: 0 inside the window, else the gap to it. */
function distanceFromAsk(query: TChatbotQuery, minutes: number): number {
  if (query.exactTime) return Math.abs(minutes - toMinutes(query.exactTime));
  if (query.timeWindow) {
    const start = toMinutes(query.timeWindow.start);
    const end = toMinutes(query.timeWindow.end);
    if (minutes < start) return start - minutes;
    if (minutes >= end) return minutes - end + 1;
  }
  return 0;
}

function toMinutes(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return hours * 60 + minutes;
}

function isMatch(query: TChatbotQuery, located: TLocatedSlot): boolean {
  const range = query.dateRange;
  if (range && (located.date < range.from || located.date > range.to)) return false;
  if (query.exactTime) return located.minutes === toMinutes(query.exactTime);
  if (query.timeWindow) return distanceFromAsk(query, located.minutes) === 0;
  return true;
}

export function composeSlotReply(
  query: TChatbotQuery,
  slots: readonly TFreeSlot[],
  options: TComposeOptions,
): TSlotReply {
  const maxOptions = options.maxOptions ?? DEFAULT_MAX_OPTIONS;
  const today = toZonedParts(options.now, query.timeZone).date;
  const clarification = query.clarification;
  if (clarification && BLOCKING_REASONS.has(clarification.reason)) {
    return { kind: 'clarify', text: clarification.message, options: [] };
  }

  const labelFormatter = new Intl.DateTimeFormat(options.locale ?? 'en-GB', {
    timeZone: query.timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const toOption = ({ slot }: TLocatedSlot): TSlotOption => {
    const when = labelFormatter.format(new Date(slot.start));
    // Name the dentist of each option unless the patient already chose one.
    const who = query.dentist?.kind === 'named' ? undefined : slot.dentist_name;
    return { ...slot, label: who ? `${when} with ${who}` : when };
  };

  const nowMs = options.now.getTime();
  const seen = new Set<string>();
  const located: TLocatedSlot[] = [];
  for (const slot of slots) {
    const startMs = Date.parse(slot.start);
    const key = `${startMs}|${slot.dentist_id}`;
    if (startMs < nowMs || seen.has(key)) continue;
    if (query.dentist?.kind === 'named' && slot.dentist_id !== query.dentist.id) continue;
    seen.add(key);
    const parts = toZonedParts(new Date(startMs), query.timeZone);
    located.push({ slot, date: parts.date, minutes: parts.minutes, startMs });
  }
  located.sort((a, b) => a.startMs - b.startMs || a.slot.dentist_id.localeCompare(b.slot.dentist_id));

  const subject = requestSubject(query);
  const when = whenPhrase(query, today);

  if (!clarification) {
    const matches = located.filter((slot) => isMatch(query, slot));
    if (matches.length > 0) {
      const lead =
        query.dateRange || query.exactTime || query.timeWindow
          ? 'Here are the openings'
          : 'Here are the earliest openings';
      return {
        kind: 'matches',
        text: `${sentence(lead, subject, when)}:`,
        options: matches.slice(0, maxOptions).map(toOption),
      };
    }
  }

  if (located.length === 0) {
    const horizon = query.dateRange ? when : 'in the next two weeks';
    const nextStep =
      query.dentist?.kind === 'named'
        ? 'Would another dentist work, or shall we look at other dates?'
        : 'Please try other dates, or call the clinic and we will find you a time.';
    const lead = clarification ? `${clarification.message} ` : '';
    return {
      kind: 'none',
      text: `${lead}${sentence('Sorry, there are no openings', subject, horizon)}. ${nextStep}`,
      options: [],
    };
  }

  // Nearest alternatives: the asked days closest to the asked time first, then later days, then (future)
  // days before the asked ones as a last resort.
  const firstDay = query.dateRange && query.dateRange.from > today ? query.dateRange.from : today;
  const lastDay = query.dateRange && query.dateRange.to >= firstDay ? query.dateRange.to : firstDay;
  const rank = (slot: TLocatedSlot): [number, number, number] => {
    if (slot.date >= firstDay && slot.date <= lastDay)
      return [0, distanceFromAsk(query, slot.minutes), slot.startMs];
    if (slot.date > lastDay) return [1, daysBetween(addDays(lastDay, 1), slot.date), slot.startMs];
    return [2, -slot.startMs, 0];
  };
  const alternatives = [...located].sort((a, b) => {
    const [ga, da, sa] = rank(a);
    const [gb, db, sb] = rank(b);
    return ga - gb || da - db || sa - sb;
  });
  const lead = clarification
    ? clarification.message
    : `${sentence('Sorry, nothing is free', subject, when)}.`;
  return {
    kind: 'alternatives',
    text: `${lead} The nearest openings are:`,
    options: alternatives.slice(0, maxOptions).map(toOption),
  };
}
