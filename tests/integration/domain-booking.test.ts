/**
 * Behaviour of the scheduling RPCs: booking rules and error codes, idempotency, holds (including
 * expiry), cancel / late cancel, reschedule, the status workflow (compared with lib/scheduling),
 * optimistic versions, the activity log and the broadcasts each change produces.
 */
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { APPOINTMENT_STATUSES } from '@/lib/domain/appointments';
import { canTransition } from '@/lib/scheduling/status';
import { withDb } from '../helpers/stack';
import { addMinutes, createUser, createWorld, errorCode, localInstant, sqlAs, user, type TUser, type TWorld } from './domain-fixtures';

interface TAppointmentRow {
  id: string;
  status: string;
  version: number;
  source: string;
  patient_id: string;
  dentist_id: string;
  starts_at: Date;
  created_by: string;
}

const BOOK = 'select * from public.book_appointment(p_dentist_id => $1, p_service_id => $2, p_starts_at => $3, p_patient_id => $4, p_hold_id => $5, p_idempotency_key => $6, p_notes => $7)';

async function book(
  db: pg.Client,
  w: TWorld,
  as: { userId: string },
  start: string,
  extra: { patientId?: string; holdId?: string; key?: string; notes?: string; serviceId?: string } = {},
) {
  return sqlAs<TAppointmentRow>(db, user(as), BOOK, [
    w.dentist.dentistId,
    extra.serviceId ?? w.checkupId,
    start,
    extra.patientId ?? null,
    extra.holdId ?? null,
    extra.key ?? null,
    extra.notes ?? null,
  ]);
}

function one<T>(res: { rows: T[] | null; error: { message: string } | null }): T {
  if (!res.rows) throw new Error(`unexpected failure: ${res.error?.message}`);
  return res.rows[0];
}

