/**
 * Which Realtime topics a member may subscribe to, mirroring public.can_use_realtime_topic() in
 * supabase/migrations/*_create_realtime_topics.sql, and where in activity_log the events of each
 * topic come from. Pure: the caller and the clinic's dentists are parameters.
 */
import { topics } from '@/lib/domain/realtime';
import type { TCaller } from './caller';
import type { TTopicKind } from './schemas';

/** The rows of activity_log whose changes a topic carries. */
export type TActivityScope =
  | { kind: 'clinic'; clinicId: string }
  | { kind: 'dentist'; dentistId: string }
  | { kind: 'patient'; patientId: string };

export interface TTopicPlan {
  topic: string;
  kind: TTopicKind;
  /** null: nothing the caller may read tells when the topic last carried an event. */
  scope: TActivityScope | null;
}

export function scopeKey(scope: TActivityScope): string {
  switch (scope.kind) {
    case 'clinic':
      return `clinic:${scope.clinicId}`;
    case 'dentist':
      return `dentist:${scope.dentistId}`;
    case 'patient':
      return `patient:${scope.patientId}`;
  }
}

/**
 * patient → their appointments topic (+ the clinic's availability when they belong to one);
 * dentist → their schedule, the staff topic and availability; admin → the clinic schedule, staff,
 * availability and every dentist's schedule in the clinic. A user without a profile gets nothing.
 *
 * The availability topic fans out every slot-affecting change in the clinic. Only admins can read
 * all of those in activity_log, so for everyone else its last event is unknown rather than wrong.
 */
export function planTopics(caller: TCaller, clinicDentistIds: readonly string[] = []): TTopicPlan[] {
  const { role, clinicId } = caller;
  if (role === null) return [];
  const plans: TTopicPlan[] = [];

  if (role === 'patient') {
    plans.push({
      topic: topics.patientAppointments(caller.userId),
      kind: 'patient_appointments',
      scope: { kind: 'patient', patientId: caller.userId },
    });
    if (clinicId)
      plans.push({ topic: topics.clinicAvailability(clinicId), kind: 'clinic_availability', scope: null });
    return plans;
  }

  if (!clinicId) return plans;

  if (role === 'dentist') {
    if (caller.dentistId) {
      plans.push({
        topic: topics.dentistSchedule(caller.dentistId),
        kind: 'dentist_schedule',
        scope: { kind: 'dentist', dentistId: caller.dentistId },
      });
    }
    plans.push({ topic: topics.clinicStaff(clinicId), kind: 'clinic_staff', scope: null });
    plans.push({ topic: topics.clinicAvailability(clinicId), kind: 'clinic_availability', scope: null });
    return plans;
  }

  const clinicScope: TActivityScope = { kind: 'clinic', clinicId };
  plans.push({ topic: topics.clinicSchedule(clinicId), kind: 'clinic_schedule', scope: clinicScope });
  plans.push({ topic: topics.clinicStaff(clinicId), kind: 'clinic_staff', scope: null });
  plans.push({ topic: topics.clinicAvailability(clinicId), kind: 'clinic_availability', scope: clinicScope });
  for (const dentistId of clinicDentistIds) {
    plans.push({
      topic: topics.dentistSchedule(dentistId),
      kind: 'dentist_schedule',
      scope: { kind: 'dentist', dentistId },
    });
  }
  return plans;
}
