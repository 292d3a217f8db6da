/** The slot query the patient views share, through lib/data/slots.ts, with instants normalised. */
import { listAvailableSlots, type THoldRow } from '@/lib/data/slots';
import type { TDb } from '@/lib/data/result';
import type { TAvailableSlot } from '@/lib/domain/appointments';

export type THold = THoldRow;

export async function fetchAvailableSlots(
  client: TDb,
  query: { clinicId: string; serviceId: string; dentistId: string | null; from: string; to: string },
): Promise<TAvailableSlot[]> {
  const result = await listAvailableSlots(client, query);
  if (!result.ok) throw new Error(result.error.detail);
  // Normalise instants to ISO-8601 UTC so the same slot compares equal across fetches and payloads.
  return result.data.map((slot) => ({
    ...slot,
    start: new Date(slot.start).toISOString(),
    end: new Date(slot.end).toISOString(),
  }));
}
