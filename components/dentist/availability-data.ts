/**
 * Reads and writes of a dentist's availability from the browser. Writes go straight to the tables:
 * their RLS lets a dentist change only their own rows (and clinic admins any row of the clinic), so
 * the database is the gate, not this code.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import { ACTIVE_STATUSES, APPOINTMENT_STATUSES } from '@/lib/domain/appointments';
import type { TBookedAppointment, TRuleRow, TWeeklyDraft, TWindowDraft } from './availability-model';
import { weeklyWrites } from './availability-model';

export const AVAILABILITY_WRITE_ERRORS = ['overlap', 'not_allowed', 'invalid_input', 'unexpected'] as const;
export type TAvailabilityWriteError = (typeof AVAILABILITY_WRITE_ERRORS)[number];

export const AVAILABILITY_WRITE_MESSAGES: Record<TAvailabilityWriteError, string> = {
  overlap: 'These hours overlap hours that are already saved. Reload and try again.',
  not_allowed: 'You can change only your own hours.',
  invalid_input: 'Some of the times are invalid. Check that every end is after its start.',
  unexpected: 'Saving failed. Please try again.',
};

const ZPostgrestError = z.object({ code: z.string().optional() });

/** SQLSTATEs of the constraints on the availability tables. */
const SQLSTATE_TO_ERROR: Record<string, TAvailabilityWriteError> = {
  '23P01': 'overlap', // exclusion constraint: windows of one day / one date overlap
  '23514': 'invalid_input', // check constraint: start before end
  '22007': 'invalid_input', // invalid time/date syntax
  '22008': 'invalid_input', // time/date out of range
  '42501': 'not_allowed', // RLS refused the row
};

export class AvailabilityWriteError extends Error {
  override name = 'AvailabilityWriteError';
  constructor(readonly code: TAvailabilityWriteError) {
    super(AVAILABILITY_WRITE_MESSAGES[code]);
  }
}

export function toAvailabilityWriteError(error: unknown): AvailabilityWriteError {
  const code = ZPostgrestError.safeParse(error).data?.code;
  return new AvailabilityWriteError((code && SQLSTATE_TO_ERROR[code]) || 'unexpected');
}

/** How far ahead the "who is affected" count looks; the booking horizon is at most this long. */
export const AFFECTED_LOOKAHEAD_DAYS = 730;

const ZBooked = z.object({
  id: z.string(),
  patient_id: z.string(),
  starts_at: z.string(),
  ends_at: z.string(),
  status: z.enum(APPOINTMENT_STATUSES),
});

/** The dentist's upcoming active appointments, for counting who a change of hours affects. */
export async function fetchUpcomingAppointments(
  supabase: SupabaseClient,
  dentistId: string,
  now: Date,
): Promise<TBookedAppointment[]> {
  const until = new Date(now.getTime() + AFFECTED_LOOKAHEAD_DAYS * 86_400_000);
  const { data, error } = await supabase
    .from('appointments')
    .select('id, patient_id, starts_at, ends_at, status')
    .eq('dentist_id', dentistId)
    .in('status', [...ACTIVE_STATUSES])
    .gte('ends_at', now.toISOString())
    .lt('starts_at', until.toISOString())
    .order('starts_at');
  if (error) throw toAvailabilityWriteError(error);
  return z.array(ZBooked).parse(data ?? []);
}

/**
 * Saves the weekly plan: deletes first, then one bulk insert (one transaction on the server). If the
 * insert fails, the deleted windows are put back so a failed save never leaves a day without hours.
 */
export async function saveWeeklyRules(
  supabase: SupabaseClient,
  target: { clinicId: string; dentistId: string },
  saved: readonly TRuleRow[],
  draft: TWeeklyDraft,
): Promise<void> {
  const { deleteIds, inserts } = weeklyWrites(saved, draft);
  if (deleteIds.length > 0) {
    const { error } = await supabase.from('availability_rules').delete().in('id', deleteIds);
    if (error) throw toAvailabilityWriteError(error);
  }
  if (inserts.length === 0) return;
  const rows = inserts.map((row) => ({ ...row, clinic_id: target.clinicId, dentist_id: target.dentistId }));
  const { error } = await supabase.from('availability_rules').insert(rows);
  if (!error) return;
  const restore = saved
    .filter((rule) => deleteIds.includes(rule.id))
    .map((rule) => ({ ...rule, clinic_id: target.clinicId, dentist_id: target.dentistId }));
  if (restore.length > 0) await supabase.from('availability_rules').insert(restore);
  throw toAvailabilityWriteError(error);
}

/** Replaces the hours of one date: no windows = day off. */
export async function replaceOverride(
  supabase: SupabaseClient,
  target: { clinicId: string; dentistId: string },
  date: string,
  windows: readonly Pick<TWindowDraft, 'start' | 'end'>[],
  note: string | null,
): Promise<void> {
  const { data: previous, error: readError } = await supabase
    .from('availability_overrides')
    .select('id, on_date, start_time, end_time, note')
    .eq('dentist_id', target.dentistId)
    .eq('on_date', date);
  if (readError) throw toAvailabilityWriteError(readError);
  const previousIds = (previous ?? []).map((row: { id: string }) => row.id);
  if (previousIds.length > 0) {
    const { error } = await supabase.from('availability_overrides').delete().in('id', previousIds);
    if (error) throw toAvailabilityWriteError(error);
  }
  const base = { clinic_id: target.clinicId, dentist_id: target.dentistId, on_date: date, note };
  const rows: { start_time: string | null; end_time: string | null }[] =
    windows.length === 0
      ? [{ start_time: null, end_time: null }]
      : windows.map((w) => ({ start_time: w.start, end_time: w.end }));
  const { error } = await supabase
    .from('availability_overrides')
    .insert(rows.map((row) => ({ ...base, ...row })));
  if (!error) return;
  if (previous && previous.length > 0) {
    await supabase
      .from('availability_overrides')
      .insert(previous.map((row) => ({ ...row, clinic_id: target.clinicId, dentist_id: target.dentistId })));
  }
  throw toAvailabilityWriteError(error);
}

export async function deleteOverrideDate(
  supabase: SupabaseClient,
  dentistId: string,
  date: string,
): Promise<void> {
  const { error } = await supabase
    .from('availability_overrides')
    .delete()
    .eq('dentist_id', dentistId)
    .eq('on_date', date);
  if (error) throw toAvailabilityWriteError(error);
}

export async function addTimeOff(
  supabase: SupabaseClient,
  target: { clinicId: string; dentistId: string },
  range: { startsLocal: string; endsLocal: string; reason: string | null },
): Promise<void> {
  const { error } = await supabase.from('time_off').insert({
    clinic_id: target.clinicId,
    dentist_id: target.dentistId,
    starts_local: range.startsLocal,
    ends_local: range.endsLocal,
    reason: range.reason,
  });
  if (error) throw toAvailabilityWriteError(error);
}

export async function deleteTimeOff(supabase: SupabaseClient, id: string): Promise<void> {
  const { error } = await supabase.from('time_off').delete().eq('id', id);
  if (error) throw toAvailabilityWriteError(error);
}
