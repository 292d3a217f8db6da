/**
 * Everything the chatbot needs to read a request, loaded through supabase-js as whoever is using the
 * page (anon or a signed-in user), so RLS decides what it may see:
 *   clinics, services, dentists, dentist_services  readable by anyone
 *   current_member()                                the caller's role and clinic (no row for anon)
 *   clinic_opening_hours()                          open to anyone; weekly hours for the parser
 */
import type { TOpeningHours } from '@/lib/chatbot';
import {
  getClinicSettings,
  getDefaultClinicSettings,
  listDentists,
  listOpeningHours,
  listServices,
  type TClinicSettings,
} from '@/lib/data/clinic';
import { fetchCurrentMember } from '@/lib/data/profiles';
import type { TDb } from '@/lib/data/result';
import { toOpeningHours } from './opening-hours';

/** Who is chatting, as far as booking is concerned. */
export type TViewer =
  | { kind: 'anonymous' }
  | { kind: 'patient'; userId: string }
  /** Staff book for patients from their workspace; a user without a clinic cannot book at all. */
  | { kind: 'cannot_book'; reason: 'staff' | 'no_clinic' };

export type TWidgetContext = {
  clinicId: string;
  clinicName: string;
  timeZone: string;
  minNoticeMinutes: number;
  holdMinutes: number;
  services: { id: string; name: string; durationMinutes: number }[];
  dentists: { id: string; name: string }[];
  openingHours: TOpeningHours;
  viewer: TViewer;
};

export class ContextLoadError extends Error {
  override name = 'ContextLoadError';
  constructor(readonly code: 'no_clinic' | 'unavailable') {
    super(code);
  }
}

async function loadViewer(supabase: TDb): Promise<{ viewer: TViewer; clinicId: string | null }> {
  const { data: session } = await supabase.auth.getSession();
  if (!session.session) return { viewer: { kind: 'anonymous' }, clinicId: null };
  const result = await fetchCurrentMember(supabase);
  if (!result.ok) throw new ContextLoadError('unavailable');
  const member = result.data;
  if (!member) return { viewer: { kind: 'anonymous' }, clinicId: null };
  if (!member.clinic_id) return { viewer: { kind: 'cannot_book', reason: 'no_clinic' }, clinicId: null };
  if (member.role !== 'patient')
    return { viewer: { kind: 'cannot_book', reason: 'staff' }, clinicId: member.clinic_id };
  return { viewer: { kind: 'patient', userId: member.user_id }, clinicId: member.clinic_id };
}

/**
 * The clinic is the signed-in member's own; for visitors, the first clinic created (the site is one
 * practice's public site; a multi-clinic deployment would pass the clinic in the URL).
 */
async function loadClinic(supabase: TDb, clinicId: string | null): Promise<TClinicSettings> {
  const result = clinicId
    ? await getClinicSettings(supabase, clinicId)
    : await getDefaultClinicSettings(supabase);
  if (!result.ok) throw new ContextLoadError('unavailable');
  if (!result.data) throw new ContextLoadError('no_clinic');
  return result.data;
}

export async function loadWidgetContext(supabase: TDb): Promise<TWidgetContext> {
  const { viewer, clinicId } = await loadViewer(supabase);
  const clinic = await loadClinic(supabase, clinicId);
  const [services, dentists, hours] = await Promise.all([
    listServices(supabase, clinic.id),
    listDentists(supabase, clinic.id),
    listOpeningHours(supabase, clinic.id),
  ]);
  if (!services.ok || !dentists.ok || !hours.ok) throw new ContextLoadError('unavailable');

  return {
    clinicId: clinic.id,
    clinicName: clinic.name,
    timeZone: clinic.timezone,
    minNoticeMinutes: clinic.min_notice_minutes,
    holdMinutes: clinic.hold_minutes,
    services: services.data.map((s) => ({ id: s.id, name: s.name, durationMinutes: s.duration_minutes })),
    dentists: dentists.data.map((d) => ({ id: d.id, name: d.display_name })),
    openingHours: toOpeningHours(hours.data),
    viewer,
  };
}
