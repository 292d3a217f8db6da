/**
 * Reads and writes of a dentist's availability from the browser, through lib/data/availability.ts,
 * and the messages for the editors. The weekly hours are saved by one RPC (all or nothing); date
 * overrides are still a multi-step save (delete, insert, put back on failure). The database is the
 * gate (RLS, the RPC's checks), not this code.
 */
import { z } from 'zod';
import { listActiveAppointmentsOfDentist } from '@/lib/data/appointments';
import {
  deleteOverrides,
  deleteOverridesOn,
  deleteTimeOff as deleteTimeOffRow,
  insertOverrides,
  insertTimeOff,
  listOverrides,
  saveWeeklyHours,
  type TWeeklyWindow,
} from '@/lib/data/availability';
import type { TDataError, TDb } from '@/lib/data/result';
import type { TBookedAppointment, TWeeklyDraft, TWindowDraft } from './availability-model';

export const AVAILABILITY_WRITE_ERRORS = ['overlap', 'not_allowed', 'invalid_input', 'unexpected'] as const;
export type TAvailabilityWriteError = (typeof AVAILABILITY_WRITE_ERRORS)[number];

export const AVAILABILITY_WRITE_MESSAGES: Record<TAvailabilityWriteError, string> = {
  overlap: 'These hours overlap hours that are already saved. Reload and try again.',
  not_allowed: 'You can change only your own hours.',
  invalid_input: 'Some of the times are invalid. Check that every end is after its start.',
  unexpected: 'Saving failed. Please try again.',
};

const ZPostgrestError = z.object({ code: z.string().optional() });

/** Domain codes the availability writes raise (save_weekly_hours). */
const DOMAIN_CODE_TO_ERROR: Partial<Record<TDataError['code'], TAvailabilityWriteError>> = {
  overlapping_hours: 'overlap',
  invalid_input: 'invalid_input',
  not_allowed: 'not_allowed',
};

/** A failed lib/data call, mapped by its domain code, else by its SQLSTATE. */
export function fromDataError(error: TDataError): AvailabilityWriteError {
  const byCode = DOMAIN_CODE_TO_ERROR[error.code];
  if (byCode) return new AvailabilityWriteError(byCode);
  return toAvailabilityWriteError({ code: error.sqlstate ?? undefined });
}

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
  // The writes below throw mapped errors already; mapping them again would lose their code.
  if (error instanceof AvailabilityWriteError) return error;
  const code = ZPostgrestError.safeParse(error).data?.code;
  return new AvailabilityWriteError((code && SQLSTATE_TO_ERROR[code]) || 'unexpected');
}

/** How far ahead the "who is affected" count looks; the booking horizon is at most this long. */
export const AFFECTED_LOOKAHEAD_DAYS = 730;

/** The dentist's upcoming active appointments, for counting who a change of hours affects. */
export async function fetchUpcomingAppointments(
  supabase: TDb,
  dentistId: string,
  now: Date,
): Promise<TBookedAppointment[]> {
  const until = new Date(now.getTime() + AFFECTED_LOOKAHEAD_DAYS * 86_400_000);
  const result = await listActiveAppointmentsOfDentist(supabase, dentistId, { from: now, until });
  if (!result.ok) throw fromDataError(result.error);
  return result.data.map(({ id, patient_id, starts_at, ends_at, status }) => ({
    id,
    patient_id,
    starts_at,
    ends_at,
    status,
  }));
}

/**
 * Saves the weekly plan: every window of the draft, in one RPC that replaces the saved week all or
 * nothing, so a failed save (or a closed tab) never leaves a day without hours.
 */
export async function saveWeeklyRules(supabase: TDb, dentistId: string, draft: TWeeklyDraft): Promise<void> {
  const windows: TWeeklyWindow[] = Object.entries(draft).flatMap(([day, dayWindows]) =>
    dayWindows.map((window) => ({ weekday: Number(day), starts_at: window.start, ends_at: window.end })),
  );
  const saved = await saveWeeklyHours(supabase, dentistId, windows);
  if (!saved.ok) throw fromDataError(saved.error);
}

/** Replaces the hours of one date: no windows = day off. */
export async function replaceOverride(
  supabase: TDb,
  target: { clinicId: string; dentistId: string },
  date: string,
  windows: readonly Pick<TWindowDraft, 'start' | 'end'>[],
  note: string | null,
): Promise<void> {
  const previous = await listOverrides(supabase, target.dentistId, { on: date });
  if (!previous.ok) throw fromDataError(previous.error);
  const previousIds = previous.data.map((row) => row.id);
  if (previousIds.length > 0) {
    const deleted = await deleteOverrides(supabase, previousIds);
    if (!deleted.ok) throw fromDataError(deleted.error);
  }
  const base = { clinic_id: target.clinicId, dentist_id: target.dentistId, on_date: date, note };
  const rows: { start_time: string | null; end_time: string | null }[] =
    windows.length === 0
      ? [{ start_time: null, end_time: null }]
      : windows.map((w) => ({ start_time: w.start, end_time: w.end }));
  const inserted = await insertOverrides(
    supabase,
    rows.map((row) => ({ ...base, ...row })),
  );
  if (inserted.ok) return;
  if (previous.data.length > 0) {
    await insertOverrides(
      supabase,
      previous.data.map((row) => ({ ...row, clinic_id: target.clinicId, dentist_id: target.dentistId })),
    );
  }
  throw fromDataError(inserted.error);
}

export async function deleteOverrideDate(supabase: TDb, dentistId: string, date: string): Promise<void> {
  const result = await deleteOverridesOn(supabase, dentistId, date);
  if (!result.ok) throw fromDataError(result.error);
}

export async function addTimeOff(
  supabase: TDb,
  target: { clinicId: string; dentistId: string },
  range: { startsLocal: string; endsLocal: string; reason: string | null },
): Promise<void> {
  const result = await insertTimeOff(supabase, {
    clinic_id: target.clinicId,
    dentist_id: target.dentistId,
    starts_local: range.startsLocal,
    ends_local: range.endsLocal,
    reason: range.reason,
  });
  if (!result.ok) throw fromDataError(result.error);
}

export async function deleteTimeOff(supabase: TDb, id: string): Promise<void> {
  const result = await deleteTimeOffRow(supabase, id);
  if (!result.ok) throw fromDataError(result.error);
}
