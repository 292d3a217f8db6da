/**
 * Behaviour of the scheduling RPCs through supabase-js (`.rpc()` as signed-in users): booking rules
 * and error codes, idempotency, holds (including expiry), cancel / late cancel, reschedule, the
 * status workflow (compared with lib/scheduling), optimistic versions, the activity log and the
 * broadcasts each change produces. The database is read directly only to assert its state.
 */
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { APPOINTMENT_STATUSES } from '@/lib/domain/appointments';
import { canTransition } from '@/lib/scheduling/status';
import { anonClient, withDb } from '../helpers/stack';
import {
  addMinutes,
  createUser,
  createWorld,
  errorCode,
  localInstant,
  type TClinicOptions,
  type TSqlResult,
  type TUser,
  type TWorld,
} from './domain-fixtures';

interface TAppointmentRow {
  id: string;
  status: string;
  version: number;
  source: string;
  patient_id: string;
  dentist_id: string;
  starts_at: string;
  created_by: string;
}

/** `.rpc()` as the user (or anon), shaped like an SQL result so assertions read the same. */
async function rpcAs<T>(
  who: TUser | 'anon',
  fn: string,
  args: Record<string, unknown>,
): Promise<TSqlResult<T>> {
  const client = who === 'anon' ? anonClient() : who.client;
  if (!client) throw new Error('world was not built through the Auth API');
  const { data, error } = await client.rpc(fn, args);
  if (error)
    return {
      rows: null,
      error: { code: error.code, message: error.message, detail: error.details ?? undefined },
    };
  return { rows: (Array.isArray(data) ? data : [data]) as T[], error: null };
}

async function book(
  _db: pg.Client,
  w: TWorld,
  as: TUser,
  start: string,
  extra: { patientId?: string; holdId?: string; key?: string; notes?: string; serviceId?: string } = {},
) {
  return rpcAs<TAppointmentRow>(as, 'book_appointment', {
    p_dentist_id: w.dentist.dentistId,
    p_service_id: extra.serviceId ?? w.checkupId,
    p_starts_at: start,
    p_patient_id: extra.patientId ?? null,
    p_hold_id: extra.holdId ?? null,
    p_idempotency_key: extra.key ?? null,
    p_notes: extra.notes ?? null,
  });
}

function one<T>(res: { rows: T[] | null; error: { message: string } | null }): T {
  if (!res.rows) throw new Error(`unexpected failure: ${res.error?.message}`);
  return res.rows[0];
}

