/**
 * "That time was just taken — how about one of these?" Nearest free slots to the one the patient
 * wanted: the same clinic day first, closest in time, then the following days in order. Pure.
 */
import type { TAvailableSlot } from '@/lib/domain/appointments';
import { instantToLocal } from '@/lib/scheduling/time-zone';

/** How many alternatives the "just taken" message offers. */
export const ALTERNATIVES_COUNT = 3;
/** How far ahead alternatives are searched (days). */
export const ALTERNATIVES_SEARCH_DAYS = 14;

export function pickNearestSlots(
  slots: readonly TAvailableSlot[],
  wanted: { start: string; timeZone: string; excludeStart?: string },
  count: number = ALTERNATIVES_COUNT,
): TAvailableSlot[] {
  const wantedMs = Date.parse(wanted.start);
  const wantedDay = instantToLocal(new Date(wantedMs), wanted.timeZone).date;
  const seen = new Set<string>();
  const unique = slots.filter((slot) => {
    if (
      slot.start === wanted.excludeStart ||
      Date.parse(slot.start) === Date.parse(wanted.excludeStart ?? '')
    )
      return false;
    if (seen.has(slot.start)) return false; // "any dentist": one entry per start time
    seen.add(slot.start);
    return true;
  });
  const sameDay = unique
    .filter((slot) => instantToLocal(new Date(slot.start), wanted.timeZone).date === wantedDay)
    .sort(
      (a, b) =>
        Math.abs(Date.parse(a.start) - wantedMs) - Math.abs(Date.parse(b.start) - wantedMs) ||
        Date.parse(a.start) - Date.parse(b.start),
    );
  const later = unique
    .filter((slot) => instantToLocal(new Date(slot.start), wanted.timeZone).date > wantedDay)
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  return [...sameDay, ...later].slice(0, count);
}
