/**
 * Time-of-day recognisers. They only read what was said ("afternoon", "at 3", "after 5pm"); turning that
 * into clinic wall times needs the clinic's hours and happens in resolve-time.ts.
 */
import type { UnreadText } from './text';
import type { TPartOfDay } from './types';

export type TPartOfDayReading = { partOfDay: TPartOfDay; impliesToday: boolean };

const PART_OF_DAY_PATTERNS: readonly { pattern: RegExp; partOfDay: TPartOfDay }[] = [
  {
    pattern:
      /\b(?:first thing(?: in the morning)?|as soon as you open|when you open|first appointment of the day)\b/,
    partOfDay: 'first_thing',
  },
  { pattern: /\b(?:early (?:in the )?mornings?|early am)\b/, partOfDay: 'early' },
  { pattern: /\blate (?:in the )?mornings?\b/, partOfDay: 'late_morning' },
  { pattern: /\bearly (?:in the )?afternoons?\b/, partOfDay: 'early_afternoon' },
  { pattern: /\blate (?:in the )?afternoons?\b/, partOfDay: 'late_afternoon' },
  {
    pattern:
      /\b(?:after (?:work|school|my shift|office hours|hours)|once i finish work|when i finish work)\b/,
    partOfDay: 'after_work',
  },
  { pattern: /\b(?:(?:at |over |during )?lunch ?(?:time|hour|break)?)\b/, partOfDay: 'lunchtime' },
  { pattern: /\b(?:(this|tomorrow|in the) )?mornings?\b/, partOfDay: 'morning' },
  { pattern: /\b(?:(this|tomorrow|in the) )?(?:afternoons?|arvo)\b/, partOfDay: 'afternoon' },
  { pattern: /\b(?:(this|tomorrow|in the) )?(?:evenings?|nights?)\b/, partOfDay: 'evening' },
  { pattern: /\b(tonight)\b/, partOfDay: 'evening' },
  { pattern: /\b(?:early (?:in the day|on)|early)\b/, partOfDay: 'early' },
  { pattern: /\b(?:late (?:in the day|on)|late)\b/, partOfDay: 'late' },
];

/** Reads one part of day; "this afternoon" and "tonight" also mean today. "tomorrow" is left for the dates. */
export function takePartOfDay(unread: UnreadText): TPartOfDayReading | null {
  for (const { pattern, partOfDay } of PART_OF_DAY_PATTERNS) {
    const match = pattern.exec(unread.text);
    if (!match) continue;
    const qualifier = match[1];
    // Keep "tomorrow" in the text for the date recognisers; consume the rest.
    if (qualifier === 'tomorrow')
      unread.blank(match.index + 'tomorrow'.length, match.index + match[0].length);
    else unread.blank(match.index, match.index + match[0].length);
    return { partOfDay, impliesToday: qualifier === 'this' || qualifier === 'tonight' };
  }
  return null;
}

/** A clock reading as said: "3" (ambiguous), "3pm", "15:00", "noon". */
export type TClockReading = { hour: number; minute: number; meridiem: 'am' | 'pm' | null; is24Hour: boolean };

export type TTimeReading =
  | { kind: 'exact'; at: TClockReading }
  | { kind: 'after'; at: TClockReading }
  | { kind: 'before'; at: TClockReading }
  | { kind: 'between'; from: TClockReading; to: TClockReading };

const CLOCK = '(\\d{1,2})(?::(\\d{2}))?(?: ?(am|pm|a m|p m|oclock))?';
/** A number followed by one of these is a date or a duration, not a clock time: "the 3rd", "3 days". */
const NOT_A_CLOCK =
  '(?! ?(?:st|nd|rd|th|days?|weeks?|months?|years?|mins?|minutes?|hours?|people|of)\\b)(?![/:\\d])';

function toClock(
  hourText: string,
  minuteText: string | undefined,
  suffix: string | undefined,
): TClockReading | null {
  const hour = Number(hourText);
  const minute = minuteText === undefined ? 0 : Number(minuteText);
  if (hour > 23 || minute > 59) return null;
  const meridiem =
    suffix === 'am' || suffix === 'a m' ? 'am' : suffix === 'pm' || suffix === 'p m' ? 'pm' : null;
  if (meridiem && (hour === 0 || hour > 12)) return null;
  // "15:00", "08:30" and "0:30" are 24-hour readings; "3:30" and "at 3" are not.
  const is24Hour =
    meridiem === null && (hour >= 13 || hour === 0 || (hourText.length === 2 && hourText.startsWith('0')));
  return { hour, minute, meridiem, is24Hour };
}