describe('book_appointment', () => {
  it('books a free slot for the patient, logs it and broadcasts small payloads', async () => {
    await withDb(async (db) => {
      const w = await createWorld(db);
      const start = await localInstant(db, w.timezone, 2, '10:00');
      const a = one(await book(db, w, w.patient, start, { notes: 'Sensitive tooth, upper left' }));
      expect(a).toMatchObject({ status: 'scheduled', version: 1, source: 'portal', patient_id: w.patient.userId, created_by: w.patient.userId });
      expect(a.starts_at.toISOString()).toBe(start);

      const log = await db.query(`select actor_id, actor_role, action, entity_type from public.activity_log where appointment_id = $1`, [a.id]);
      expect(log.rows).toEqual([{ actor_id: w.patient.userId, actor_role: 'patient', action: 'insert', entity_type: 'appointment' }]);

      const messages = await db.query<{ topic: string; event: string; payload: Record<string, unknown> }>(
        `select topic, event, payload from realtime.messages where payload->>'id' = $1 or (event = 'slots_changed' and topic = $2 and (payload->>'from')::timestamptz = $3::timestamptz)`,
        [a.id, `clinic:${w.clinicId}:availability`, start],
      );
      const topics = messages.rows.map((m) => `${m.topic.split(':')[0]}:${m.topic.split(':')[2]}/${m.event}`).sort();
      expect(topics).toEqual([
        'clinic:availability/slots_changed',
        'clinic:schedule/appointment_changed',
        'dentist:schedule/appointment_changed',
        'patient:appointments/appointment_changed',
      ]);
      for (const m of messages.rows) expect(JSON.stringify(m.payload)).not.toContain('Sensitive');
      const availability = messages.rows.find((m) => m.event === 'slots_changed');
      expect(Object.keys(availability?.payload ?? {}).sort()).toEqual(['dentist_id', 'from', 'id', 'to']);
    });
  });

  it.each<[string, (db: pg.Client, w: TWorld) => Promise<{ start: string; as?: 'patient' | 'admin'; patientId?: 'other'; serviceId?: string }>, string]>([
    ['a time in the past', async (db, w) => ({ start: await localInstant(db, w.timezone, -1, '10:00') }), 'in_past'],
    // Checked before working hours, so any time 30 minutes from now is too soon.
    ['a time inside the minimum notice', async () => ({ start: new Date(Date.now() + 30 * 60_000).toISOString() }), 'too_soon'],
    ['a time past the horizon', async (db, w) => ({ start: await localInstant(db, w.timezone, 100, '10:00') }), 'beyond_horizon'],
    ['a time outside working hours', async (db, w) => ({ start: await localInstant(db, w.timezone, 2, '18:00') }), 'outside_availability'],
    ['a visit running past closing time', async (db, w) => ({ start: await localInstant(db, w.timezone, 2, '16:45') }), 'outside_availability'],
    ['a booking for another patient', async (db, w) => ({ start: await localInstant(db, w.timezone, 2, '10:00'), patientId: 'other' }), 'not_allowed'],
    ['a service the dentist does not offer', async (db, w) => ({ start: await localInstant(db, w.timezone, 2, '10:00'), serviceId: w.clinicId }), 'not_found'],
  ])('rejects %s', async (_case, build, code) => {
    await withDb(async (db) => {
      const w = await createWorld(db, { minNoticeMinutes: 120 });
      const c = await build(db, w);
      const res = await book(db, w, w.patient, c.start, {
        patientId: c.patientId === 'other' ? w.otherPatient.userId : undefined,
        serviceId: c.serviceId,
      });
      expect(errorCode(res)).toBe(code);
      expect(res.error?.detail?.length).toBeGreaterThan(10);
    });
  });

  it('lets staff book for a patient at short notice, and refuses a second booking of the time', async () => {
    await withDb(async (db) => {
      const w = await createWorld(db, { minNoticeMinutes: 24 * 60 });
      const start = await localInstant(db, w.timezone, 1, '09:00');
      const staff = one(await book(db, w, w.admin, start, { patientId: w.patient.userId }));
      expect(staff).toMatchObject({ source: 'staff', patient_id: w.patient.userId, created_by: w.admin.userId });
      // The buffer after the check-up (10 min) keeps 09:30 blocked too.
      expect(errorCode(await book(db, w, w.admin, addMinutes(start, 30), { patientId: w.otherPatient.userId }))).toBe('slot_taken');
      expect(errorCode(await book(db, w, w.admin, addMinutes(start, 45), { patientId: w.otherPatient.userId }))).toBeNull();
    });
  });

  it('returns the first result for a retried request with the same idempotency key', async () => {
    await withDb(async (db) => {
      const w = await createWorld(db);
      const start = await localInstant(db, w.timezone, 3, '11:00');
      const first = one(await book(db, w, w.patient, start, { key: 'req-1' }));
      const retry = one(await book(db, w, w.patient, start, { key: 'req-1' }));
      expect(retry.id).toBe(first.id);
      expect(retry.version).toBe(1);
      const count = await db.query('select count(*)::int as n from public.appointments where patient_id = $1', [w.patient.userId]);
      expect(count.rows[0].n).toBe(1);
      expect(errorCode(await book(db, w, w.patient, addMinutes(start, 60), { key: 'req-1' }))).toBe('invalid_input');
    });
  });
});

