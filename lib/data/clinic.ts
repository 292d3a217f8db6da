/** The clinic and its catalogue: settings, dentists, treatments, who offers what, opening hours. */
import { z } from 'zod';
import { RPC } from '@/lib/domain/appointments';
import { toResult, type TDataResult, type TDb } from './result';

const CLINIC_COLUMNS =
  'id, name, timezone, slot_interval_minutes, hold_minutes, min_notice_minutes, cancellation_cutoff_hours, booking_horizon_days, check_in_opens_minutes, no_show_after_minutes';

const ZClinicSettings = z.object({
  id: z.string(),
  name: z.string(),
  timezone: z.string(),
  slot_interval_minutes: z.number().int(),
  hold_minutes: z.number().int(),
  min_notice_minutes: z.number().int(),
  cancellation_cutoff_hours: z.number().int(),
  booking_horizon_days: z.number().int(),
  check_in_opens_minutes: z.number().int(),
  no_show_after_minutes: z.number().int(),
});
export type TClinicSettings = z.infer<typeof ZClinicSettings>;

/** One clinic's settings (null when RLS hides it or it does not exist). */
export async function getClinicSettings(
  db: TDb,
  clinicId: string,
): Promise<TDataResult<TClinicSettings | null>> {
  return toResult(
    await db.from('clinics').select(CLINIC_COLUMNS).eq('id', clinicId).maybeSingle(),
    ZClinicSettings.nullable(),
  );
}

/** The first clinic created: the public site's practice for visitors who belong to no clinic. */
export async function getDefaultClinicSettings(db: TDb): Promise<TDataResult<TClinicSettings | null>> {
  return toResult(
    await db.from('clinics').select(CLINIC_COLUMNS).order('created_at').limit(1).maybeSingle(),
    ZClinicSettings.nullable(),
  );
}

const ZDentist = z.object({ id: z.string(), display_name: z.string(), bio: z.string().nullable() });
export type TDentistRow = z.infer<typeof ZDentist>;

/** A clinic's dentists by name; inactive ones too when asked (admins may join their topics). */
export async function listDentists(
  db: TDb,
  clinicId: string,
  options: { includeInactive?: boolean } = {},
): Promise<TDataResult<TDentistRow[]>> {
  let query = db.from('dentists').select('id, display_name, bio').eq('clinic_id', clinicId);
  if (!options.includeInactive) query = query.eq('is_active', true);
  return toResult(await query.order('display_name').order('id'), z.array(ZDentist));
}

export async function getDentist(db: TDb, dentistId: string): Promise<TDataResult<TDentistRow | null>> {
  return toResult(
    await db.from('dentists').select('id, display_name, bio').eq('id', dentistId).maybeSingle(),
    ZDentist.nullable(),
  );
}

const ZService = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  duration_minutes: z.number().int(),
});
export type TServiceRow = z.infer<typeof ZService>;

/** A clinic's treatments by name; retired ones too when asked (staff see past visits of them). */
export async function listServices(
  db: TDb,
  clinicId: string,
  options: { includeInactive?: boolean } = {},
): Promise<TDataResult<TServiceRow[]>> {
  let query = db.from('services').select('id, name, description, duration_minutes').eq('clinic_id', clinicId);
  if (!options.includeInactive) query = query.eq('is_active', true);
  return toResult(await query.order('name'), z.array(ZService));
}

const ZDentistService = z.object({ dentist_id: z.string(), service_id: z.string() });
export type TDentistServiceRow = z.infer<typeof ZDentistService>;

/** Who offers which treatment in a clinic. */
export async function listDentistServices(
  db: TDb,
  clinicId: string,
): Promise<TDataResult<TDentistServiceRow[]>> {
  return toResult(
    await db.from('dentist_services').select('dentist_id, service_id').eq('clinic_id', clinicId),
    z.array(ZDentistService),
  );
}

/** '09:00' or '09:00:00'. */
const TIME_OF_DAY = /^\d{2}:\d{2}(:\d{2})?$/;

export const ZOpeningHours = z.object({
  weekday: z.number().int().min(0).max(6),
  opens_at: z.string().regex(TIME_OF_DAY),
  closes_at: z.string().regex(TIME_OF_DAY),
});
export type TOpeningHoursRow = z.infer<typeof ZOpeningHours>;

/** clinic_opening_hours(): the clinic's weekly hours, readable by visitors. */
export async function listOpeningHours(db: TDb, clinicId: string): Promise<TDataResult<TOpeningHoursRow[]>> {
  return toResult(await db.rpc(RPC.clinicOpeningHours, { p_clinic_id: clinicId }), z.array(ZOpeningHours));
}
