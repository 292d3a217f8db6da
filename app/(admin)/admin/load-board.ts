/**
 * Server-side loading for the live board, under the admin's own RLS: the clinic, its dentists and
 * services. Appointments are loaded in the browser by the realtime hook (snapshot + live deltas).
 */
import 'server-only';
import type {
  TBoardClinic,
  TBoardDentist,
  TBoardService,
  TBoardViewer,
  TDentistService,
} from '@/components/admin/board-types';
import { getClinicSettings, listDentistServices, listDentists, listServices } from '@/lib/data/clinic';
import { getProfile } from '@/lib/data/profiles';
import { instantToLocal } from '@/lib/scheduling/time-zone';
import { createClient } from '@/lib/supabase/server';
import { getCurrentMember } from '@/lib/supabase/session';

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
  const [clinic, dentists, services, dentistServices, profile] = await Promise.all([
    getClinicSettings(supabase, member.clinicId),
    listDentists(supabase, member.clinicId),
    listServices(supabase, member.clinicId, { includeInactive: true }),
    listDentistServices(supabase, member.clinicId),
    getProfile(supabase, member.id),
  ]);
  if (!clinic.ok || !dentists.ok || !services.ok || !dentistServices.ok || !profile.ok)
    throw new Error('Could not load the live board.');
  if (!clinic.data || !profile.data) throw new Error('Could not load the live board.');
  const parsedClinic = clinic.data;
  return {
    viewer: { userId: member.id, email: member.email, name: profile.data.display_name },
    clinic: {
      id: parsedClinic.id,
      name: parsedClinic.name,
      timezone: parsedClinic.timezone,
      check_in_opens_minutes: parsedClinic.check_in_opens_minutes,
      no_show_after_minutes: parsedClinic.no_show_after_minutes,
    },
    dentists: dentists.data.map((d) => ({ id: d.id, display_name: d.display_name })),
    services: services.data.map((s) => ({ id: s.id, name: s.name, duration_minutes: s.duration_minutes })),
    dentistServices: dentistServices.data,
    today: instantToLocal(new Date(), parsedClinic.timezone).date,
    // From the render's one getClaims (getCurrentMember), not a second round trip.
    isServerOperator: member.isServerOperator,
  };
}
