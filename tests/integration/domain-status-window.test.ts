/**
 * Status guard rails in set_appointment_status, through supabase-js as each role: check-in,
 * in-chair and completed only from clinics.check_in_opens_minutes before the start, no-show only
 * from clinics.no_show_after_minutes after it (no upper bound), for admins too; and undo — the
 * author of a step returns to the previous status through the same RPC with the version check.
 *
 * "Now" is the database's clock: each visit is written directly (superuser fixture) at an offset
 * from now(), so the case does not depend on the time of day the test runs at.
 */
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { TAppointmentStatus } from '@/lib/domain/appointments';
import { withDb } from '../helpers/stack';
import { createWorld, type TClinicOptions, type TUser, type TWorld } from './domain-fixtures';

const MINUTE = 1;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A 30-minute check-up of the world's patient starting `offsetMinutes` from now, in `status`. */
async function visitAt(
  db: pg.Client,
  w: TWorld,
  offsetMinutes: number,
  status: TAppointmentStatus = 'scheduled',
): Promise<{ id: string; version: number }> {
  const res = await db.query<{ id: string; version: number }>(
    `insert into public.appointments (clinic_id, dentist_id, patient_id, service_id, period, blocked_period, status, source)
     select $1, $2, $3, $4, p, p, $6, 'portal'
     from (select tstzrange(date_trunc('minute', now()) + make_interval(mins => $5),
                            date_trunc('minute', now()) + make_interval(mins => $5 + 30), '[)') as p) t
     returning id, version`,
    [w.clinicId, w.dentist.dentistId, w.patient.userId, w.checkupId, offsetMinutes, status],
  );
  return res.rows[0];
}

async function setStatus(
  as: TUser,
  target: { id: string; version: number },
  status: TAppointmentStatus,
): Promise<{ code: string | null; status?: string; version?: number; details?: string }> {
  if (!as.client) throw new Error('world was not built through the Auth API');
  const { data, error } = await as.client.rpc('set_appointment_status', {
    p_appointment_id: target.id,
    p_status: status,
    p_expected_version: target.version,
  });
  if (error) return { code: error.code === 'P0001' ? error.message : error.code, details: error.details };
  const row = data as { status: string; version: number };
  return { code: null, status: row.status, version: row.version };
}

type TActorName = 'dentist' | 'admin';
const actorOf = (w: TWorld, name: TActorName): TUser => (name === 'dentist' ? w.dentist : w.admin);

describe('status windows', () => {
  // [case, from, to, start offset in minutes, actor, clinic settings, expected]
  const cases: Array<
    [string, TAppointmentStatus, TAppointmentStatus, number, TActorName, TClinicOptions, string | null]
  > = [
    [
      'no-show 11 days ahead (the reported click)',
      'scheduled',
      'no_show',
      11 * DAY,
      'dentist',
      {},
      'status_too_early',
    ],
    ['check-in 11 days ahead', 'scheduled', 'checked_in', 11 * DAY, 'dentist', {}, 'status_too_early'],
    [
      'check-in 11 days ahead, as an admin',
      'confirmed',
      'checked_in',
      11 * DAY,
      'admin',
      {},
      'status_too_early',
    ],
    ['check-in 90 min before (window 60)', 'scheduled', 'checked_in', 90, 'dentist', {}, 'status_too_early'],
    ['check-in 30 min before (window 60)', 'scheduled', 'checked_in', 30, 'dentist', {}, null],
    [
      'check-in 90 min before (window 120)',
      'scheduled',
      'checked_in',
      90,
      'dentist',
      { checkInOpensMinutes: 120 },
      null,
    ],
    ['in chair 3 h before', 'checked_in', 'in_chair', 3 * HOUR, 'dentist', {}, 'status_too_early'],
    ['in chair 10 min before', 'checked_in', 'in_chair', 10, 'dentist', {}, null],
    ['completed 2 h before', 'in_chair', 'completed', 2 * HOUR, 'admin', {}, 'status_too_early'],
    ['completed 40 min after the start', 'in_chair', 'completed', -40, 'dentist', {}, null],
    ['no-show 30 min before the start', 'scheduled', 'no_show', 30, 'dentist', {}, 'status_too_early'],
    ['no-show 5 min after the start', 'confirmed', 'no_show', -5, 'dentist', {}, null],
    [
      'no-show 5 min after the start (grace 15)',
      'scheduled',
      'no_show',
      -5,
      'admin',
      { noShowAfterMinutes: 15 },
      'status_too_early',
    ],
    [
      'no-show 20 min after the start (grace 15)',
      'scheduled',
      'no_show',
      -20,
      'admin',
      { noShowAfterMinutes: 15 },
      null,
    ],
    ['no-show recorded 3 days after the fact', 'scheduled', 'no_show', -3 * DAY, 'admin', {}, null],
    ['confirm 11 days ahead (no window)', 'scheduled', 'confirmed', 11 * DAY, 'dentist', {}, null],
    ['cancel by staff 11 days ahead (no window)', 'scheduled', 'cancelled', 11 * DAY, 'dentist', {}, null],
    [
      'an illegal step stays invalid_transition',
      'scheduled',
      'completed',
      11 * DAY,
      'dentist',
      {},
      'invalid_transition',
    ],
  ];

  it.each(cases)('%s: %s → %s', async (_case, from, to, offset, actor, opts, expected) => {
    await withDb(async (db) => {
      const w = await createWorld(db, { ...opts, viaAuth: true });
      const visit = await visitAt(db, w, offset, from);
      const res = await setStatus(actorOf(w, actor), visit, to);
      expect(res.code).toBe(expected);
      const [row] = (
        await db.query<{ status: string; version: number }>(
          'select status, version from public.appointments where id = $1',
          [visit.id],
        )
      ).rows;
      if (expected === null) expect(row).toMatchObject({ status: to, version: visit.version + 1 });
      else expect(row).toEqual({ status: from, version: visit.version });
      if (expected === 'status_too_early')
        expect(res.details).toMatch(/possible from \d{1,2} \w{3} \d{4} \d\d:\d\d/);
    });
  });
});

