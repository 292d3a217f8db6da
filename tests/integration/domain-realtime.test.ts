/**
 * The clinic's Realtime topics through supabase-js: who may join which private topic (the policies
 * on realtime.messages), what each audience receives when a patient books, that the public
 * availability topic carries no patient data, and staff presence.
 */
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REALTIME_EVENTS, topics, ZAppointmentChanged, ZSlotsChanged } from '@/lib/domain/realtime';
import { withDb } from '../helpers/stack';
import { createWorld, localInstant, type TUser, type TWorld } from './domain-fixtures';
import { EventLog, joinError, realtimeClient, subscribe } from './realtime-helpers';

type TWho =
  'anon' | 'patient' | 'otherPatient' | 'dentist' | 'otherClinicDentist' | 'admin' | 'otherClinicAdmin';

interface TReceived {
  event: string;
  payload: Record<string, unknown>;
}

let a: TWorld;
let b: TWorld;
const opened: SupabaseClient[] = [];

function clientFor(who: TWho): SupabaseClient {
  const people: Record<Exclude<TWho, 'anon'>, TUser> = {
    patient: a.patient,
    otherPatient: a.otherPatient,
    dentist: a.dentist,
    otherClinicDentist: b.dentist,
    admin: a.admin,
    otherClinicAdmin: b.admin,
  };
  const client = realtimeClient(who === 'anon' ? {} : { token: people[who].accessToken });
  opened.push(client);
  return client;
}

beforeAll(async () => {
  a = await withDb((db) => createWorld(db, { viaAuth: true }));
  b = await withDb((db) => createWorld(db, { viaAuth: true }));
}, 60_000);

afterAll(async () => {
  await Promise.all(opened.map((c) => c.removeAllChannels()));
});

const topicOf = {
  clinicSchedule: () => topics.clinicSchedule(a.clinicId),
  availability: () => topics.clinicAvailability(a.clinicId),
  staff: () => topics.clinicStaff(a.clinicId),
  dentistSchedule: () => topics.dentistSchedule(a.dentist.dentistId),
  patientTopic: () => topics.patientAppointments(a.patient.userId),
  otherPatientTopic: () => topics.patientAppointments(a.otherPatient.userId),
  malformed: () => 'clinic:not-a-uuid:availability',
  unknownKind: () => `room:${a.clinicId}:schedule`,
} as const;

describe('who may join which topic', () => {
  it.each<[TWho, keyof typeof topicOf]>([
    ['patient', 'otherPatientTopic'],
    ['patient', 'clinicSchedule'],
    ['patient', 'dentistSchedule'],
    ['patient', 'staff'],
    ['otherPatient', 'patientTopic'],
    ['dentist', 'clinicSchedule'],
    ['otherClinicDentist', 'dentistSchedule'],
    ['otherClinicDentist', 'staff'],
    ['otherClinicAdmin', 'clinicSchedule'],
    ['otherClinicAdmin', 'patientTopic'],
    ['anon', 'clinicSchedule'],
    ['anon', 'patientTopic'],
    ['anon', 'malformed'],
    ['admin', 'unknownKind'],
  ])('%s cannot join %s', async (who, topic) => {
    const client = clientFor(who);
    const err = await joinError(client, client.channel(topicOf[topic](), { config: { private: true } }));
    expect(err.message).toMatch(/^Unauthorized: You do not have permissions to read from this Channel topic/);
  });

  it.each<[TWho, keyof typeof topicOf]>([
    ['patient', 'patientTopic'],
    ['patient', 'availability'],
    ['anon', 'availability'],
    ['otherClinicAdmin', 'availability'],
    ['dentist', 'dentistSchedule'],
    ['dentist', 'staff'],
    ['admin', 'clinicSchedule'],
    ['admin', 'dentistSchedule'],
    ['admin', 'patientTopic'],
    ['admin', 'staff'],
  ])('%s can join %s', async (who, topic) => {
    const client = clientFor(who);
    const channel = client.channel(topicOf[topic](), { config: { private: true } });
    await expect(subscribe(channel)).resolves.toBe(channel);
  });
});

