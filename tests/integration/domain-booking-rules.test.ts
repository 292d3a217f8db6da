/**
 * Per-patient booking rules (clinic settings, enforced by the RPCs): no overlapping visits of one
 * patient with any dentist, at most N upcoming online bookings (staff bookings exempt), one hold
 * at a time — and every RPC failure, concurrent ones included, is a documented domain code.
 * Through supabase-js as each role; the database is read directly only to assert its state.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { DOMAIN_ERROR_CODES } from '@/lib/domain/errors';
import { withDb } from '../helpers/stack';
import {
  addMinutes,
  addRules,
  claimsFor,
  createUser,
  createWorld,
  EVERY_DAY_9_TO_17,
  localInstant,
  offer,
  type TClinicOptions,
  type TUser,
  type TWorld,
} from './domain-fixtures';

type TRpcResult = { data: Record<string, unknown> | null; code: string | null };

function clientOf(u: TUser): SupabaseClient {
  if (!u.client) throw new Error('world was not built through the Auth API');
  return u.client;
}

/** `.rpc()` as the user; the outcome is the domain code (or SQLSTATE), null on success. */
async function rpc(who: TUser, fn: string, args: Record<string, unknown>): Promise<TRpcResult> {
  const { data, error } = await clientOf(who).rpc(fn, args);
  if (error) return { data: null, code: error.code === 'P0001' ? error.message : error.code };
  return { data: data as Record<string, unknown>, code: null };
}

/** A world with a second dentist (with a login) offering the same services 09:00–17:00 daily. */
async function twoDentistWorld(db: pg.Client, opts: TClinicOptions = {}) {
  const w = await createWorld(db, { ...opts, viaAuth: true });
  const second = await createUser(db, w.clinicId, 'dentist', 'Dr. Second', { viaAuth: true });
  const secondId = second.dentistId as string;
  await offer(db, w.clinicId, secondId, [w.checkupId, w.fillingId]);
  await addRules(db, w.clinicId, secondId, EVERY_DAY_9_TO_17);
  return { w, secondId };
}

function book(w: TWorld, as: TUser, dentistId: string, start: string, patientId?: string) {
  return rpc(as, 'book_appointment', {
    p_dentist_id: dentistId,
    p_service_id: w.checkupId,
    p_starts_at: start,
    p_patient_id: patientId ?? null,
  });
}

function hold(w: TWorld, as: TUser, dentistId: string, start: string) {
  return rpc(as, 'hold_slot', { p_dentist_id: dentistId, p_service_id: w.checkupId, p_starts_at: start });
}

describe('a patient cannot be in two chairs at once', () => {
  // The patient has a check-up (30 min) with the first dentist at 10:00 on day 3.
  it.each([
    ['book', 'the second dentist at 10:15', 'patient', 15, 'overlapping_booking', {}],
    ['hold', 'the second dentist at 10:15', 'patient', 15, 'overlapping_booking', {}],
    ['book', 'the second dentist at 09:45 (ends inside)', 'patient', -15, 'overlapping_booking', {}],
    ['book', 'the second dentist at 10:30 (touching)', 'patient', 30, null, {}],
    ['hold', 'the second dentist at 10:30 (touching)', 'patient', 30, null, {}],
    ['book', 'the second dentist at 10:00, by the front desk', 'admin', 0, 'overlapping_booking', {}],
    [
      'book',
      'the second dentist at 10:00, with overlap allowed',
      'patient',
      0,
      null,
      { allowPatientOverlap: true },
    ],
  ] satisfies Array<[string, string, 'patient' | 'admin', number, string | null, TClinicOptions]>)(
    '%s %s as %s (%i min after the first) → %s',
    async (op, _case, actor, offset, expected, opts) => {
      await withDb(async (db) => {
        const { w, secondId } = await twoDentistWorld(db, opts);
        const first = await localInstant(db, w.timezone, 3, '10:00');
        expect((await book(w, w.patient, w.dentist.dentistId, first)).code).toBeNull();
        const at = addMinutes(first, offset);
        const as = actor === 'admin' ? w.admin : w.patient;
        const res =
          op === 'book'
            ? await book(w, as, secondId, at, actor === 'admin' ? w.patient.userId : undefined)
            : await hold(w, as, secondId, at);
        expect(res.code).toBe(expected);
      });
    },
  );

  it('rescheduling onto their own other visit is refused; cancelled visits do not count', async () => {
    await withDb(async (db) => {
      const { w, secondId } = await twoDentistWorld(db);
      const at = await localInstant(db, w.timezone, 3, '10:00');
      const a = await book(w, w.patient, w.dentist.dentistId, at);
      const b = await book(w, w.patient, secondId, addMinutes(at, 60));
      const moveB = () =>
        rpc(w.patient, 'reschedule_appointment', { p_appointment_id: b.data?.id, p_starts_at: at });
      expect((await moveB()).code).toBe('overlapping_booking');
      expect((await rpc(w.patient, 'cancel_appointment', { p_appointment_id: a.data?.id })).code).toBeNull();
      expect((await moveB()).code).toBeNull();
    });
  });
});

