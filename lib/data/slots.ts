/** Bookable time: available slots, holds, and the booking/rescheduling/cancelling RPCs. */
import { z } from 'zod';
import { APPOINTMENT_STATUSES, RPC, type TAppointmentSource } from '@/lib/domain/appointments';
import { toCountResult, toResult, toVoidResult, type TDataResult, type TDb } from './result';

/** How many of a clinic's holds have not expired at `now`. */
export async function countActiveHolds(db: TDb, clinicId: string, now: Date): Promise<TDataResult<number>> {
  return toCountResult(
    await db
      .from('slot_holds')
      .select('id', { count: 'exact', head: true })
      .eq('clinic_id', clinicId)
      .gt('expires_at', now.toISOString()),
  );
}

/**
 * One free start from available_slots(): instants as ISO-8601 with an offset, and the dentist's
 * name (the function joins it, so staff and patients need no second read).
 */
export const ZAvailableSlot = z.object({
  start: z.iso.datetime({ offset: true }),
  end: z.iso.datetime({ offset: true }),
  dentist_id: z.string(),
  dentist_name: z.string(),
});
export type TAvailableSlotRow = z.infer<typeof ZAvailableSlot>;

export interface TSlotQuery {
  clinicId: string;
  serviceId: string;
  /** null: any dentist who offers the treatment. */
  dentistId: string | null;
  from: string;
  to: string;
}

/** available_slots(): free starts in [from, to) (the engine refuses ranges over MAX_SLOT_RANGE_DAYS). */
export async function listAvailableSlots(
  db: TDb,
  query: TSlotQuery,
): Promise<TDataResult<TAvailableSlotRow[]>> {
  return toResult(
    await db.rpc(RPC.availableSlots, {
      p_clinic_id: query.clinicId,
      p_service_id: query.serviceId,
      p_dentist_id: query.dentistId ?? undefined,
      p_from: query.from,
      p_to: query.to,
    }),
    z.array(ZAvailableSlot),
  );
}

const ZHold = z.object({
  id: z.string(),
  dentist_id: z.string(),
  service_id: z.string(),
  starts_at: z.string(),
  expires_at: z.string(),
});
export type THoldRow = z.infer<typeof ZHold>;

/** hold_slot(): reserves a start for the caller for clinics.hold_minutes. */
export async function holdSlot(
  db: TDb,
  slot: { dentistId: string; serviceId: string; start: string },
): Promise<TDataResult<THoldRow>> {
  return toResult(
    await db
      .rpc(RPC.holdSlot, {
        p_dentist_id: slot.dentistId,
        p_service_id: slot.serviceId,
        p_starts_at: slot.start,
      })
      .single(),
    ZHold,
  );
}

/** release_hold(): best effort; an unreleased hold lapses on its own after clinics.hold_minutes. */
export async function releaseHold(db: TDb, holdId: string): Promise<TDataResult<void>> {
  return toVoidResult(await db.rpc(RPC.releaseHold, { p_hold_id: holdId }));
}

/** The fields of an appointment the booking RPCs answer with that callers read. */
const ZAppointmentChange = z.object({
  id: z.string(),
  version: z.number().int(),
  starts_at: z.string(),
  status: z.enum(APPOINTMENT_STATUSES),
});
export type TAppointmentChange = z.infer<typeof ZAppointmentChange>;

/** book_appointment() on a held start; the idempotency key makes a retry after a lost answer safe. */
export async function bookAppointment(
  db: TDb,
  booking: {
    dentistId: string;
    serviceId: string;
    start: string;
    holdId: string;
    idempotencyKey: string;
    source?: TAppointmentSource;
  },
): Promise<TDataResult<TAppointmentChange>> {
  return toResult(
    await db
      .rpc(RPC.bookAppointment, {
        p_dentist_id: booking.dentistId,
        p_service_id: booking.serviceId,
        p_starts_at: booking.start,
        p_hold_id: booking.holdId,
        p_idempotency_key: booking.idempotencyKey,
        ...(booking.source ? { p_source: booking.source } : {}),
      })
      .single(),
    ZAppointmentChange,
  );
}

/** reschedule_appointment() with the version the caller saw. */
export async function rescheduleAppointment(
  db: TDb,
  move: { appointmentId: string; start: string; dentistId: string; expectedVersion: number },
): Promise<TDataResult<TAppointmentChange>> {
  return toResult(
    await db
      .rpc(RPC.rescheduleAppointment, {
        p_appointment_id: move.appointmentId,
        p_starts_at: move.start,
        p_dentist_id: move.dentistId,
        p_expected_version: move.expectedVersion,
      })
      .single(),
    ZAppointmentChange,
  );
}

/** cancel_appointment() with the version the caller saw (late_cancel inside the cutoff). */
export async function cancelAppointment(
  db: TDb,
  target: { appointmentId: string; expectedVersion: number },
): Promise<TDataResult<TAppointmentChange>> {
  return toResult(
    await db
      .rpc(RPC.cancelAppointment, {
        p_appointment_id: target.appointmentId,
        p_expected_version: target.expectedVersion,
      })
      .single(),
    ZAppointmentChange,
  );
}
