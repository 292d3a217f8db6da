/**
 * Server-side loading for the dentist workspace: who the dentist is and their clinic's settings,
 * read under the dentist's own RLS (the server client carries their session).
 */
import 'server-only';
import { z } from 'zod';
import { instantToLocal } from '@/lib/scheduling/time-zone';
import { createClient } from '@/lib/supabase/server';
import { getCurrentMember } from '@/lib/supabase/session';

const ZClinic = z.object({
  id: z.string(),
  name: z.string(),
  timezone: z.string(),
  slot_interval_minutes: z.number(),
  check_in_opens_minutes: z.number().int(),
  no_show_after_minutes: z.number().int(),
});
const ZDentist = z.object({ id: z.string(), display_name: z.string() });
const ZService = z.object({ id: z.string(), name: z.string(), duration_minutes: z.number() });

export type TWorkspaceContext = {
  userId: string;
  email: string;
  clinic: z.infer<typeof ZClinic>;
  dentist: z.infer<typeof ZDentist>;
  services: z.infer<typeof ZService>[];
  /** Clinic-local date today. */
  today: string;
};

/** The dentist's context, or null when the caller is not a dentist (the layout shows the 403 page). */
export async function loadWorkspaceContext(): Promise<TWorkspaceContext | null> {
  const member = await getCurrentMember();
  if (!member || member.role !== 'dentist' || !member.dentistId || !member.clinicId) return null;
  const supabase = await createClient();
  const [clinic, dentist, services] = await Promise.all([
    supabase
      .from('clinics')
      .select('id, name, timezone, slot_interval_minutes, check_in_opens_minutes, no_show_after_minutes')
      .eq('id', member.clinicId)
      .single(),
    supabase.from('dentists').select('id, display_name').eq('id', member.dentistId).single(),
    supabase
      .from('services')
      .select('id, name, duration_minutes')
      .eq('clinic_id', member.clinicId)
      .order('name'),
  ]);
  if (clinic.error || dentist.error || services.error) throw new Error('Could not load the workspace.');
  const parsedClinic = ZClinic.parse(clinic.data);
  return {
    userId: member.id,
    email: member.email,
    clinic: parsedClinic,
    dentist: ZDentist.parse(dentist.data),
    services: z.array(ZService).parse(services.data),
    today: instantToLocal(new Date(), parsedClinic.timezone).date,
  };
}
