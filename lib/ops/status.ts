/**
 * GET /api/realtime/status: the caller's role, the topics they may join and, per topic, the newest
 * activity they can see. A client that knows the last event it received can compare and re-fetch
 * after a gap (events are signals; the database is the truth).
 *
 * Every query runs with the caller's own client, so RLS decides what "latest" may include.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import type { TCaller } from './caller';
import { fromPostgrestFailure } from './errors';
import type { TStatusReport } from './schemas';
import { planTopics, scopeKey, type TActivityScope } from './topics';

const ZOccurredAt = z.object({ occurred_at: z.string() }).nullable();
const ZDentistIds = z.array(z.object({ id: z.uuid() }));

/** Every dentist of the clinic, active or not: the topic policy lets admins join any of them. */
async function listClinicDentists(supabase: SupabaseClient, clinicId: string): Promise<string[]> {
  const res = await supabase
    .from('dentists')
    .select('id')
    .eq('clinic_id', clinicId)
    .order('display_name')
    .order('id');
  if (res.error) throw fromPostgrestFailure('dentists', res.status, res.error);
  return ZDentistIds.parse(res.data).map((d) => d.id);
}

/**
 * Newest activity_log entry in a scope, as one indexed `order by occurred_at desc limit 1` rather
 * than an aggregate: hosted PostgREST has aggregate functions switched off by default.
 */
export async function findLatestActivityAt(
  supabase: SupabaseClient,
  scope: TActivityScope,
): Promise<string | null> {
  let query = supabase.from('activity_log').select('occurred_at');
  switch (scope.kind) {
    case 'clinic':
      query = query.eq('clinic_id', scope.clinicId);
      break;
    case 'dentist':
      query = query.eq('dentist_id', scope.dentistId);
      break;
    case 'patient':
      // The patient topic carries appointment changes only (holds are not broadcast there).
      query = query.eq('patient_id', scope.patientId).eq('entity_type', 'appointment');
      break;
  }
  const res = await query.order('occurred_at', { ascending: false }).limit(1).maybeSingle();
  if (res.error) throw fromPostgrestFailure('activity_log', res.status, res.error);
  const row = ZOccurredAt.parse(res.data);
  return row ? new Date(row.occurred_at).toISOString() : null;
}

export async function buildStatusReport(
  supabase: SupabaseClient,
  caller: TCaller,
  now: Date = new Date(),
): Promise<TStatusReport> {
  const dentistIds =
    caller.role === 'admin' && caller.clinicId ? await listClinicDentists(supabase, caller.clinicId) : [];
  const plans = planTopics(caller, dentistIds);

  // Topics sharing a scope (an admin's schedule and availability topics) share one query.
  const scopes = new Map<string, TActivityScope>();
  for (const plan of plans) if (plan.scope) scopes.set(scopeKey(plan.scope), plan.scope);
  const latest = new Map<string, string | null>(
    await Promise.all(
      [...scopes].map(async ([key, scope]) => [key, await findLatestActivityAt(supabase, scope)] as const),
    ),
  );

  return {
    userId: caller.userId,
    role: caller.role,
    clinicId: caller.clinicId,
    serverTime: now.toISOString(),
    topics: plans.map((plan) => ({
      topic: plan.topic,
      kind: plan.kind,
      private: true as const,
      lastEventTracked: plan.scope !== null,
      lastEventAt: plan.scope ? (latest.get(scopeKey(plan.scope)) ?? null) : null,
    })),
  };
}
