/**
 * Server-side loading for the dentist workspace: who the dentist is and their clinic's settings,
 * read under the dentist's own RLS (the server client carries their session).
 */
import 'server-only';
import { getClinicSettings, getDentist, listServices } from '@/lib/data/clinic';
import { instantToLocal } from '@/lib/scheduling/time-zone';
import { createClient } from '@/lib/supabase/server';
import { getCurrentMember } from '@/lib/supabase/session';

export type TWorkspaceContext = {
  userId: string;
  email: string;
  clinic: {
    id: string;
    name: string;
    timezone: string;
    slot_interval_minutes: number;
    check_in_opens_minutes: number;
    no_show_after_minutes: number;
  };
  dentist: { id: string; display_name: string };
  services: { id: string; name: string; duration_minutes: number }[];
  /** Clinic-local date today. */
  today: string;
};

/** The dentist's context, or null when the caller is not a dentist (the layout shows the 403 page). */
export async function loadWorkspaceContext(): Promise<TWorkspaceContext | null> {
  const member = await getCurrentMember();
  if (!member || member.role !== 'dentist' || !member.dentistId || !member.clinicId) return null;
  const supabase = await createClient();
  const [clinic, dentist, services] = await Promise.all([
    getClinicSettings(supabase, member.clinicId),
    getDentist(supabase, member.dentistId),
    listServices(supabase, member.clinicId, { includeInactive: true }),
  ]);
  if (!clinic.ok || !dentist.ok || !services.ok || !clinic.data || !dentist.data)
    throw new Error('Could not load the workspace.');
  const parsedClinic = clinic.data;
  return {
    userId: member.id,
    email: member.email,
    clinic: {
      id: parsedClinic.id,
      name: parsedClinic.name,
      timezone: parsedClinic.timezone,
      slot_interval_minutes: parsedClinic.slot_interval_minutes,
      check_in_opens_minutes: parsedClinic.check_in_opens_minutes,
      no_show_after_minutes: parsedClinic.no_show_after_minutes,
    },
    dentist: { id: dentist.data.id, display_name: dentist.data.display_name },
    services: services.data.map((s) => ({ id: s.id, name: s.name, duration_minutes: s.duration_minutes })),
    today: instantToLocal(new Date(), parsedClinic.timezone).date,
  };
}