describe('online bookings per patient', () => {
  it('one patient cannot take a dentist’s whole day online; staff bookings are exempt and not counted', async () => {
    await withDb(async (db) => {
      const w = await createWorld(db, { viaAuth: true });
      const day = await localInstant(db, w.timezone, 4, '09:00');
      const starts = Array.from({ length: 10 }, (_, i) => addMinutes(day, i * 45));
      const outcomes: Array<string | null> = [];
      for (const start of starts) outcomes.push((await book(w, w.patient, w.dentist.dentistId, start)).code);
      expect(outcomes).toEqual([null, null, null, ...Array(7).fill('booking_limit_reached')]);
      // At the limit a hold is refused too, so the patient learns it before confirming.
      expect((await hold(w, w.patient, w.dentist.dentistId, starts[5])).code).toBe('booking_limit_reached');
      // The front desk can still book for them, and that does not use up an online place.
      expect((await book(w, w.admin, w.dentist.dentistId, starts[5], w.patient.userId)).code).toBeNull();
      expect((await book(w, w.dentist, w.dentist.dentistId, starts[6], w.patient.userId)).code).toBeNull();
      // Another patient is unaffected.
      expect((await book(w, w.otherPatient, w.dentist.dentistId, starts[7])).code).toBeNull();
      // Cancelling one online booking frees a place.
      const [first] = (
        await db.query<{ id: string }>(
          `select id from public.appointments where patient_id = $1 and source = 'portal' order by starts_at limit 1`,
          [w.patient.userId],
        )
      ).rows;
      expect((await rpc(w.patient, 'cancel_appointment', { p_appointment_id: first.id })).code).toBeNull();
      expect((await book(w, w.patient, w.dentist.dentistId, starts[8])).code).toBeNull();
      const counts = await db.query<{ source: string; n: number }>(
        `select source::text, count(*)::int as n from public.appointments
         where patient_id = $1 and status = 'scheduled' group by source order by source`,
        [w.patient.userId],
      );
      expect(counts.rows).toEqual([
        { source: 'portal', n: 3 },
        { source: 'staff', n: 2 },
      ]);
    });
  });

  it.each([
    ['a limit of 1', 1, 1],
    ['no limit', null, 5],
  ])('with %s (%s) a patient books %i of 5 times online', async (_case, limit, expected) => {
    await withDb(async (db) => {
      const w = await createWorld(db, { viaAuth: true, maxOnlineBookingsPerPatient: limit });
      const day = await localInstant(db, w.timezone, 4, '09:00');
      let booked = 0;
      for (let i = 0; i < 5; i++) {
        const res = await book(w, w.patient, w.dentist.dentistId, addMinutes(day, i * 45));
        if (res.code === null) booked++;
        else expect(res.code).toBe('booking_limit_reached');
      }
      expect(booked).toBe(expected);
    });
  });

  it('concurrent online bookings of one patient at different dentists cannot exceed the limit', async () => {
    await withDb(async (db) => {
      const { w, secondId } = await twoDentistWorld(db, { maxOnlineBookingsPerPatient: 2 });
      const day = await localInstant(db, w.timezone, 5, '09:00');
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          book(w, w.patient, i % 2 === 0 ? w.dentist.dentistId : secondId, addMinutes(day, i * 45)),
        ),
      );
      const codes = results.map((r) => r.code);
      expect(codes.filter((c) => c === null)).toHaveLength(2);
      expect(codes.filter((c) => c !== null).every((c) => c === 'booking_limit_reached')).toBe(true);
    });
  });
});

