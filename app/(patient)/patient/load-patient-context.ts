/**
 * What every patient page needs, read on the server under the patient's own RLS: their clinic (from
 * their profile), its active treatments and dentists, and who offers what.
 */
import 'server-only';
import { z } from 'zod';
import type { TPatientContext } from '@/components/patient/types';
import { createClient } from '@/lib/supabase/server';

const ZClinic = z.object({
  id: z.string(),
  name: z.string(),
  timezone: z.string(),
  hold_minutes: z.number(),
  cancellation_cutoff_hours: z.number(),
  booking_horizon_days: z.number(),
  min_notice_minutes: z.number(),
});
const ZService = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  duration_minutes: z.number(),
});
const ZDentist = z.object({ id: z.string(), display_name: z.string(), bio: z.string().nullable() });
const ZOffer = z.object({ dentist_id: z.string(), service_id: z.string() });

export type TPatientContextResult =
  { ok: true; context: TPatientContext } | { ok: false; reason: 'no_clinic' | 'unavailable' };

export async function loadPatientContext(userId: string): Promise<TPatientContextResult> {
  const supabase = await createClient();
  const { data: profile, error: profileError } = await supabase
    .from('profiles')
    .select('clinic_id')
    .eq('id', userId)
    .maybeSingle();
  if (profileError) return { ok: false, reason: 'unavailable' };
  const clinicId =
    z.object({ clinic_id: z.string().nullable() }).nullable().parse(profile)?.clinic_id ?? null;
  if (!clinicId) return { ok: false, reason: 'no_clinic' };

  const [clinic, services, dentists, offers] = await Promise.all([
    supabase
      .from('clinics')
      .select(
        'id, name, timezone, hold_minutes, cancellation_cutoff_hours, booking_horizon_days, min_notice_minutes',
      )
      .eq('id', clinicId)
      .single(),
    supabase
      .from('services')
      .select('id, name, description, duration_minutes')
      .eq('clinic_id', clinicId)
      .eq('is_active', true)
      .order('name'),
    supabase
      .from('dentists')
      .select('id, display_name, bio')
      .eq('clinic_id', clinicId)
      .eq('is_active', true)
      .order('display_name'),
    supabase.from('dentist_services').select('dentist_id, service_id').eq('clinic_id', clinicId),
  ]);
  if (clinic.error || services.error || dentists.error || offers.error)
    return { ok: false, reason: 'unavailable' };

  const c = ZClinic.parse(clinic.data);
  const offerRows = z.array(ZOffer).parse(offers.data ?? []);
  return {
    ok: true,
    context: {
      userId,
      clinic: {
        id: c.id,
        name: c.name,
        timezone: c.timezone,
        holdMinutes: c.hold_minutes,
        cancellationCutoffHours: c.cancellation_cutoff_hours,
        bookingHorizonDays: c.booking_horizon_days,
        minNoticeMinutes: c.min_notice_minutes,
      },
      services: z
        .array(ZService)
        .parse(services.data ?? [])
        .map((s) => ({
          id: s.id,
          name: s.name,
          description: s.description,
          durationMinutes: s.duration_minutes,
        })),
      dentists: z
        .array(ZDentist)
        .parse(dentists.data ?? [])
        .map((d) => ({
          id: d.id,
          name: d.display_name,
          bio: d.bio,
          serviceIds: offerRows.filter((o) => o.dentist_id === d.id).map((o) => o.service_id),
        })),
    },
  };
}
