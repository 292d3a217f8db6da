/**
 * GET /api/realtime/stats for a clinic admin: the clinic's booking activity. The SQL figures run with
 * the admin's own client, so RLS limits them to the admin's clinic even if a filter here were wrong.
 * GET /api/realtime/server-stats for a server operator: the realtime server's counters, which cover
 * every clinic and therefore never appear in a clinic's report.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import { clinicDayAndWeek, type TInstantRange } from './clinic-time';
import { fromPostgrestFailure, OpsError } from './errors';
import type { TRealtimeStats, TSchedulingStats, TServerStatsReport, TStatsReport } from './schemas';

const ZClinicRow = z.object({ timezone: z.string() }).nullable();

async function clinicTimeZone(supabase: SupabaseClient, clinicId: string): Promise<string> {
  const res = await supabase.from('clinics').select('timezone').eq('id', clinicId).maybeSingle();
  if (res.error) throw fromPostgrestFailure('clinics', res.status, res.error);
  const row = ZClinicRow.parse(res.data);
  // The admin's own clinic always exists (profiles.clinic_id references it); if not, it's our bug.
  if (!row) throw new OpsError('internal', undefined, { cause: new Error(`clinic ${clinicId} not found`) });
  return row.timezone;
}

function countOf(
  what: string,
  res: { count: number | null; status: number; error: { message: string; code?: string } | null },
): number {
  if (res.error) throw fromPostgrestFailure(what, res.status, res.error);
  return res.count ?? 0;
}

async function countBookedIn(
  supabase: SupabaseClient,
  clinicId: string,
  range: TInstantRange,
): Promise<number> {
  const res = await supabase
    .from('appointments')
    .select('id', { count: 'exact', head: true })
    .eq('clinic_id', clinicId)
    .gte('created_at', range.start.toISOString())
    .lt('created_at', range.end.toISOString());
  return countOf('appointments', res);
}

async function countActiveHolds(supabase: SupabaseClient, clinicId: string, now: Date): Promise<number> {
  const res = await supabase
    .from('slot_holds')
    .select('id', { count: 'exact', head: true })
    .eq('clinic_id', clinicId)
    .gt('expires_at', now.toISOString());
  return countOf('slot_holds', res);
}

export async function readSchedulingStats(
  supabase: SupabaseClient,
  clinicId: string,
  now: Date,
): Promise<{ timezone: string; scheduling: TSchedulingStats }> {
  const timezone = await clinicTimeZone(supabase, clinicId);
  const { day, week } = clinicDayAndWeek(now, timezone);
  const [activeHolds, bookingsToday, bookingsThisWeek] = await Promise.all([
    countActiveHolds(supabase, clinicId, now),
    countBookedIn(supabase, clinicId, day),
    countBookedIn(supabase, clinicId, week),
  ]);
  return {
    timezone,
    scheduling: {
      activeHolds,
      bookingsToday,
      bookingsThisWeek,
      dayStartsAt: day.start.toISOString(),
      weekStartsAt: week.start.toISOString(),
    },
  };
}

export async function buildStatsReport(opts: {
  supabase: SupabaseClient;
  clinicId: string;
  now?: Date;
}): Promise<TStatsReport> {
  const now = opts.now ?? new Date();
  const { timezone, scheduling } = await readSchedulingStats(opts.supabase, opts.clinicId, now);
  return {
    generatedAt: now.toISOString(),
    scope: 'clinic',
    clinic: { id: opts.clinicId, timezone },
    scheduling,
  };
}

export async function buildServerStatsReport(opts: {
  /** Realtime figures; see metrics.ts. */
  realtime: Promise<TRealtimeStats>;
  now?: Date;
}): Promise<TServerStatsReport> {
  const now = opts.now ?? new Date();
  return { generatedAt: now.toISOString(), scope: 'server', realtime: await opts.realtime };
}
