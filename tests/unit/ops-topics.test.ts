import { describe, expect, it } from 'vitest';
import { topics } from '@/lib/domain/realtime';
import type { TCaller } from '@/lib/ops/caller';
import { planTopics, scopeKey } from '@/lib/ops/topics';

const CLINIC = 'c1000000-0000-4000-8000-000000000001';
const USER = 'b0000000-0000-4000-8000-000000000001';
const DENTIST = 'de000000-0000-4000-8000-000000000001';
const OTHER_DENTIST = 'de000000-0000-4000-8000-000000000002';

const caller = (over: Partial<TCaller>): TCaller => ({
  userId: USER,
  isServerOperator: false,
  role: 'patient',
  clinicId: CLINIC,
  dentistId: null,
  ...over,
});

describe('planTopics', () => {
  it.each([
    {
      name: 'patient of a clinic',
      who: caller({}),
      dentists: [],
      expected: [
        { topic: topics.patientAppointments(USER), kind: 'patient_appointments', scope: `patient:${USER}` },
        { topic: topics.clinicAvailability(CLINIC), kind: 'clinic_availability', scope: null },
      ],
    },
    {
      name: 'patient without a clinic',
      who: caller({ clinicId: null }),
      dentists: [],
      expected: [
        { topic: topics.patientAppointments(USER), kind: 'patient_appointments', scope: `patient:${USER}` },
      ],
    },
    {
      name: 'dentist',
      who: caller({ role: 'dentist', dentistId: DENTIST }),
      dentists: [],
      expected: [
        { topic: topics.dentistSchedule(DENTIST), kind: 'dentist_schedule', scope: `dentist:${DENTIST}` },
        { topic: topics.clinicStaff(CLINIC), kind: 'clinic_staff', scope: null },
        { topic: topics.clinicAvailability(CLINIC), kind: 'clinic_availability', scope: null },
      ],
    },
    {
      name: 'dentist role without a dentists row',
      who: caller({ role: 'dentist', dentistId: null }),
      dentists: [],
      expected: [
        { topic: topics.clinicStaff(CLINIC), kind: 'clinic_staff', scope: null },
        { topic: topics.clinicAvailability(CLINIC), kind: 'clinic_availability', scope: null },
      ],
    },
    {
      name: 'admin with two dentists',
      who: caller({ role: 'admin' }),
      dentists: [DENTIST, OTHER_DENTIST],
      expected: [
        { topic: topics.clinicSchedule(CLINIC), kind: 'clinic_schedule', scope: `clinic:${CLINIC}` },
        { topic: topics.clinicStaff(CLINIC), kind: 'clinic_staff', scope: null },
        { topic: topics.clinicAvailability(CLINIC), kind: 'clinic_availability', scope: `clinic:${CLINIC}` },
        { topic: topics.dentistSchedule(DENTIST), kind: 'dentist_schedule', scope: `dentist:${DENTIST}` },
        {
          topic: topics.dentistSchedule(OTHER_DENTIST),
          kind: 'dentist_schedule',
          scope: `dentist:${OTHER_DENTIST}`,
        },
      ],
    },
    {
      name: 'staff role without a clinic',
      who: caller({ role: 'admin', clinicId: null }),
      dentists: [DENTIST],
      expected: [],
    },
    {
      name: 'user without a profile',
      who: caller({ role: null, clinicId: null }),
      dentists: [],
      expected: [],
    },
  ])('$name', ({ who, dentists, expected }) => {
    const plans = planTopics(who, dentists).map((p) => ({
      topic: p.topic,
      kind: p.kind,
      scope: p.scope ? scopeKey(p.scope) : null,
    }));
    expect(plans).toEqual(expected);
  });

  it('never offers another patient’s topic or the clinic schedule to a patient', () => {
    const plans = planTopics(caller({}), [DENTIST]);
    expect(plans.map((p) => p.kind)).not.toContain('clinic_schedule');
    expect(plans.map((p) => p.kind)).not.toContain('dentist_schedule');
    expect(
      plans.every((p) => !p.topic.startsWith('patient:') || p.topic === topics.patientAppointments(USER)),
    ).toBe(true);
  });
});
