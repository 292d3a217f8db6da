/** Calls to the scheduling RPCs the patient views share, with their responses parsed. */
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import { RPC, type TAvailableSlot } from '@/lib/domain/appointments';

const ZAvailableSlot = z.object({
  start: z.string(),
  end: z.string(),
  dentist_id: z.string(),
  dentist_name: z.string(),
});

export async function fetchAvailableSlots(
  client: SupabaseClient,
  query: { clinicId: string; serviceId: string; dentistId: string | null; from: string; to: string },
): Promise<TAvailableSlot[]> {
  const { data, error } = await client.rpc(RPC.availableSlots, {
    p_clinic_id: query.clinicId,
    p_service_id: query.serviceId,
    p_dentist_id: query.dentistId,
    p_from: query.from,
    p_to: query.to,
  });
  if (error) throw error;
  // Normalise instants to ISO-8601 UTC so the same slot compares equal across fetches and payloads.
  return z
    .array(ZAvailableSlot)
    .parse(data ?? [])
    .map((slot) => ({
      ...slot,
      start: new Date(slot.start).toISOString(),
      end: new Date(slot.end).toISOString(),
    }));
}

export const ZHold = z.object({
  id: z.string(),
  dentist_id: z.string(),
  service_id: z.string(),
  starts_at: z.string(),
  expires_at: z.string(),
});
export type THold = z.infer<typeof ZHold>;

export const ZAppointmentResult = z.object({
  id: z.string(),
  version: z.number(),
  starts_at: z.string(),
  status: z.string(),
});