describe('holds of one person', () => {
  /**
   * Two hold_slot calls of one user for two dentists, interleaved deterministically: the first
   * runs in an open transaction, the second starts and is seen waiting on a lock, then the first
   * commits. Both run exactly as PostgREST runs them (role + JWT claims in the transaction).
   */
  it('two concurrent hold_slot calls by the same user: the later one replaces the earlier, no raw constraint error', async () => {
    const { w, secondId, start } = await withDb(async (db) => {
      const made = await twoDentistWorld(db);
      return { ...made, start: await localInstant(db, made.w.timezone, 3, '11:00') };
    });
    const { role, claims } = claimsFor({ kind: 'user', userId: w.patient.userId });
    const holdIn = async (db: pg.Client, dentistId: string) => {
      await db.query('begin');
      await db.query(`select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`, [
        role,
        JSON.stringify(claims),
      ]);
      return db.query('select id from public.hold_slot($1, $2, $3)', [dentistId, w.checkupId, start]);
    };
    const outcome = await withDb((first) =>
      withDb((second) =>
        withDb(async (observer) => {
          await holdIn(first, w.dentist.dentistId);
          const secondPid = (await second.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]
            .pid;
          const pending = holdIn(second, secondId).then(
            () => null,
            (err: { code?: string; message?: string }) => ({ code: err.code, message: err.message }),
          );
          // Wait (by polling the server, not by sleeping a fixed time) until the second call blocks.
          for (;;) {
            const waiting = await observer.query(
              `select 1 from pg_stat_activity where pid = $1 and wait_event_type = 'Lock'`,
              [secondPid],
            );
            if (waiting.rowCount) break;
          }
          await first.query('commit');
          const error = await pending;
          await second.query(error ? 'rollback' : 'commit');
          return error;
        }),
      ),
    );
    expect(outcome).toBeNull();
    const holds = await withDb((db) =>
      db.query<{ dentist_id: string }>('select dentist_id from public.slot_holds where held_by = $1', [
        w.patient.userId,
      ]),
    );
    expect(holds.rows).toEqual([{ dentist_id: secondId }]);
  });

  it('a burst of holds and bookings by one user answers only with documented codes and leaves one hold', async () => {
    const { w, secondId, day } = await withDb(async (db) => {
      const made = await twoDentistWorld(db);
      return { ...made, day: await localInstant(db, made.w.timezone, 6, '09:00') };
    });
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) => {
        const dentistId = i % 2 === 0 ? w.dentist.dentistId : secondId;
        const at = addMinutes(day, Math.floor(i / 2) * 15);
        return i % 3 === 0 ? book(w, w.patient, dentistId, at) : hold(w, w.patient, dentistId, at);
      }),
    );
    const documented = new Set<string>(DOMAIN_ERROR_CODES);
    for (const r of results) if (r.code) expect(documented.has(r.code), r.code).toBe(true);
    const holds = await withDb((db) =>
      db.query('select 1 from public.slot_holds where held_by = $1', [w.patient.userId]),
    );
    expect(holds.rowCount).toBeLessThanOrEqual(1);
  });
});
