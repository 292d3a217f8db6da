/**
 * Clinic opening hours for the chatbot's parser, derived from the free slots the slot engine offers.
 *
 * Why not from `availability_rules`: those rows are readable by clinic staff only (RLS), and the widget
 * runs for anonymous visitors. `available_slots` is open to anyone and is computed from exactly those
 * rules (plus overrides), so the union of the windows its slots cover over a sample of days gives the
 * weekly hours. It can be a little narrower than the rules where the first or last slot of every
 * sampled day is booked; for reading "tomorrow afternoon" that is harmless (the slot is taken anyway).
 */
import type { TFreeSlot, TOpeningHours } from '@/lib/chatbot';
import { minutesToTime, toZonedParts, type TWeekday } from '@/lib/chatbot/zoned-time';

const MINUTES_PER_DAY = 24 * 60;

type TSpan = { start: number; end: number };

/** Sorts and merges overlapping or touching spans: 09:00–09:30 + 09:30–10:00 → 09:00–10:00. */
export function mergeSpans(spans: readonly TSpan[]): TSpan[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: TSpan[] = [];
  for (const span of sorted) {
    const last = merged.at(-1);
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

/**
 * Weekly opening hours (clinic wall time) covered by the given slots. A slot that runs past local
 * midnight is cut at 24:00 of its start day.
 */
export function deriveOpeningHours(
  slots: readonly Pick<TFreeSlot, 'start' | 'end'>[],
  timeZone: string,
): TOpeningHours {
  const byWeekday = new Map<TWeekday, TSpan[]>();
  for (const slot of slots) {
    const startMs = Date.parse(slot.start);
    const endMs = Date.parse(slot.end);
    if (Number.isNaN(startMs) || Number.isNaN(endMs) || endMs <= startMs) continue;
    const start = toZonedParts(new Date(startMs), timeZone);
    const end = toZonedParts(new Date(endMs), timeZone);
    const endMinutes = end.date === start.date ? end.minutes : MINUTES_PER_DAY;
    if (endMinutes <= start.minutes) continue;
    const spans = byWeekday.get(start.weekday) ?? [];
    spans.push({ start: start.minutes, end: endMinutes });
    byWeekday.set(start.weekday, spans);
  }
  const hours: TOpeningHours = {};
  for (const [weekday, spans] of byWeekday) {
    hours[weekday] = mergeSpans(spans).map((span) => ({
      start: minutesToTime(span.start),
      end: span.end >= MINUTES_PER_DAY ? '24:00' : minutesToTime(span.end),
    }));
  }
  return hours;
}

/**
 * The fewest services whose dentists together cover every dentist who offers anything (greedy set
 * cover), so the hours can be sampled with a few slot queries instead of one per service.
 * Example: Check-up by Lee, Garcia, Okafor and Whitening by Lee, Okafor → [Check-up].
 */
export function servicesCoveringDentists(
  offers: readonly { service_id: string; dentist_id: string }[],
  serviceIds: readonly string[],
): string[] {
  const dentistsOf = new Map<string, Set<string>>();
  for (const id of serviceIds) dentistsOf.set(id, new Set());
  for (const offer of offers) dentistsOf.get(offer.service_id)?.add(offer.dentist_id);
  const uncovered = new Set([...dentistsOf.values()].flatMap((set) => [...set]));
  const chosen: string[] = [];
  while (uncovered.size > 0) {
    let best: string | null = null;
    let bestGain = 0;
    for (const [serviceId, dentists] of dentistsOf) {
      const gain = [...dentists].filter((d) => uncovered.has(d)).length;
      if (gain > bestGain) {
        best = serviceId;
        bestGain = gain;
      }
    }
    if (!best) break;
    chosen.push(best);
    for (const dentist of dentistsOf.get(best) ?? []) uncovered.delete(dentist);
  }
  return chosen;
}
