/**
 * GET /api/realtime/status logic through supabase-js as each role of a fresh clinic: the caller's
 * role, the topics they may join (each really joinable), and the newest event per topic that the
 * caller's RLS lets them see.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '@/lib/domain/realtime';
import { resolveCaller } from '@/lib/ops/caller';
import { OpsError } from '@/lib/ops/errors';
import { ZStatusReport, type TStatusReport } from '@/lib/ops/schemas';
import { buildStatusReport } from '@/lib/ops/status';
import { anonClient, signedInClient, withDb } from '../helpers/stack';
import { createWorld, localInstant, type TWorld } from './domain-fixtures';
import { subscribe } from './realtime-helpers';

let world: TWorld;
const clientsToClose: SupabaseClient[] = [];

function clientOf(who: { client?: SupabaseClient }): SupabaseClient {
  if (!who.client) throw new Error('the world was not created via the Auth API');
  return who.client;
}

async function statusOf(client: SupabaseClient): Promise<TStatusReport> {
  const report = await buildStatusReport(client, await resolveCaller(client));
  return ZStatusReport.parse(report);
}

function lastEventOf(report: TStatusReport, topic: string): string | null | undefined {
  return report.topics.find((t) => t.topic === topic)?.lastEventAt;
}

/** The same "latest" computed as the superuser, for comparison. */
async function latestInDb(where: string, params: unknown[]): Promise<string | null> {
  return withDb(async (db) => {
    const res = await db.query<{ at: Date | null }>(
      `select max(occurred_at) as at from public.activity_log where ${where}`,
      params,
    );
    return res.rows[0].at ? res.rows[0].at.toISOString() : null;
  });
}

async function book(client: SupabaseClient, daysAhead: number, time: string): Promise<void> {
  const start = await withDb((db) => localInstant(db, world.timezone, daysAhead, time));
  const { error } = await client.rpc('book_appointment', {
    p_dentist_id: world.dentist.dentistId,
    p_service_id: world.checkupId,
    p_starts_at: start,
  });
  expect(error).toBeNull();
}

beforeAll(async () => {
  world = await withDb((db) => createWorld(db, { viaAuth: true }));
  clientsToClose.push(
    clientOf(world.admin),
    clientOf(world.dentist),
    clientOf(world.patient),
    clientOf(world.otherPatient),
  );
});

afterAll(async () => {
  await Promise.all(clientsToClose.map((c) => c.removeAllChannels()));
});

describe('who is calling', () => {
  it('refuses a caller without a session as unauthenticated', async () => {
    const err = await resolveCaller(anonClient()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpsError);
    expect((err as OpsError).code).toBe('unauthenticated');
  });

  it.each(['admin', 'dentist', 'patient'] as const)(
    'reads the %s role from current_member()',
    async (role) => {
      const caller = await resolveCaller(clientOf(world[role]));
      expect(caller).toEqual({
        userId: world[role].userId,
        isServerOperator: false,
        role,
        clinicId: world.clinicId,
        dentistId: role === 'dentist' ? world.dentist.dentistId : null,
      });
    },
  );
});

describe('topics and their latest events', () => {
  it('patient: their appointments topic (own activity only) and the clinic availability (not tracked)', async () => {
    const before = await statusOf(clientOf(world.patient));
    expect(before).toMatchObject({ userId: world.patient.userId, role: 'patient', clinicId: world.clinicId });
    expect(before.topics).toEqual([
      {
        topic: topics.patientAppointments(world.patient.userId),
        kind: 'patient_appointments',
        private: true,
        lastEventTracked: true,
        lastEventAt: null,
      },
      {
        topic: topics.clinicAvailability(world.clinicId),
        kind: 'clinic_availability',
        private: true,
        lastEventTracked: false,
        lastEventAt: null,
      },
    ]);
    expect(Date.parse(before.serverTime)).not.toBeNaN();

    await book(clientOf(world.patient), 3, '10:00');
    const own = await latestInDb(`patient_id = $1 and entity_type = 'appointment'`, [world.patient.userId]);
    expect(own).not.toBeNull();
    const after = await statusOf(clientOf(world.patient));
    expect(lastEventOf(after, topics.patientAppointments(world.patient.userId))).toBe(own);

    // Someone else's booking is not the patient's event, even in the same clinic.
    await book(clientOf(world.otherPatient), 3, '11:00');
    const later = await statusOf(clientOf(world.patient));
    expect(lastEventOf(later, topics.patientAppointments(world.patient.userId))).toBe(own);
  });

  it('dentist: their schedule (their calendar’s activity), the staff topic and availability', async () => {
    await book(clientOf(world.patient), 4, '09:00');
    const report = await statusOf(clientOf(world.dentist));
    expect(report.role).toBe('dentist');
    expect(report.topics.map((t) => [t.kind, t.topic, t.lastEventTracked])).toEqual([
      ['dentist_schedule', topics.dentistSchedule(world.dentist.dentistId), true],
      ['clinic_staff', topics.clinicStaff(world.clinicId), false],
      ['clinic_availability', topics.clinicAvailability(world.clinicId), false],
    ]);
    const expected = await latestInDb('dentist_id = $1', [world.dentist.dentistId]);
    expect(expected).not.toBeNull();
    expect(lastEventOf(report, topics.dentistSchedule(world.dentist.dentistId))).toBe(expected);
  });

  it('admin: clinic schedule, staff, availability and every dentist of the clinic', async () => {
    await book(clientOf(world.otherPatient), 5, '14:00');
    const report = await statusOf(clientOf(world.admin));
    expect(report.role).toBe('admin');
    expect(report.topics.map((t) => t.topic)).toEqual([
      topics.clinicSchedule(world.clinicId),
      topics.clinicStaff(world.clinicId),
      topics.clinicAvailability(world.clinicId),
      topics.dentistSchedule(world.dentist.dentistId),
    ]);
    const clinicLatest = await latestInDb('clinic_id = $1', [world.clinicId]);
    expect(lastEventOf(report, topics.clinicSchedule(world.clinicId))).toBe(clinicLatest);
    expect(lastEventOf(report, topics.clinicAvailability(world.clinicId))).toBe(clinicLatest);
    expect(lastEventOf(report, topics.dentistSchedule(world.dentist.dentistId))).toBe(
      await latestInDb('dentist_id = $1', [world.dentist.dentistId]),
    );
    expect(lastEventOf(report, topics.clinicStaff(world.clinicId))).toBeNull();
  });

  it.each(['admin', 'dentist', 'patient'] as const)(
    'every topic offered to the %s can really be joined',
    async (role) => {
      const client = clientOf(world[role]);
      const report = await statusOf(client);
      expect(report.topics.length).toBeGreaterThan(0);
      for (const t of report.topics) {
        const channel = client.channel(t.topic, { config: { private: true } });
        await subscribe(channel);
        await client.removeChannel(channel);
      }
    },
  );

  it('a signed-in user without a clinic gets only their own appointments topic', async () => {
    // Several clinics exist in the test database, so a sign-up without a clinic choice gets none.
    const { client, userId } = await signedInClient();
    clientsToClose.push(client);
    const report = await statusOf(client);
    expect(report).toMatchObject({ userId, role: 'patient', clinicId: null });
    expect(report.topics.map((t) => t.topic)).toEqual([topics.patientAppointments(userId)]);
  });
});