describe('undo through the same RPC', () => {
  it('the dentist who marked a no-show takes it back with the new version; the stale version is refused', async () => {
    await withDb(async (db) => {
      const w = await createWorld(db, { viaAuth: true });
      const visit = await visitAt(db, w, -10, 'confirmed');
      const marked = await setStatus(w.dentist, visit, 'no_show');
      expect(marked).toMatchObject({ code: null, status: 'no_show', version: 2 });
      expect((await setStatus(w.dentist, visit, 'confirmed')).code).toBe('stale_version');
      const undone = await setStatus(w.dentist, { id: visit.id, version: 2 }, 'confirmed');
      expect(undone).toMatchObject({ code: null, status: 'confirmed', version: 3 });
      // Undoing the undo is not a thing: back to no-show is an ordinary step (and allowed now).
      expect((await setStatus(w.dentist, { id: visit.id, version: 3 }, 'no_show')).status).toBe('no_show');
    });
  });

  it.each([
    ['a staff cancellation', 'scheduled', 'cancelled', 3 * DAY, 'cancelled'],
    ['a check-in', 'confirmed', 'checked_in', 20, 'checked_in'],
  ] satisfies Array<[string, TAppointmentStatus, TAppointmentStatus, number, string]>)(
    'an admin undoes %s',
    async (_case, from, to, offset, landed) => {
      await withDb(async (db) => {
        const w = await createWorld(db, { viaAuth: true });
        const visit = await visitAt(db, w, offset, from);
        expect((await setStatus(w.admin, visit, to)).status).toBe(landed);
        expect(await setStatus(w.admin, { id: visit.id, version: 2 }, from)).toMatchObject({
          code: null,
          status: from,
          version: 3,
        });
      });
    },
  );

  it.each([
    ['someone else (another staff member)', 'other', 'invalid_transition'],
    ['the author after the undo interval', 'late', 'invalid_transition'],
    ['the author once the time was given to someone else', 'taken', 'slot_taken'],
    ['the author when the patient booked another visit at that time', 'patientBusy', 'overlapping_booking'],
  ] as const)('undo by %s is refused (%s)', async (_case, kind, expected) => {
    await withDb(async (db) => {
      const w = await createWorld(db, { viaAuth: true });
      const visit = await visitAt(db, w, -10, 'scheduled');
      expect((await setStatus(w.dentist, visit, 'no_show')).code).toBeNull();
      let undoer: TUser = w.dentist;
      if (kind === 'other') undoer = w.admin;
      if (kind === 'late')
        await db.query(
          `update public.appointments set status_changed_at = now() - interval '3 minutes' where id = $1`,
          [visit.id],
        );
      if (kind === 'taken' || kind === 'patientBusy') {
        // The freed time goes to another visit (of another patient, or of the same one elsewhere).
        const patient = kind === 'taken' ? w.otherPatient.userId : w.patient.userId;
        await db.query(
          `insert into public.appointments (clinic_id, dentist_id, patient_id, service_id, period, blocked_period, source)
           select clinic_id, $2, $3, service_id, period, period, 'staff' from public.appointments where id = $1`,
          [visit.id, kind === 'taken' ? w.dentist.dentistId : await otherDentist(db, w), patient],
        );
      }
      const version = (
        await db.query<{ version: number }>('select version from public.appointments where id = $1', [
          visit.id,
        ])
      ).rows[0].version;
      expect((await setStatus(undoer, { id: visit.id, version }, 'scheduled')).code).toBe(expected);
    });
  });

  it('a patient cannot undo their own cancellation through set_appointment_status', async () => {
    await withDb(async (db) => {
      const w = await createWorld(db, { viaAuth: true });
      const visit = await visitAt(db, w, 3 * DAY, 'scheduled');
      expect((await setStatus(w.patient, visit, 'cancelled')).code).toBeNull();
      expect((await setStatus(w.patient, { id: visit.id, version: 2 }, 'scheduled')).code).toBe(
        'not_allowed',
      );
    });
  });
});

async function otherDentist(db: pg.Client, w: TWorld): Promise<string> {
  const res = await db.query<{ id: string }>(
    `insert into public.dentists (clinic_id, display_name) values ($1, 'Dr. Elsewhere') returning id`,
    [w.clinicId],
  );
  return res.rows[0].id;
}
