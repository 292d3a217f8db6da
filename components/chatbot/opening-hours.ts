/**
 * Clinic opening hours for the chatbot's parser, from `clinic_opening_hours()` — the union of the
 * active dentists' weekly windows per weekday, callable by anyone (the widget runs for anonymous
 * visitors, who may not read availability_rules themselves).
 */
import type { TOpeningHours } from '@/lib/chatbot';
import type { TWeekday } from '@/lib/chatbot/zoned-time';

import type { TOpeningHoursRow } from '@/lib/data/clinic';

export type { TOpeningHoursRow };

/** Rows as the RPC returns them ('09:00:00') → the parser's shape ({1: [{start: '09:00', end: '17:00'}]}). */
export function toOpeningHours(rows: readonly TOpeningHoursRow[]): TOpeningHours {
  const hours: TOpeningHours = {};
  const ordered = [...rows].sort((a, b) => a.weekday - b.weekday || a.opens_at.localeCompare(b.opens_at));
  for (const row of ordered) {
    const weekday = row.weekday as TWeekday;
    hours[weekday] = [
      ...(hours[weekday] ?? []),
      { start: row.opens_at.slice(0, 5), end: row.closes_at.slice(0, 5) },
    ];
  }
  return hours;
}
