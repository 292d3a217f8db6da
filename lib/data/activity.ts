/** The activity log: the clinic's feed and the newest entry per realtime scope. */
import { z } from 'zod';
import { APPOINTMENT_STATUSES } from '@/lib/domain/appointments';
import { toResult, type TDataResult, type TDb } from './result';

/** The before/after image of a logged row: only the fields the feed shows are read. */
const ZImage = z.looseObject({
  status: z.enum(APPOINTMENT_STATUSES).optional(),
  starts_at: z.string().optional(),
  service_id: z.string().optional(),
  dentist_id: z.string().optional(),
});

const ZActivityEntry = z.object({
  id: z.union([z.number(), z.string()]),
  occurred_at: z.string(),
  actor_id: z.string().nullable(),
  actor_role: z.string(),
  entity_type: z.string(),
  action: z.enum(['insert', 'update', 'delete']),
  patient_id: z.string().nullable(),
  dentist_id: z.string().nullable(),
  before: ZImage.nullable(),
  after: ZImage.nullable(),
});
export type TActivityEntry = z.infer<typeof ZActivityEntry>;

/** A clinic's newest log entries, holds left out (they churn and say nothing to the front desk). */
export async function listClinicActivity(
  db: TDb,
  clinicId: string,
  limit: number,
): Promise<TDataResult<TActivityEntry[]>> {
  return toResult(
    await db
      .from('activity_log')
      .select(
        'id, occurred_at, actor_id, actor_role, entity_type, action, patient_id, dentist_id, before, after',
      )
      .eq('clinic_id', clinicId)
      .neq('entity_type', 'slot_hold')
      .order('occurred_at', { ascending: false })
      .order('id', { ascending: false })
      .limit(limit),
    z.array(ZActivityEntry),
  );
}

export type TActivityScopeFilter =
  | { kind: 'clinic'; clinicId: string }
  | { kind: 'dentist'; dentistId: string }
  | { kind: 'patient'; patientId: string };

const ZOccurredAt = z.object({ occurred_at: z.string() }).nullable();

/**
 * Newest activity_log entry in a scope, as one indexed `order by occurred_at desc limit 1` rather
 * than an aggregate: hosted PostgREST has aggregate functions switched off by default.
 */
export async function findLatestActivityAt(
  db: TDb,
  scope: TActivityScopeFilter,
): Promise<TDataResult<string | null>> {
  let query = db.from('activity_log').select('occurred_at');
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
  const result = toResult(
    await query.order('occurred_at', { ascending: false }).limit(1).maybeSingle(),
    ZOccurredAt,
  );
  return result.ok
    ? { ok: true, data: result.data ? new Date(result.data.occurred_at).toISOString() : null }
    : result;
}
