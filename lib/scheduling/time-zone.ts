/**
 * Clinic-local wall-clock time ↔ instants, with the same semantics as Postgres'
 * `(date + time) at time zone tz` used by the slot engine. Pure: the time zone is a parameter.
 *
 * Worked example (Europe/London, clocks go forward at 01:00 GMT on 2026-03-29):
 *   localToInstant('2026-03-28', '09:00', tz) → 2026-03-28T09:00:00Z (GMT, +00:00)
 *   localToInstant('2026-03-29', '09:00', tz) → 2026-03-29T08:00:00Z (BST, +01:00)
 * A wall time that does not exist (01:30 on that day) is read with the offset in force before
 * the jump, as Postgres does: 01:30 GMT = 02:30 BST = 2026-03-29T01:30:00Z.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

export interface TLocalDateTime {
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM (24-hour) */
  time: string;
  /** 0 = Sunday … 6 = Saturday, as Postgres `extract(dow)` and availability_rules.weekday. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** False for names the runtime does not know (Postgres rejects those too). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's wall clock at `instant` as numbers (shared by the chatbot's calendar helpers). */
export function wallClockParts(instant: Date, timeZone: string) {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  const hour = Number(parts.hour);
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    // Some ICU builds render midnight as "24" even with h23.
    hour: hour === 24 ? 0 : hour,
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** Offset of the zone from UTC at `instant`, in minutes (London in summer: +60). */
export function offsetMinutes(instant: Date, timeZone: string): number {
  const p = wallClockParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / MINUTE_MS);
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * `(date + time) at time zone tz`. time may be 24:00 (= next day 00:00). Like Postgres, a wall time
 * that occurs twice (autumn) gets the offset after the change (the later instant), and one that
 * does not exist (spring gap) the offset before it.
 */
export function localToInstant(date: string, time: string, timeZone: string): Date {
  const d = DATE_RE.exec(date);
  const t = TIME_RE.exec(time);
  if (!d || !t) throw new RangeError(`Expected YYYY-MM-DD and HH:MM, got "${date}" "${time}"`);
  const wallAsUtc = Date.UTC(
    Number(d[1]),
    Number(d[2]) - 1,
    Number(d[3]),
    Number(t[1]),
    Number(t[2]),
    Number(t[3] ?? 0),
  );
  // Zones change offset at most once within a day either side of any wall time.
  const offsetBefore = offsetMinutes(new Date(wallAsUtc - DAY_MS), timeZone);
  const offsetAfter = offsetMinutes(new Date(wallAsUtc + DAY_MS), timeZone);
  const pre = wallAsUtc - offsetBefore * MINUTE_MS;
  if (offsetBefore === offsetAfter) return new Date(pre);
  const post = wallAsUtc - offsetAfter * MINUTE_MS;
  if (offsetMinutes(new Date(post), timeZone) === offsetAfter) return new Date(post);
  return new Date(pre);
}

/** `instant at time zone tz`, split into date, HH:MM and weekday. */
export function instantToLocal(instant: Date, timeZone: string): TLocalDateTime {
  const p = wallClockParts(instant, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    date: `${p.year}-${pad(p.month)}-${pad(p.day)}`,
    time: `${pad(p.hour)}:${pad(p.minute)}`,
    weekday: new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay(),
  };
}

/** Start and end instants of a local calendar day (23 h or 25 h on DST-change days). */
export function localDayBounds(date: string, timeZone: string): { start: Date; end: Date } {
  const start = localToInstant(date, '00:00', timeZone);
  return { start, end: localToInstant(date, '24:00', timeZone) };
}