describe('holds', () => {
  it('block others until booked or released, and are consumed by booking', async () => {
    await withDb(async (db) => {
      const w = await createWorld(db);
      const start = await localInstant(db, w.timezone, 2, '13:00');
      const hold = one(await sqlAs<{ id: string; expires_at: Date }>(db, user(w.patient), 'select * from public.hold_slot($1, $2, $3)', [w.dentist.dentistId, w.checkupId, start]));
      expect(hold.expires_at.getTime()).toBeGreaterThan(Date.now() + 4 * 60_000);

      // Another patient can neither hold nor book it, nor overlap it.
      expect(errorCode(await sqlAs(db, user(w.otherPatient), 'select * from public.hold_slot($1, $2, $3)', [w.dentist.dentistId, w.checkupId, start]))).toBe('slot_taken');
      expect(errorCode(await book(db, w, w.otherPatient, addMinutes(start, -15)))).toBe('slot_taken');

      // The holder books with the hold; the hold is gone afterwards.
      const booked = one(await book(db, w, w.patient, start, { holdId: hold.id }));
      expect(booked.status).toBe('scheduled');
      const left = await db.query('select count(*)::int as n from public.slot_holds where held_by = $1', [w.patient.userId]);
      expect(left.rows[0].n).toBe(0);
    });
  });

  it('a second hold replaces the first, and release_hold frees it', async () => {
    await withDb(async (db) => {
      const w = await createWorld(db);
      const first = await localInstant(db, w.timezone, 2, '09:00');
      const second = await localInstant(db, w.timezone, 2, '15:00');
      await sqlAs(db, user(w.patient), 'select public.hold_slot($1, $2, $3)', [w.dentist.dentistId, w.checkupId, first]);
      await sqlAs(db, user(w.patient), 'select public.hold_slot($1, $2, $3)', [w.dentist.dentistId, w.checkupId, second]);
      expect(errorCode(await book(db, w, w.otherPatient, first))).toBeNull();
      expect(errorCode(await book(db, w, w.otherPatient, second))).toBe('slot_taken');
      const released = one(await sqlAs<{ release_hold: boolean }>(db, user(w.patient), 'select public.release_hold()'));
      expect(released.release_hold).toBe(true);
      expect(errorCode(await book(db, w, w.otherPatient, second))).toBeNull();
    });
  });

  it('stop blocking once expired: hidden no more from slots, bookable by others, hold_expired for the holder', async () => {
    await withDb(async (db) => {
      const w = await createWorld(db);
      const start = await localInstant(db, w.timezone, 4, '10:00');
      const from = await localInstant(db, w.timezone, 4, '00:00');
      const to = await localInstant(db, w.timezone, 5, '00:00');
      const hold = one(await sqlAs<{ id: string }>(db, user(w.patient), 'select id from public.hold_slot($1, $2, $3)', [w.dentist.dentistId, w.checkupId, start]));
      const listed = async () => {
        const res = await sqlAs<{ start: Date }>(db, { kind: 'anon' }, 'select "start" from public.available_slots($1, $2, $3, $4, $5)', [w.clinicId, w.checkupId, w.dentist.dentistId, from, to]);
        return (res.rows ?? []).map((r) => r.start.toISOString());
      };
      expect(await listed()).not.toContain(start);

      // Time passes: the hold's expiry moves into the past (what the clock would do in 5 minutes).
      await db.query(`update public.slot_holds set expires_at = now() - interval '1 second' where id = $1`, [hold.id]);
      expect(await listed()).toContain(start);
      expect(errorCode(await book(db, w, w.patient, start, { holdId: hold.id }))).toBe('hold_expired');
      expect(errorCode(await book(db, w, w.otherPatient, start))).toBeNull();
    });
  });
});

