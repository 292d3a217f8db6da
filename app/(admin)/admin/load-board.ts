/**
 * Server-side loading for the live board, under the admin's own RLS: the clinic, its dentists and
 * services. Appointments are loaded in the browser by the realtime hook (snapshot + live deltas).
 */
import 'server-only';
import { z } from 'zod';
import type {
  TBoardClinic,
  TBoardDentist,
  TBoardService,
  TBoardViewer,
  TDentistService,
} from '@/components/admin/board-types';
import { isServerOperatorClaims } from '@/lib/ops/caller';
import { instantToLocal } from '@/lib/scheduling/time-zone';
import { createClient } from '@/lib/supabase/server';
import { getCurrentMember } from '@/lib/supabase/session';

const ZClinic = z.object({
  id: z.string(),
  name: z.string(),
  timezone: z.string(),
  check_in_opens_minutes: z.number().int(),
  no_show_after_minutes: z.number().int(),
});
const ZDentist = z.object({ id: z.string(), display_name: z.string() });
const ZService = z.object({ id: z.string(), name: z.string(), duration_minutes: z.number() });
const ZDentistService = z.object({ dentist_id: z.string(), service_id: z.string() });
const ZProfile = z.object({ display_name: z.string() });

export type TBoardContext = {
  viewer: TBoardViewer;
  clinic: TBoardClinic;
  dentists: TBoardDentist[];
  services: TBoardService[];
  dentistServices: TDentistService[];
  today: string;
  /** Also a server operator: the board adds the server-wide realtime panel. */
  isServerOperator: boolean;
};

/** The board's context, or null when the caller is not a clinic admin (the layout shows the 403 page). */
export async function loadBoardContext(): Promise<TBoardContext | null> {
  const member = await getCurrentMember();
  if (!member || member.role !== 'admin' || !member.clinicId) return null;
  const supabase = await createClient();
  const [clinic, dentists, services, dentistServices, profile, claims] = await Promise.all([
    supabase
      .from('clinics')
      .select('id, name, timezone, check_in_opens_minutes, no_show_after_minutes')
      .eq('id', member.clinicId)
      .single(),
    supabase
      .from('dentists')
      .select('id, display_name')
      .eq('clinic_id', member.clinicId)
      .eq('is_active', true)
      .order('display_name'),
    supabase
      .from('services')
      .select('id, name, duration_minutes')
      .eq('clinic_id', member.clinicId)
      .order('name'),
    supabase.from('dentist_services').select('dentist_id, service_id').eq('clinic_id', member.clinicId),
    supabase.from('profiles').select('display_name').eq('id', member.id).single(),
    supabase.auth.getClaims(),
  ]);
  if (clinic.error || dentists.error || services.error || dentistServices.error || profile.error)
    throw new Error('Could not load the live board.');
  const parsedClinic = ZClinic.parse(clinic.data);
  return {
    viewer: { userId: member.id, email: member.email, name: ZProfile.parse(profile.data).display_name },
    clinic: parsedClinic,
    dentists: z.array(ZDentist).parse(dentists.data),
    services: z.array(ZService).parse(services.data),
    dentistServices: z.array(ZDentistService).parse(dentistServices.data),
    today: instantToLocal(new Date(), parsedClinic.timezone).date,
    isServerOperator: !claims.error && isServerOperatorClaims(claims.data?.claims),
  };
}
