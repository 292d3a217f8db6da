/**
 * What every patient page needs, read on the server under the patient's own RLS: their clinic (from
 * their profile), its active treatments and dentists, and who offers what.
 */
import 'server-only';
import type { TPatientContext } from '@/components/patient/types';
import { getClinicSettings, listDentistServices, listDentists, listServices } from '@/lib/data/clinic';
import { getProfile } from '@/lib/data/profiles';
import { createClient } from '@/lib/supabase/server';

export type TPatientContextResult =
  { ok: true; context: TPatientContext } | { ok: false; reason: 'no_clinic' | 'unavailable' };

export async function loadPatientContext(userId: string): Promise<TPatientContextResult> {
  const supabase = await createClient();
  const profile = await getProfile(supabase, userId);
  if (!profile.ok) return { ok: false, reason: 'unavailable' };
  const clinicId = profile.data?.clinic_id ?? null;
  if (!clinicId) return { ok: false, reason: 'no_clinic' };

  const [clinic, services, dentists, offers] = await Promise.all([
    getClinicSettings(supabase, clinicId),
    listServices(supabase, clinicId),
    listDentists(supabase, clinicId),
    listDentistServices(supabase, clinicId),
  ]);
  if (!clinic.ok || !services.ok || !dentists.ok || !offers.ok || !clinic.data)
    return { ok: false, reason: 'unavailable' };

  const c = clinic.data;
  const offerRows = offers.data;
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
      services: services.data.map((s) => ({
        id: s.id,
        name: s.name,
        description: s.description,
        durationMinutes: s.duration_minutes,
      })),
      dentists: dentists.data.map((d) => ({
        id: d.id,
        name: d.display_name,
        bio: d.bio,
        serviceIds: offerRows.filter((o) => o.dentist_id === d.id).map((o) => o.service_id),
      })),
    },
  };
}
