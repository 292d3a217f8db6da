/**
 * Everything the chatbot needs to read a request, loaded through supabase-js as whoever is using the
 * page (anon or a signed-in user), so RLS decides what it may see:
 *   clinics, services, dentists, dentist_services  readable by anyone
 *   current_member()                                the caller's role and clinic (no row for anon)
 *   clinic_opening_hours()                          open to anyone; weekly hours for the parser
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import type { TOpeningHours } from '@/lib/chatbot';
import { RPC } from '@/lib/domain/appointments';
import { toOpeningHours, ZOpeningHoursRow } from './opening-hours';

const ZClinicRow = z.object({
  id: z.string(),
  name: z.string(),
  timezone: z.string(),
  min_notice_minutes: z.number().int(),
  hold_minutes: z.number().int(),
});
const ZServiceRow = z.object({ id: z.string(), name: z.string(), duration_minutes: z.number().int() });
const ZDentistRow = z.object({ id: z.string(), display_name: z.string() });
const ZMemberRow = z.object({
  user_id: z.string(),
  role: z.enum(['patient', 'dentist', 'admin']),
  clinic_id: z.string().nullable(),
});

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

function parseRows<T>(schema: z.ZodType<T>, data: unknown): T[] {
  const parsed = z.array(schema).safeParse(data ?? []);
  if (!parsed.success) throw new ContextLoadError('unavailable');
  return parsed.data;
}

async function loadViewer(supabase: SupabaseClient): Promise<{ viewer: TViewer; clinicId: string | null }> {
  const { data: session } = await supabase.auth.getSession();
  if (!session.session) return { viewer: { kind: 'anonymous' }, clinicId: null };
  const { data, error } = await supabase.rpc(RPC.currentMember);
  if (error) throw new ContextLoadError('unavailable');
  const member = parseRows(ZMemberRow, data)[0];
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
async function loadClinic(supabase: SupabaseClient, clinicId: string | null) {
  const query = supabase.from('clinics').select('id, name, timezone, min_notice_minutes, hold_minutes');
  const { data, error } = clinicId
    ? await query.eq('id', clinicId).limit(1)
    : await query.order('created_at').limit(1);
  if (error) throw new ContextLoadError('unavailable');
  const clinic = parseRows(ZClinicRow, data)[0];
  if (!clinic) throw new ContextLoadError('no_clinic');
  return clinic;
}

export async function loadWidgetContext(supabase: SupabaseClient): Promise<TWidgetContext> {
  const { viewer, clinicId } = await loadViewer(supabase);
  const clinic = await loadClinic(supabase, clinicId);
  const [services, dentists, hours] = await Promise.all([
    supabase
      .from('services')
      .select('id, name, duration_minutes')
      .eq('clinic_id', clinic.id)
      .eq('is_active', true)
      .order('name'),
    supabase
      .from('dentists')
      .select('id, display_name')
      .eq('clinic_id', clinic.id)
      .eq('is_active', true)
      .order('display_name'),
    supabase.rpc(RPC.clinicOpeningHours, { p_clinic_id: clinic.id }),
  ]);
  if (services.error || dentists.error || hours.error) throw new ContextLoadError('unavailable');
  const serviceRows = parseRows(ZServiceRow, services.data);
  const dentistRows = parseRows(ZDentistRow, dentists.data);

  return {
    clinicId: clinic.id,
    clinicName: clinic.name,
    timeZone: clinic.timezone,
    minNoticeMinutes: clinic.min_notice_minutes,
    holdMinutes: clinic.hold_minutes,
    services: serviceRows.map((s) => ({ id: s.id, name: s.name, durationMinutes: s.duration_minutes })),
    dentists: dentistRows.map((d) => ({ id: d.id, name: d.display_name })),
    openingHours: toOpeningHours(parseRows(ZOpeningHoursRow, hours.data)),
    viewer,
  };
}
