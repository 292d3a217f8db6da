/**
 * Appointments: the live snapshot the views start from, the counts the ops reports need, and the
 * staff status change through the scheduling RPC. Typed arguments, zod-parsed results and one error
 * mapping (lib/data/result.ts → lib/domain/errors.ts).
 */
import { z } from 'zod';
import {
  ACTIVE_STATUSES,
  APPOINTMENT_SOURCES,
  APPOINTMENT_STATUSES,
  RPC,
  type TAppointmentStatus,
} from '@/lib/domain/appointments';
import { toCountResult, toResult, type TDataResult, type TDb } from './result';

export type { TDataResult } from './result';

/** Columns the views need; the same fields the database broadcasts (no notes or names on the wire). */
export const APPOINTMENT_COLUMNS =
  'id, clinic_id, dentist_id, patient_id, service_id, status, source, version, starts_at, ends_at';

const ZAppointment = z.object({
  id: z.string(),
  clinic_id: z.string(),
  dentist_id: z.string(),
  patient_id: z.string(),
  service_id: z.string(),
  status: z.enum(APPOINTMENT_STATUSES),
  source: z.enum(APPOINTMENT_SOURCES),
  version: z.number().int(),
  starts_at: z.string(),
  ends_at: z.string(),
});
export type TAppointmentRecord = z.infer<typeof ZAppointment>;

/** Snapshot rows are capped; views that need more narrow the window (from/to). */
export const MAX_APPOINTMENT_ROWS = 1_000;

export interface TAppointmentFilter {
  /** Exactly one owner narrows the list; RLS narrows it again. */
  patientId?: string;
  dentistId?: string;
  clinicId?: string;
  /** Appointments that end after `from` and start before `to` (ISO instants). */
  from?: string;
  to?: string;
  /** Only these statuses (e.g. the active ones). */
  statuses?: readonly TAppointmentStatus[];
  /** Leave these statuses out (e.g. the cancelled ones). */
  excludeStatuses?: readonly TAppointmentStatus[];
}

/** Appointments by start time, at most MAX_APPOINTMENT_ROWS. */
export async function listAppointments(
  db: TDb,
  filter: TAppointmentFilter,
): Promise<TDataResult<TAppointmentRecord[]>> {
  let query = db.from('appointments').select(APPOINTMENT_COLUMNS);
  if (filter.patientId) query = query.eq('patient_id', filter.patientId);
  else if (filter.dentistId) query = query.eq('dentist_id', filter.dentistId);
  else if (filter.clinicId) query = query.eq('clinic_id', filter.clinicId);
  if (filter.from) query = query.gt('ends_at', filter.from);
  if (filter.to) query = query.lt('starts_at', filter.to);
  if (filter.statuses) query = query.in('status', [...filter.statuses]);
  if (filter.excludeStatuses) query = query.not('status', 'in', `(${filter.excludeStatuses.join(',')})`);
  return toResult(
    await query.order('starts_at', { ascending: true }).limit(MAX_APPOINTMENT_ROWS),
    z.array(ZAppointment),
  );
}

/** A dentist's active appointments that have not ended by `from` and start before `until`, uncapped. */
export async function listActiveAppointmentsOfDentist(
  db: TDb,
  dentistId: string,
  range: { from: Date; until: Date },
): Promise<TDataResult<TAppointmentRecord[]>> {
  return toResult(
    await db
      .from('appointments')
      .select(APPOINTMENT_COLUMNS)
      .eq('dentist_id', dentistId)
      .in('status', [...ACTIVE_STATUSES])
      .gte('ends_at', range.from.toISOString())
      .lt('starts_at', range.until.toISOString())
      .order('starts_at'),
    z.array(ZAppointment),
  );
}

/** How many appointments of a clinic were booked (created) in [start, end). */
export async function countAppointmentsBookedIn(
  db: TDb,
  clinicId: string,
  range: { start: Date; end: Date },
): Promise<TDataResult<number>> {
  return toCountResult(
    await db
      .from('appointments')
      .select('id', { count: 'exact', head: true })
      .eq('clinic_id', clinicId)
      .gte('created_at', range.start.toISOString())
      .lt('created_at', range.end.toISOString()),
  );
}

const ZStatusChange = z.object({
  id: z.string().uuid(),
  status: z.enum(APPOINTMENT_STATUSES),
  version: z.number().int().positive(),
});
export type TStatusChange = z.infer<typeof ZStatusChange>;

/**
 * set_appointment_status with the version the caller saw. Also the undo: passing the status the
 * appointment had before the caller's own change (and the version that change returned) reverts it.
 */
export async function setAppointmentStatus(
  db: TDb,
  args: { appointmentId: string; status: TAppointmentStatus; expectedVersion: number },
): Promise<TDataResult<TStatusChange>> {
  return toResult(
    await db.rpc(RPC.setAppointmentStatus, {
      p_appointment_id: args.appointmentId,
      p_status: args.status,
      p_expected_version: args.expectedVersion,
    }),
    ZStatusChange,
  );
}
