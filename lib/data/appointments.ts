/**
 * Appointment writes of the staff workspaces, through the scheduling RPCs: typed arguments, a
 * zod-parsed result and one error mapping (lib/domain/errors.ts).
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import { APPOINTMENT_STATUSES, RPC, type TAppointmentStatus } from '@/lib/domain/appointments';
import { SCHEDULING_ERROR_MESSAGES, toSchedulingError, type TSchedulingError } from '@/lib/domain/errors';

const ZStatusChange = z.object({
  id: z.string().uuid(),
  status: z.enum(APPOINTMENT_STATUSES),
  version: z.number().int().positive(),
});
export type TStatusChange = z.infer<typeof ZStatusChange>;

export type TDataResult<T> = { ok: true; data: T } | { ok: false; error: TSchedulingError };

/**
 * set_appointment_status with the version the caller saw. Also the undo: passing the status the
 * appointment had before the caller's own change (and the version that change returned) reverts it.
 */
export async function setAppointmentStatus(
  supabase: SupabaseClient,
  args: { appointmentId: string; status: TAppointmentStatus; expectedVersion: number },
): Promise<TDataResult<TStatusChange>> {
  const { data, error } = await supabase.rpc(RPC.setAppointmentStatus, {
    p_appointment_id: args.appointmentId,
    p_status: args.status,
    p_expected_version: args.expectedVersion,
  });
  if (error) return { ok: false, error: toSchedulingError(error) };
  const parsed = ZStatusChange.safeParse(data);
  if (!parsed.success)
    return { ok: false, error: { code: 'unexpected', message: SCHEDULING_ERROR_MESSAGES.unexpected } };
  return { ok: true, data: parsed.data };
}
