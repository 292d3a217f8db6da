/**
 * GET /api/realtime/status: the caller's role, the topics they may join and, per topic, the newest
 * activity they can see. A client that knows the last event it received can compare and re-fetch
 * after a gap (events are signals; the database is the truth).
 *
 * Every query runs with the caller's own client, so RLS decides what "latest" may include.
 */
import { findLatestActivityAt as findLatestActivity } from '@/lib/data/activity';
import { listDentists } from '@/lib/data/clinic';
import type { TDb } from '@/lib/data/result';
import type { TCaller } from './caller';
import { valueOrThrow } from './errors';
import type { TStatusReport } from './schemas';
import { planTopics, scopeKey, type TActivityScope } from './topics';

/** Every dentist of the clinic, active or not: the topic policy lets admins join any of them. */
async function listClinicDentists(supabase: TDb, clinicId: string): Promise<string[]> {
  const dentists = valueOrThrow(
    'dentists',
    await listDentists(supabase, clinicId, { includeInactive: true }),
  );
  return dentists.map((d) => d.id);
}

/** Newest activity_log entry in a scope (ISO instant), or null when there is none yet. */
export async function findLatestActivityAt(supabase: TDb, scope: TActivityScope): Promise<string | null> {
  return valueOrThrow('activity_log', await findLatestActivity(supabase, scope));
}

export async function buildStatusReport(
  supabase: TDb,
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