describe('book_appointment', () => {
  it('books a free slot for the patient, logs it and broadcasts small payloads', async () => {
    await withDb(async (db) => {
      const w = await createWorld(db, { viaAuth: true });
      const start = await localInstant(db, w.timezone, 2, '10:00');
      const a = one(await book(db, w, w.patient, start, { notes: 'Sensitive tooth, upper left' }));
      expect(a).toMatchObject({
        status: 'scheduled',
        version: 1,
        source: 'portal',
        patient_id: w.patient.userId,
        created_by: w.patient.userId,
      });
      expect(new Date(a.starts_at).toISOString()).toBe(start);

      const log = await db.query(
        `select actor_id, actor_role, action, entity_type from public.activity_log where appointment_id = $1`,
        [a.id],
      );
      expect(log.rows).toEqual([
        { actor_id: w.patient.userId, actor_role: 'patient', action: 'insert', entity_type: 'appointment' },
      ]);

      const messages = await db.query<{ topic: string; event: string; payload: Record<string, unknown> }>(
        `select topic, event, payload from realtime.messages where payload->>'id' = $1 or (event = 'slots_changed' and topic = $2 and (payload->>'from')::timestamptz = $3::timestamptz)`,
        [a.id, `clinic:${w.clinicId}:availability`, start],
      );
      const topics = messages.rows
        .map((m) => `${m.topic.split(':')[0]}:${m.topic.split(':')[2]}/${m.event}`)
        .sort();
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

  it.each<
    [
      string,
      (
        db: pg.Client,
        w: TWorld,
      ) => Promise<{ start: string; as?: 'patient' | 'admin'; patientId?: 'other'; serviceId?: string }>,
      string,
    ]
  >([
    [
      'a time in the past',
      async (db, w) => ({ start: await localInstant(db, w.timezone, -1, '10:00') }),
      'in_past',
    ],
    // Checked before working hours, so any time 30 minutes from now is too soon.
    [
      'a time inside the minimum notice',
      async () => ({ start: new Date(Date.now() + 30 * 60_000).toISOString() }),
      'too_soon',
    ],
    [
      'a time past the horizon',
      async (db, w) => ({ start: await localInstant(db, w.timezone, 100, '10:00') }),
      'beyond_horizon',
    ],
    [
      'a time outside working hours',
      async (db, w) => ({ start: await localInstant(db, w.timezone, 2, '18:00') }),
      'outside_availability',
    ],
    [
      'a visit running past closing time',
      async (db, w) => ({ start: await localInstant(db, w.timezone, 2, '16:45') }),
      'outside_availability',
    ],
    [
      'a booking for another patient',
      async (db, w) => ({ start: await localInstant(db, w.timezone, 2, '10:00'), patientId: 'other' }),
      'not_allowed',
    ],
    [
      'a service the dentist does not offer',
      async (db, w) => ({ start: await localInstant(db, w.timezone, 2, '10:00'), serviceId: w.clinicId }),
      'not_found',
    ],
  ])('rejects %s', async (_case, build, code) => {
    await withDb(async (db) => {
      const w = await createWorld(db, { minNoticeMinutes: 120, viaAuth: true });
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
      const w = await createWorld(db, { minNoticeMinutes: 24 * 60, viaAuth: true });
      const start = await localInstant(db, w.timezone, 1, '09:00');
      const staff = one(await book(db, w, w.admin, start, { patientId: w.patient.userId }));
      expect(staff).toMatchObject({
        source: 'staff',
        patient_id: w.patient.userId,
        created_by: w.admin.userId,
      });
      // The buffer after the check-up (10 min) keeps 09:30 blocked too.
      expect(
        errorCode(await book(db, w, w.admin, addMinutes(start, 30), { patientId: w.otherPatient.userId })),
      ).toBe('slot_taken');
      expect(
        errorCode(await book(db, w, w.admin, addMinutes(start, 45), { patientId: w.otherPatient.userId })),
      ).toBeNull();
    });
  });

  it('returns the first result for a retried request with the same idempotency key', async () => {
    await withDb(async (db) => {
      const w = await createWorld(db, { viaAuth: true });
      const start = await localInstant(db, w.timezone, 3, '11:00');
      const first = one(await book(db, w, w.patient, start, { key: 'req-1' }));
      const retry = one(await book(db, w, w.patient, start, { key: 'req-1' }));
      expect(retry.id).toBe(first.id);
      expect(retry.version).toBe(1);
      const count = await db.query(
        'select count(*)::int as n from public.appointments where patient_id = $1',
        [w.patient.userId],
      );
      expect(count.rows[0].n).toBe(1);
      expect(errorCode(await book(db, w, w.patient, addMinutes(start, 60), { key: 'req-1' }))).toBe(
        'invalid_input',
      );
    });
  });
});

describe('holds', () => {
  it('block others until booked or released, and are consumed by booking', async () => {
    await withDb(async (db) => {
      const w = await createWorld(db, { viaAuth: true });
      const start = await localInstant(db, w.timezone, 2, '13:00');
      const hold = one(
        await rpcAs<{ id: string; expires_at: string }>(w.patient, 'hold_slot', {
          p_dentist_id: w.dentist.dentistId,
          p_service_id: w.checkupId,
          p_starts_at: start,
        }),
      );
      expect(new Date(hold.expires_at).getTime()).toBeGreaterThan(Date.now() + 4 * 60_000);

      // Another patient can neither hold nor book it, nor overlap it.
      expect(
        errorCode(
          await rpcAs(w.otherPatient, 'hold_slot', {
            p_dentist_id: w.dentist.dentistId,
            p_service_id: w.checkupId,
            p_starts_at: start,
          }),
        ),
      ).toBe('slot_taken');
      expect(errorCode(await book(db, w, w.otherPatient, addMinutes(start, -15)))).toBe('slot_taken');

      // The holder books with the hold; the hold is gone afterwards.
      const booked = one(await book(db, w, w.patient, start, { holdId: hold.id }));
      expect(booked.status).toBe('scheduled');
      const left = await db.query('select count(*)::int as n from public.slot_holds where held_by = $1', [
        w.patient.userId,
      ]);
      expect(left.rows[0].n).toBe(0);
    });
  });

  it('a second hold replaces the first, and release_hold frees it', async () => {
    await withDb(async (db) => {
      const w = await createWorld(db, { viaAuth: true });
      const first = await localInstant(db, w.timezone, 2, '09:00');
      const second = await localInstant(db, w.timezone, 2, '15:00');
      one(
        await rpcAs(w.patient, 'hold_slot', {
          p_dentist_id: w.dentist.dentistId,
          p_service_id: w.checkupId,
          p_starts_at: first,
        }),
      );
      one(
        await rpcAs(w.patient, 'hold_slot', {
          p_dentist_id: w.dentist.dentistId,
          p_service_id: w.checkupId,
          p_starts_at: second,
        }),
      );
      expect(errorCode(await book(db, w, w.otherPatient, first))).toBeNull();
      expect(errorCode(await book(db, w, w.otherPatient, second))).toBe('slot_taken');
      const released = one(await rpcAs<boolean>(w.patient, 'release_hold', {}));
      expect(released).toBe(true);
      expect(errorCode(await book(db, w, w.otherPatient, second))).toBeNull();
    });
  });

  it('stop blocking once expired: hidden no more from slots, bookable by others, hold_expired for the holder', async () => {
    await withDb(async (db) => {
      const w = await createWorld(db, { viaAuth: true });
      const start = await localInstant(db, w.timezone, 4, '10:00');
      const from = await localInstant(db, w.timezone, 4, '00:00');
      const to = await localInstant(db, w.timezone, 5, '00:00');
      const hold = one(
        await rpcAs<{ id: string }>(w.patient, 'hold_slot', {
          p_dentist_id: w.dentist.dentistId,
          p_service_id: w.checkupId,
          p_starts_at: start,
        }),
      );
      const listed = async () => {
        const res = await rpcAs<{ start: string }>('anon', 'available_slots', {
          p_clinic_id: w.clinicId,
          p_service_id: w.checkupId,
          p_dentist_id: w.dentist.dentistId,
          p_from: from,
          p_to: to,
        });
        expect(res.error).toBeNull();
        return (res.rows ?? []).map((r) => new Date(r.start).toISOString());
      };
      expect(await listed()).not.toContain(start);

      // Time passes: the hold's expiry moves into the past (what the clock would do in 5 minutes).
      await db.query(`update public.slot_holds set expires_at = now() - interval '1 second' where id = $1`, [
        hold.id,
      ]);
      expect(await listed()).toContain(start);
      expect(errorCode(await book(db, w, w.patient, start, { holdId: hold.id }))).toBe('hold_expired');
      expect(errorCode(await book(db, w, w.otherPatient, start))).toBeNull();
    });
  });
});

describe('cancel, reschedule, status', () => {
  async function bookedWorld(db: pg.Client, daysAhead: number, opts: TClinicOptions = {}) {
    const w = await createWorld(db, { ...opts, viaAuth: true });
    const start = await localInstant(db, w.timezone, daysAhead, '10:00');
    const a = one(await book(db, w, w.patient, start));
    return { w, a, start };
  }

  it.each([
    ['outside the cutoff', 3, 'cancelled'],
    ['inside the cutoff', 1, 'late_cancel'],
  ])(
    'a patient cancelling %s (%i days ahead) gets %s, and the time is free again',
    async (_case, days, status) => {
      await withDb(async (db) => {
        const { w, a, start } = await bookedWorld(db, days, { cancellationCutoffHours: 48 });
        const c = one(
          await rpcAs<TAppointmentRow>(w.patient, 'cancel_appointment', {
            p_appointment_id: a.id,
            p_reason: 'Feeling better',
            p_expected_version: a.version,
          }),
        );
        expect(c).toMatchObject({ status, version: 2 });
        expect(errorCode(await rpcAs(w.patient, 'cancel_appointment', { p_appointment_id: a.id }))).toBe(
          'invalid_transition',
        );
        expect(errorCode(await book(db, w, w.otherPatient, start))).toBeNull();
      });
    },
  );

  it('reschedules atomically: same id, version + 1, old time free, taken time refused with nothing changed', async () => {
    await withDb(async (db) => {
      const { w, a, start } = await bookedWorld(db, 2);
      const taken = await localInstant(db, w.timezone, 2, '14:00');
      one(await book(db, w, w.otherPatient, taken));

      expect(
        errorCode(
          await rpcAs(w.patient, 'reschedule_appointment', {
            p_appointment_id: a.id,
            p_starts_at: taken,
            p_expected_version: a.version,
          }),
        ),
      ).toBe('slot_taken');
      expect(
        errorCode(
          await rpcAs(w.patient, 'reschedule_appointment', {
            p_appointment_id: a.id,
            p_starts_at: addMinutes(taken, 120),
            p_expected_version: 99,
          }),
        ),
      ).toBe('stale_version');
      const unchanged = await db.query<{ version: number; starts_at: Date }>(
        'select version, starts_at from public.appointments where id = $1',
        [a.id],
      );
      expect(unchanged.rows[0].version).toBe(1);
      expect(unchanged.rows[0].starts_at.toISOString()).toBe(start);

      const moved = one(
        await rpcAs<TAppointmentRow>(w.patient, 'reschedule_appointment', {
          p_appointment_id: a.id,
          p_starts_at: addMinutes(taken, 120),
          p_expected_version: 1,
        }),
      );
      expect(moved).toMatchObject({ id: a.id, version: 2, status: 'scheduled' });
      expect(new Date(moved.starts_at).toISOString()).toBe(addMinutes(taken, 120));
      expect(errorCode(await book(db, w, w.otherPatient, start))).toBeNull();
    });
  });

  it('walks the workflow with versions and refuses stale or illegal steps', async () => {
    await withDb(async (db) => {
      // The visit is two days ahead: a clinic whose check-in window opens 4 days before the start
      // keeps every step inside its status window (domain-status-window.test.ts covers the windows).
      const { w, a } = await bookedWorld(db, 2, { checkInOpensMinutes: 4 * 24 * 60 });
      const step = (status: string, version: number, as: TUser = w.dentist) =>
        rpcAs<TAppointmentRow>(as, 'set_appointment_status', {
          p_appointment_id: a.id,
          p_status: status,
          p_expected_version: version,
        });
      expect(errorCode(await step('checked_in', 1, w.patient))).toBe('not_allowed');
      expect(one(await step('confirmed', 1, w.patient)).version).toBe(2);
      expect(errorCode(await step('checked_in', 1))).toBe('stale_version');
      expect(errorCode(await step('completed', 2))).toBe('invalid_transition');
      expect(one(await step('checked_in', 2)).status).toBe('checked_in');
      expect(one(await step('in_chair', 3)).status).toBe('in_chair');
      expect(one(await step('completed', 4, w.admin)).status).toBe('completed');
      expect(errorCode(await step('no_show', 5))).toBe('invalid_transition');

      const history = await w.patient.client
        ?.from('activity_log')
        .select('action')
        .eq('appointment_id', a.id)
        .order('id');
      expect(history?.data?.map((r) => r.action)).toEqual(['insert', 'update', 'update', 'update', 'update']);
      const othersView = await w.otherPatient.client
        ?.from('activity_log')
        .select('id')
        .eq('appointment_id', a.id);
      expect(othersView?.error).toBeNull();
      expect(othersView?.data).toEqual([]);
    });
  });

  it('private.is_allowed_transition and lib/scheduling agree on every pair of statuses', async () => {
    const pairs = APPOINTMENT_STATUSES.flatMap((from) =>
      APPOINTMENT_STATUSES.map((to) => [from, to] as const),
    );
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
      const w = await createWorld(db, { viaAuth: true });
      const newcomer = await createUser(db, w.clinicId, 'patient', 'Dr. New', { viaAuth: true });
      expect(
        errorCode(await rpcAs(newcomer, 'set_member_role', { p_user_id: newcomer.userId, p_role: 'admin' })),
      ).toBe('not_allowed');
      expect(
        errorCode(await rpcAs(w.admin, 'set_member_role', { p_user_id: w.admin.userId, p_role: 'patient' })),
      ).toBe('not_allowed');
      one(await rpcAs(w.admin, 'set_member_role', { p_user_id: newcomer.userId, p_role: 'dentist' }));
      const member = one(
        await rpcAs<{ role: string; dentist_id: string | null }>(newcomer, 'current_member', {}),
      );
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
      const profile = await db.query(
        `select role, clinic_id, display_name from public.profiles where display_name = $1`,
        [name],
      );
      expect(profile.rows).toEqual([{ role: 'patient', clinic_id: null, display_name: name }]);
    });
  });
});