describe('what a booking broadcasts', () => {
  it('admin, dentist and the patient hear of a patient booking; anon hears only that slots changed', async () => {
    const listen = async (who: TWho, topic: string) => {
      const log = new EventLog<TReceived>();
      const channel = clientFor(who)
        .channel(topic, { config: { private: true } })
        .on('broadcast', { event: '*' }, (m) =>
          log.push({ event: m.event, payload: m.payload as Record<string, unknown> }),
        );
      await subscribe(channel);
      return log;
    };
    const admin = await listen('admin', topics.clinicSchedule(a.clinicId));
    const dentist = await listen('dentist', topics.dentistSchedule(a.dentist.dentistId));
    const patient = await listen('patient', topics.patientAppointments(a.patient.userId));
    const anon = await listen('anon', topics.clinicAvailability(a.clinicId));

    const start = await withDb((db) => localInstant(db, a.timezone, 3, '10:00'));
    const booked = await a.patient.client?.rpc('book_appointment', {
      p_dentist_id: a.dentist.dentistId,
      p_service_id: a.checkupId,
      p_starts_at: start,
      p_notes: 'Patient-private note about a crown',
    });
    expect(booked?.error).toBeNull();
    const appointmentId = (booked?.data as { id: string }).id;

    for (const log of [admin, dentist, patient]) {
      const m = await log.waitFor(
        (e) => e.event === REALTIME_EVENTS.appointmentChanged && e.payload.id === appointmentId,
        'appointment_changed',
      );
      const payload = ZAppointmentChanged.parse(m.payload);
      expect(payload).toMatchObject({
        operation: 'INSERT',
        status: 'scheduled',
        version: 1,
        patient_id: a.patient.userId,
      });
      expect(JSON.stringify(m.payload)).not.toContain('crown');
    }

    const slots = await anon.waitFor((e) => e.event === REALTIME_EVENTS.slotsChanged, 'slots_changed');
    const parsed = ZSlotsChanged.parse(slots.payload);
    expect(parsed.dentist_id).toBe(a.dentist.dentistId);
    expect(new Date(parsed.from ?? '').toISOString()).toBe(start);
    for (const m of anon.items) {
      expect(Object.keys(m.payload).sort()).toEqual(['dentist_id', 'from', 'id', 'to']);
      const text = JSON.stringify(m.payload);
      expect(text).not.toContain(a.patient.userId);
      expect(text).not.toContain(appointmentId);
      expect(text).not.toContain('crown');
    }
  });
});

describe('staff presence', () => {
  it('staff of the clinic see each other on the staff topic; a patient cannot track there', async () => {
    const syncs = new EventLog<string[]>();
    const join = async (
      who: TWho,
      key: string,
      onSync?: (channel: RealtimeChannel) => void,
    ): Promise<RealtimeChannel> => {
      const channel = clientFor(who).channel(topics.clinicStaff(a.clinicId), {
        config: { private: true, presence: { key } },
      });
      if (onSync) channel.on('presence', { event: 'sync' }, () => onSync(channel));
      await subscribe(channel);
      await channel.track({ role: who, viewing: 'board' });
      return channel;
    };
    const admin = await join('admin', a.admin.userId, (channel) =>
      syncs.push(Object.keys(channel.presenceState())),
    );
    await join('dentist', a.dentist.userId);
    await syncs.waitFor((keys) => keys.includes(a.dentist.userId), 'the dentist in the admin presence state');
    expect(Object.keys(admin.presenceState()).sort()).toEqual([a.admin.userId, a.dentist.userId].sort());

    const patient = clientFor('patient');
    const err = await joinError(
      patient,
      patient.channel(topics.clinicStaff(a.clinicId), { config: { private: true } }),
    );
    expect(err.message).toMatch(/^Unauthorized/);
  });
});
