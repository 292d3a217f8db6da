/**
 * GET /api/realtime/stats for a clinic admin: the clinic's booking activity. The SQL figures run with
 * the admin's own client, so RLS limits them to the admin's clinic even if a filter here were wrong.
 * GET /api/realtime/server-stats for a server operator: the realtime server's counters, which cover
 * every clinic and therefore never appear in a clinic's report.
 */
import { countAppointmentsBookedIn } from '@/lib/data/appointments';
import { getClinicSettings } from '@/lib/data/clinic';
import type { TDb } from '@/lib/data/result';
import { countActiveHolds } from '@/lib/data/slots';
import { clinicDayAndWeek } from './clinic-time';
import { OpsError, valueOrThrow } from './errors';
import type { TRealtimeStats, TSchedulingStats, TServerStatsReport, TStatsReport } from './schemas';

async function clinicTimeZone(supabase: TDb, clinicId: string): Promise<string> {
  const row = valueOrThrow('clinics', await getClinicSettings(supabase, clinicId));
  // The admin's own clinic always exists (profiles.clinic_id references it); if not, it's our bug.
  if (!row) throw new OpsError('internal', undefined, { cause: new Error(`clinic ${clinicId} not found`) });
  return row.timezone;
}

export async function readSchedulingStats(
  supabase: TDb,
  clinicId: string,
  now: Date,
): Promise<{ timezone: string; scheduling: TSchedulingStats }> {
  const timezone = await clinicTimeZone(supabase, clinicId);
  const { day, week } = clinicDayAndWeek(now, timezone);
  const [activeHolds, bookingsToday, bookingsThisWeek] = await Promise.all([
    countActiveHolds(supabase, clinicId, now),
    countAppointmentsBookedIn(supabase, clinicId, day),
    countAppointmentsBookedIn(supabase, clinicId, week),
  ]).then(([holds, today, thisWeek]) => [
    valueOrThrow('slot_holds', holds),
    valueOrThrow('appointments', today),
    valueOrThrow('appointments', thisWeek),
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
  supabase: TDb;
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
