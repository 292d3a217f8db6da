/**
 * A dentist's availability: weekly hours (availability_rules), date overrides and time off. Weekly
 * hours are saved through one RPC (save_weekly_hours: the whole week in one transaction); the other
 * writes go straight to the tables. Either way the database is the gate: RLS and the RPC let a
 * dentist change only their own rows (and clinic admins any row of the clinic). Callers map domain
 * codes (error.code) and constraint SQLSTATEs (error.sqlstate) to their own messages.
 */
import { z } from 'zod';
import { toResult, toVoidResult, type TDataResult, type TDb } from './result';

const ZRule = z.object({
  id: z.string(),
  weekday: z.number().int(),
  start_time: z.string(),
  end_time: z.string(),
});
export type TRuleRecord = z.infer<typeof ZRule>;

export async function listWeeklyRules(db: TDb, dentistId: string): Promise<TDataResult<TRuleRecord[]>> {
  return toResult(
    await db
      .from('availability_rules')
      .select('id, weekday, start_time, end_time')
      .eq('dentist_id', dentistId)
      .order('weekday')
      .order('start_time'),
    z.array(ZRule),
  );
}

/** One weekly window in clinic local time: weekday 0 = Sunday … 6 = Saturday, "HH:MM" (end may be "24:00"). */
export type TWeeklyWindow = { weekday: number; starts_at: string; ends_at: string };

/**
 * Replaces the dentist's weekly hours with `windows`, all or nothing (save_weekly_hours). Windows
 * that did not change keep their rows. Refusals: not_allowed, invalid_input, overlapping_hours.
 */
export async function saveWeeklyHours(
  db: TDb,
  dentistId: string,
  windows: readonly TWeeklyWindow[],
): Promise<TDataResult<void>> {
  return toVoidResult(
    await db.rpc('save_weekly_hours', {
      p_dentist_id: dentistId,
      p_windows: windows.map(({ weekday, starts_at, ends_at }) => ({ weekday, starts_at, ends_at })),
    }),
  );
}

const ZOverride = z.object({
  id: z.string(),
  on_date: z.string(),
  start_time: z.string().nullable(),
  end_time: z.string().nullable(),
  note: z.string().nullable(),
});
export type TOverrideRecord = z.infer<typeof ZOverride>;

/** Overrides of one date (`on`) or of every date from `from` on. */
export async function listOverrides(
  db: TDb,
  dentistId: string,
  dates: { on: string } | { from: string },
): Promise<TDataResult<TOverrideRecord[]>> {
  const query = db
    .from('availability_overrides')
    .select('id, on_date, start_time, end_time, note')
    .eq('dentist_id', dentistId);
  const filtered = 'on' in dates ? query.eq('on_date', dates.on) : query.gte('on_date', dates.from);
  return toResult(await filtered.order('on_date').order('start_time'), z.array(ZOverride));
}

export type TOverrideInsert = {
  id?: string;
  clinic_id: string;
  dentist_id: string;
  on_date: string;
  start_time: string | null;
  end_time: string | null;
  note: string | null;
};

export async function insertOverrides(db: TDb, rows: readonly TOverrideInsert[]): Promise<TDataResult<void>> {
  return toVoidResult(await db.from('availability_overrides').insert([...rows]));
}

export async function deleteOverrides(db: TDb, ids: readonly string[]): Promise<TDataResult<void>> {
  return toVoidResult(
    await db
      .from('availability_overrides')
      .delete()
      .in('id', [...ids]),
  );
}

export async function deleteOverridesOn(
  db: TDb,
  dentistId: string,
  date: string,
): Promise<TDataResult<void>> {
  return toVoidResult(
    await db.from('availability_overrides').delete().eq('dentist_id', dentistId).eq('on_date', date),
  );
}

const ZTimeOff = z.object({
  id: z.string(),
  starts_local: z.string(),
  ends_local: z.string(),
  reason: z.string().nullable(),
});
export type TTimeOffRecord = z.infer<typeof ZTimeOff>;

/** Time off that has not ended before `fromDate` (clinic-local YYYY-MM-DD). */
export async function listTimeOff(
  db: TDb,
  dentistId: string,
  fromDate: string,
): Promise<TDataResult<TTimeOffRecord[]>> {
  return toResult(
    await db
      .from('time_off')
      .select('id, starts_local, ends_local, reason')
      .eq('dentist_id', dentistId)
      .gte('ends_local', `${fromDate}T00:00:00`)
      .order('starts_local'),
    z.array(ZTimeOff),
  );
}

export async function insertTimeOff(
  db: TDb,
  row: {
    clinic_id: string;
    dentist_id: string;
    starts_local: string;
    ends_local: string;
    reason: string | null;
  },
): Promise<TDataResult<void>> {
  return toVoidResult(await db.from('time_off').insert(row));
}

export async function deleteTimeOff(db: TDb, id: string): Promise<TDataResult<void>> {
  return toVoidResult(await db.from('time_off').delete().eq('id', id));
}
