/**
 * The chatbot's calls to the slot engine and the booking RPCs, each returning a result object instead
 * of throwing, with every failure mapped through lib/domain/errors.ts.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import { ZFreeSlot, type TFreeSlot } from '@/lib/chatbot';
import { RPC } from '@/lib/domain/appointments';
import { toSchedulingError, type TSchedulingError } from '@/lib/domain/errors';

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
  supabase: SupabaseClient,
  query: TSlotQuery,
): Promise<TResult<{ slots: TFreeSlot[] }>> {
  const range = clampRange(query.from, query.to);
  if (!range) return { ok: true, slots: [] };
  const { data, error } = await supabase.rpc(RPC.availableSlots, {
    p_clinic_id: query.clinicId,
    p_service_id: query.serviceId,
    p_dentist_id: query.dentistId,
    p_from: range.from,
    p_to: range.to,
  });
  if (error) return { ok: false, error: toSchedulingError(error) };
  const parsed = z.array(ZFreeSlot).safeParse(data);
  if (!parsed.success) return { ok: false, error: toSchedulingError(null) };
  return { ok: true, slots: parsed.data };
}

const ZHoldRow = z.object({ id: z.string(), expires_at: z.string() });
const ZAppointmentRow = z.object({ id: z.string(), status: z.string() });

export type THeld = { holdId: string; expiresAt: string };

export async function holdSlot(
  supabase: SupabaseClient,
  slot: { dentistId: string; serviceId: string; start: string },
): Promise<TResult<{ hold: THeld }>> {
  const { data, error } = await supabase.rpc(RPC.holdSlot, {
    p_dentist_id: slot.dentistId,
    p_service_id: slot.serviceId,
    p_starts_at: slot.start,
  });
  if (error) return { ok: false, error: toSchedulingError(error) };
  const parsed = ZHoldRow.safeParse(data);
  if (!parsed.success) return { ok: false, error: toSchedulingError(null) };
  return { ok: true, hold: { holdId: parsed.data.id, expiresAt: parsed.data.expires_at } };
}

export async function releaseHold(supabase: SupabaseClient, holdId: string): Promise<void> {
  // Best effort: an unreleased hold lapses on its own after clinics.hold_minutes.
  await supabase.rpc(RPC.releaseHold, { p_hold_id: holdId });
}

export async function bookHeldSlot(
  supabase: SupabaseClient,
  slot: { dentistId: string; serviceId: string; start: string; holdId: string; idempotencyKey: string },
): Promise<TResult<{ appointmentId: string }>> {
  const { data, error } = await supabase.rpc(RPC.bookAppointment, {
    p_dentist_id: slot.dentistId,
    p_service_id: slot.serviceId,
    p_starts_at: slot.start,
    p_hold_id: slot.holdId,
    p_source: 'chatbot',
    p_idempotency_key: slot.idempotencyKey,
  });
  if (error) return { ok: false, error: toSchedulingError(error) };
  const parsed = ZAppointmentRow.safeParse(data);
  if (!parsed.success) return { ok: false, error: toSchedulingError(null) };
  return { ok: true, appointmentId: parsed.data.id };
}