function clockFrom(match: RegExpExecArray, offset: number): TClockReading | null {
  return toClock(match[offset], match[offset + 1], match[offset + 2]);
}

/** Reads one time expression. Bare numbers count only after "at/around/…", or with am/pm or minutes. */
export function takeTime(unread: UnreadText): TTimeReading | null {
  const text = unread.text;
  const tryTake = (
    pattern: RegExp,
    build: (match: RegExpExecArray) => TTimeReading | null,
  ): TTimeReading | null => {
    const match = pattern.exec(text);
    if (!match) return null;
    const reading = build(match);
    if (reading) unread.blank(match.index, match.index + match[0].length);
    return reading;
  };

  const readers: (() => TTimeReading | null)[] = [
    () =>
      tryTake(
        new RegExp(`\\b(?:between|from) ${CLOCK} (?:and|to|until|till) ${CLOCK}${NOT_A_CLOCK}`),
        (m) => {
          const from = clockFrom(m, 1);
          const to = clockFrom(m, 4);
          return from && to ? { kind: 'between', from, to } : null;
        },
      ),
    () =>
      tryTake(new RegExp(`\\b${CLOCK} (?:to|until|till) (\\d{1,2})(?::(\\d{2}))? ?(am|pm)\\b`), (m) => {
        const from = clockFrom(m, 1);
        const to = toClock(m[4], m[5], m[6]);
        return from && to ? { kind: 'between', from, to } : null;
      }),
    () =>
      tryTake(/\b(?:at |around |about )?(noon|midday|12 noon|midnight)\b/, (m) => ({
        kind: 'exact',
        at:
          m[1] === 'midnight'
            ? { hour: 0, minute: 0, meridiem: null, is24Hour: true }
            : { hour: 12, minute: 0, meridiem: null, is24Hour: true },
      })),
    () =>
      tryTake(/\b(?:at |around |about )?(half|quarter) (past|to|after) (\d{1,2})\b(?: ?(am|pm))?/, (m) => {
        const base = toClock(m[3], undefined, m[4]);
        if (!base) return null;
        const delta = (m[1] === 'half' ? 30 : 15) * (m[2] === 'to' ? -1 : 1);
        const total = base.hour * 60 + delta;
        const hour = (Math.floor(total / 60) + 24) % 24;
        return {
          kind: 'exact',
          at: { ...base, hour: hour === 0 && !base.is24Hour ? 12 : hour, minute: ((total % 60) + 60) % 60 },
        };
      }),
    () =>
      tryTake(new RegExp(`\\b(?:after|later than|from|past) ${CLOCK}${NOT_A_CLOCK}`), (m) =>
        wrap('after', clockFrom(m, 1)),
      ),
    () =>
      tryTake(
        new RegExp(`\\b(?:before|by|until|till|no later than|earlier than) ${CLOCK}${NOT_A_CLOCK}`),
        (m) => wrap('before', clockFrom(m, 1)),
      ),
    () =>
      tryTake(new RegExp(`\\b(?:at|around|about|say) ${CLOCK}${NOT_A_CLOCK}`), (m) =>
        wrap('exact', clockFrom(m, 1)),
      ),
    () =>
      tryTake(/\b(\d{1,2})(?::(\d{2}))? ?(am|pm|a m|p m|oclock)\b/, (m) => wrap('exact', clockFrom(m, 1))),
    () => tryTake(/\b(\d{1,2}):(\d{2})\b/, (m) => wrap('exact', toClock(m[1], m[2], undefined))),
  ];
  for (const read of readers) {
    const reading = read();
    if (reading) return reading;
  }
  return null;
}

function wrap(kind: 'exact' | 'after' | 'before', at: TClockReading | null): TTimeReading | null {
  return at ? { kind, at } : null;
}

/**
 * The wall-clock minutes a reading may mean: one for "15:00"/"3pm"/"noon", two for "at 3" (03:00 and
 * 15:00). "oclock" does not settle am/pm. "12" alone is noon (a clinic is never open at 00:xx).
 */
export function clockCandidates(reading: TClockReading): number[] {
  const { hour, minute } = reading;
  if (reading.is24Hour) return [hour * 60 + minute];
  if (reading.meridiem === 'am') return [(hour % 12) * 60 + minute];
  if (reading.meridiem === 'pm') return [((hour % 12) + 12) * 60 + minute];
  if (hour === 12) return [12 * 60 + minute];
  return [hour * 60 + minute, (hour + 12) * 60 + minute];
}
