/**
 * The chatbot's calls to the slot engine and the booking RPCs, each returning a result object instead
 * of throwing, with every failure mapped through lib/domain/errors.ts.
 */
import type { TFreeSlot } from '@/lib/chatbot';
import type { TDb } from '@/lib/data/result';
import {
  bookAppointment,
  holdSlot as holdSlotRow,
  listAvailableSlots,
  releaseHold as releaseHoldRow,
} from '@/lib/data/slots';
import type { TSchedulingError } from '@/lib/domain/errors';

/** The slot engine refuses ranges longer than this (private.compute_slots). */
export const MAX_SLOT_RANGE_DAYS = 62;
const DAY_MS = 24 * 60 * 60 * 1000;

export type TResult<T> = ({ ok: true } & T) | { ok: false; error: TSchedulingError };

export type TSlotQuery = {
  clinicId: string;
  serviceId: string;
  dentistId: string | null;
  from: string;
  to: string;
};

/** Clamps [from, to) to what the engine accepts; null when nothing is left to ask for. */
export function clampRange(from: string, to: string): { from: string; to: string } | null {
  const fromMs = Date.parse(from);
  const toMs = Math.min(Date.parse(to), fromMs + MAX_SLOT_RANGE_DAYS * DAY_MS);
  if (!(toMs > fromMs)) return null;
  return { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() };
}

export async function fetchFreeSlots(
  supabase: TDb,
  query: TSlotQuery,
): Promise<TResult<{ slots: TFreeSlot[] }>> {
  const range = clampRange(query.from, query.to);
  if (!range) return { ok: true, slots: [] };
  const result = await listAvailableSlots(supabase, { ...query, ...range });
  if (!result.ok) return { ok: false, error: result.error };
  return { ok: true, slots: result.data };
}

export type THeld = { holdId: string; expiresAt: string };

export async function holdSlot(
  supabase: TDb,
  slot: { dentistId: string; serviceId: string; start: string },
): Promise<TResult<{ hold: THeld }>> {
  const result = await holdSlotRow(supabase, slot);
  if (!result.ok) return { ok: false, error: result.error };
  return { ok: true, hold: { holdId: result.data.id, expiresAt: result.data.expires_at } };
}

export async function releaseHold(supabase: TDb, holdId: string): Promise<void> {
  // Best effort: an unreleased hold lapses on its own after clinics.hold_minutes.
  await releaseHoldRow(supabase, holdId);
}

export async function bookHeldSlot(
  supabase: TDb,
  slot: { dentistId: string; serviceId: string; start: string; holdId: string; idempotencyKey: string },
): Promise<TResult<{ appointmentId: string }>> {
  const result = await bookAppointment(supabase, { ...slot, source: 'chatbot' });
  if (!result.ok) return { ok: false, error: result.error };
  return { ok: true, appointmentId: result.data.id };
}