describe('cancel, reschedule, status', () => {
  async function bookedWorld(db: pg.Client, daysAhead: number, opts = {}) {
    const w = await createWorld(db, opts);
    const start = await localInstant(db, w.timezone, daysAhead, '10:00');
    const a = one(await book(db, w, w.patient, start));
    return { w, a, start };
  }

  it.each([
    ['outside the cutoff', 3, 'cancelled'],
    ['inside the cutoff', 1, 'late_cancel'],
  ])('a patient cancelling %s (%i days ahead) gets %s, and the time is free again', async (_case, days, status) => {
    await withDb(async (db) => {
      const { w, a, start } = await bookedWorld(db, days, { cancellationCutoffHours: 48 });
      const c = one(await sqlAs<TAppointmentRow>(db, user(w.patient), 'select * from public.cancel_appointment($1, $2, $3)', [a.id, 'Feeling better', a.version]));
      expect(c).toMatchObject({ status, version: 2 });
      expect(errorCode(await sqlAs(db, user(w.patient), 'select * from public.cancel_appointment($1)', [a.id]))).toBe('invalid_transition');
      expect(errorCode(await book(db, w, w.otherPatient, start))).toBeNull();
    });
  });

  it('reschedules atomically: same id, version + 1, old time free, taken time refused with nothing changed', async () => {
    await withDb(async (db) => {
      const { w, a, start } = await bookedWorld(db, 2);
      const taken = await localInstant(db, w.timezone, 2, '14:00');
      one(await book(db, w, w.otherPatient, taken));

      expect(errorCode(await sqlAs(db, user(w.patient), 'select * from public.reschedule_appointment($1, $2, null, $3)', [a.id, taken, a.version]))).toBe('slot_taken');
      expect(errorCode(await sqlAs(db, user(w.patient), 'select * from public.reschedule_appointment($1, $2, null, $3)', [a.id, addMinutes(taken, 120), 99]))).toBe('stale_version');
      const unchanged = await db.query<{ version: number; starts_at: Date }>('select version, starts_at from public.appointments where id = $1', [a.id]);
      expect(unchanged.rows[0].version).toBe(1);
      expect(unchanged.rows[0].starts_at.toISOString()).toBe(start);

      const moved = one(await sqlAs<TAppointmentRow>(db, user(w.patient), 'select * from public.reschedule_appointment($1, $2, null, $3)', [a.id, addMinutes(taken, 120), 1]));
      expect(moved).toMatchObject({ id: a.id, version: 2, status: 'scheduled' });
      expect(moved.starts_at.toISOString()).toBe(addMinutes(taken, 120));
      expect(errorCode(await book(db, w, w.otherPatient, start))).toBeNull();
    });
  });

  it('walks the workflow with versions and refuses stale or illegal steps', async () => {
    await withDb(async (db) => {
      const { w, a } = await bookedWorld(db, 2);
      const step = (status: string, version: number, as: TUser = w.dentist) =>
        sqlAs<TAppointmentRow>(db, user(as), 'select * from public.set_appointment_status($1, $2, $3)', [a.id, status, version]);
      expect(errorCode(await step('checked_in', 1, w.patient))).toBe('not_allowed');
      expect(one(await step('confirmed', 1, w.patient)).version).toBe(2);
      expect(errorCode(await step('checked_in', 1))).toBe('stale_version');
      expect(errorCode(await step('completed', 2))).toBe('invalid_transition');
      expect(one(await step('checked_in', 2)).status).toBe('checked_in');
      expect(one(await step('in_chair', 3)).status).toBe('in_chair');
      expect(one(await step('completed', 4, w.admin)).status).toBe('completed');
      expect(errorCode(await step('no_show', 5))).toBe('invalid_transition');

      const history = await sqlAs<{ action: string }>(db, user(w.patient), 'select action from public.activity_log where appointment_id = $1 order by id', [a.id]);
      expect(history.rows?.map((r) => r.action)).toEqual(['insert', 'update', 'update', 'update', 'update']);
      const othersView = await sqlAs(db, user(w.otherPatient), 'select 1 from public.activity_log where appointment_id = $1', [a.id]);
      expect(othersView.rows).toEqual([]);
    });
  });

  it('private.is_allowed_transition and lib/scheduling agree on every pair of statuses', async () => {
    const pairs = APPOINTMENT_STATUSES.flatMap((from) => APPOINTMENT_STATUSES.map((to) => [from, to] as const));
    const sqlAnswers = await withDb((db) =>
      db.query<{ f: string; t: string; ok: boolean }>(
        `select f, t, private.is_allowed_transition(f::public.appointment_status, t::public.appointment_status) as ok
         from unnest($1::text[], $2::text[]) as p (f, t)`,
        [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
      ),
    );
    for (const row of sqlAnswers.rows) {
      expect([row.f, row.t, row.ok]).toEqual([row.f, row.t, canTransition(row.f as never, row.t as never)]);
    }
  });
});

describe('staff accounts', () => {
  it('an admin makes a user of the clinic a dentist; the user cannot do it themself', async () => {
    await withDb(async (db) => {
      const w = await createWorld(db);
      const newcomer = await createUser(db, w.clinicId, 'patient', 'Dr. New');
      expect(errorCode(await sqlAs(db, user(newcomer), `select public.set_member_role($1, 'admin')`, [newcomer.userId]))).toBe('not_allowed');
      expect(errorCode(await sqlAs(db, user(w.admin), `select public.set_member_role($1, 'patient')`, [w.admin.userId]))).toBe('not_allowed');
      one(await sqlAs(db, user(w.admin), `select * from public.set_member_role($1, 'dentist')`, [newcomer.userId]));
      const member = one(await sqlAs<{ role: string; dentist_id: string | null }>(db, user(newcomer), 'select role, dentist_id from public.current_member()'));
      expect(member.role).toBe('dentist');
      expect(member.dentist_id).not.toBeNull();
    });
  });

  it('a sign-up without a clinic in its metadata gets no clinic when several clinics exist, and never a staff role', async () => {
    await withDb(async (db) => {
      await createWorld(db);
      const name = `Mallory ${Date.now()}-${Math.random()}`;
      await db.query(
        `insert into auth.users (instance_id, id, aud, role, email, raw_user_meta_data)
         values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated',
                 'x-' || gen_random_uuid() || '@example.test', jsonb_build_object('role', 'admin', 'full_name', $1::text))`,
        [name],
      );
      const profile = await db.query(`select role, clinic_id, display_name from public.profiles where display_name = $1`, [name]);
      expect(profile.rows).toEqual([{ role: 'patient', clinic_id: null, display_name: name }]);
    });
  });
});
