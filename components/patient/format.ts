/**
 * Dates and times for patients, always in the clinic's zone (clinics.timezone) with the zone named.
 * Pure: the zone and "now" are parameters.
 */
import { instantToLocal } from '@/lib/scheduling/time-zone';

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', options);
    formatters.set(key, f);
  }
  return f;
}

/** "09:15" in the clinic's zone. */
export function formatTime(iso: string, timeZone: string): string {
  return formatter(`time|${timeZone}`, {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

/** "Tue 24 Nov" for a clinic-local date (YYYY-MM-DD). */
export function formatLocalDate(date: string, options: { withYear?: boolean } = {}): string {
  const [y, m, d] = date.split('-').map(Number);
  const key = options.withYear ? 'date|year' : 'date';
  return formatter(key, {
    timeZone: 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    ...(options.withYear ? { year: 'numeric' } : {}),
  }).format(new Date(Date.UTC(y, m - 1, d, 12)));
}

/** "Tue 24 Nov, 09:15" in the clinic's zone. */
export function formatDateTime(iso: string, timeZone: string): string {
  const local = instantToLocal(new Date(iso), timeZone);
  return `${formatLocalDate(local.date)}, ${local.time}`;
}

/** "Europe/London (GMT)": the zone's name plus its abbreviation at that instant. */
export function zoneLabel(timeZone: string, at: Date = new Date()): string {
  const parts = formatter(`zone|${timeZone}`, { timeZone, timeZoneName: 'short' }).formatToParts(at);
  const short = parts.find((part) => part.type === 'timeZoneName')?.value;
  return short && short !== timeZone ? `${timeZone} (${short})` : timeZone;
}

/** The next `count` clinic-local dates starting with today (in the clinic's zone). */
export function nextLocalDates(now: Date, timeZone: string, count: number): string[] {
  const today = instantToLocal(now, timeZone).date;
  const [y, m, d] = today.split('-').map(Number);
  const base = Date.UTC(y, m - 1, d);
  return Array.from({ length: count }, (_, i) => new Date(base + i * DAY_MS).toISOString().slice(0, 10));
}

/** Adds whole days to a clinic-local date (YYYY-MM-DD). */
export function addLocalDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d) + days * DAY_MS).toISOString().slice(0, 10);
}

/** "4:59" */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}
