/**
 * save_weekly_hours: a dentist's weekly hours replaced in one transaction, through supabase-js as
 * each role. The dentist themself and an admin of the clinic may save; another dentist, a patient
 * and an admin of another clinic are refused with not_allowed; a bad window (end before start,
 * overlap, garbage) is refused with a stable code and leaves the saved hours exactly as they were.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { withDb } from '../helpers/stack';
import { createClinic, createUser, createWorld, type TUser, type TWorld } from './domain-fixtures';

type TWindow = { weekday: number; starts_at: string; ends_at: string };
type TSavedRule = { id: string; weekday: number; start_time: string; end_time: string };

async function rulesOf(db: pg.Client, dentistId: string): Promise<TSavedRule[]> {
  const res = await db.query<TSavedRule>(
    `select id, weekday, start_time::text, end_time::text from public.availability_rules
     where dentist_id = $1 order by weekday, start_time`,
    [dentistId],
  );
  return res.rows;
}

function clientOf(u: TUser): SupabaseClient {
  if (!u.client) throw new Error('fixture user without a signed-in client');
  return u.client;
}

async function save(as: TUser, dentistId: string, windows: unknown) {
  return clientOf(as).rpc('save_weekly_hours', { p_dentist_id: dentistId, p_windows: windows });
}

const MONDAY_SPLIT: TWindow[] = [
  { weekday: 1, starts_at: '08:00', ends_at: '12:00' },
  { weekday: 1, starts_at: '13:00', ends_at: '18:00' },
];

describe('save_weekly_hours', () => {
  let w: TWorld;
  let colleague: TUser;
  let otherClinicAdmin: TUser;

  beforeAll(async () => {
    await withDb(async (db) => {
      w = await createWorld(db, { viaAuth: true });
      colleague = await createUser(db, w.clinicId, 'dentist', 'Dr. Colleague', { viaAuth: true });
      const other = await createClinic(db);
      otherClinicAdmin = await createUser(db, other.id, 'admin', 'Other Admin', { viaAuth: true });
    });
  });

  it('the dentist replaces their week in one call: unchanged windows keep their rows, the rest is swapped', async () => {
    await withDb(async (db) => {
      const before = await rulesOf(db, w.dentist.dentistId);
      const sunday = before.find((r) => r.weekday === 0);
      // Keep Sunday 09–17 as it is, split Monday, drop every other day.
      const { error } = await save(w.dentist, w.dentist.dentistId, [
        { weekday: 0, starts_at: '09:00', ends_at: '17:00' },
        ...MONDAY_SPLIT,
      ]);
      expect(error).toBeNull();
      const after = await rulesOf(db, w.dentist.dentistId);
      expect(after.map(({ weekday, start_time, end_time }) => [weekday, start_time, end_time])).toEqual([
        [0, '09:00:00', '17:00:00'],
        [1, '08:00:00', '12:00:00'],
        [1, '13:00:00', '18:00:00'],
      ]);
      expect(after[0].id).toBe(sunday?.id);
      // The per-row triggers still ran: one activity entry per deleted and per inserted row.
      const log = await db.query<{ action: string; n: string }>(
        `select action, count(*)::text as n from public.activity_log
         where dentist_id = $1 and entity_type = 'availability_rule' and actor_id = $2
         group by action order by action`,
        [w.dentist.dentistId, w.dentist.userId],
      );
      expect(log.rows).toEqual([
        { action: 'delete', n: '6' },
        { action: 'insert', n: '2' },
      ]);
    });
  });

  it('an admin of the clinic saves the dentist’s week; 24:00 ends a day', async () => {
    const { error } = await save(w.admin, w.dentist.dentistId, [
      ...MONDAY_SPLIT,
      { weekday: 5, starts_at: '18:00', ends_at: '24:00' },
    ]);
    expect(error).toBeNull();
    await withDb(async (db) => {
      const after = await rulesOf(db, w.dentist.dentistId);
      expect(after.map(({ weekday, start_time, end_time }) => [weekday, start_time, end_time])).toEqual([
        [1, '08:00:00', '12:00:00'],
        [1, '13:00:00', '18:00:00'],
        [5, '18:00:00', '24:00:00'],
      ]);
    });
  });

  it.each([
    ['end before start', [{ weekday: 2, starts_at: '12:00', ends_at: '09:00' }], 'invalid_input'],
    ['empty window', [{ weekday: 2, starts_at: '09:00', ends_at: '09:00' }], 'invalid_input'],
    ['weekday out of range', [{ weekday: 7, starts_at: '09:00', ends_at: '10:00' }], 'invalid_input'],
    ['not a time', [{ weekday: 2, starts_at: 'nine', ends_at: '10:00' }], 'invalid_input'],
    ['25 o’clock', [{ weekday: 2, starts_at: '09:00', ends_at: '25:00' }], 'invalid_input'],
    ['missing field', [{ weekday: 2, starts_at: '09:00' }], 'invalid_input'],
    ['not an array', { weekday: 2, starts_at: '09:00', ends_at: '10:00' }, 'invalid_input'],
    [
      'overlapping windows',
      [
        { weekday: 3, starts_at: '09:00', ends_at: '12:00' },
        { weekday: 3, starts_at: '11:00', ends_at: '14:00' },
      ],
      'overlapping_hours',
    ],
  ])('a bad week (%s) is refused and the saved hours stay untouched', async (_name, windows, code) => {
    await withDb(async (db) => {
      const before = await rulesOf(db, w.dentist.dentistId);
      // A valid window first: a half-applied save would show up as a change.
      const list = Array.isArray(windows)
        ? [{ weekday: 6, starts_at: '10:00', ends_at: '11:00' }, ...windows]
        : windows;
      const { error } = await save(w.dentist, w.dentist.dentistId, list);
      expect(error?.code).toBe('P0001');
      expect(error?.message).toBe(code);
      expect(error?.details).toBeTruthy();
      expect(await rulesOf(db, w.dentist.dentistId)).toEqual(before);
    });
  });

  it.each(['another dentist', 'a patient', 'an admin of another clinic'] as const)(
    '%s cannot save the dentist’s hours and nothing changes',
    async (who) => {
      const as = {
        'another dentist': colleague,
        'a patient': w.patient,
        'an admin of another clinic': otherClinicAdmin,
      }[who];
      await withDb(async (db) => {
        const before = await rulesOf(db, w.dentist.dentistId);
        const { error } = await save(as, w.dentist.dentistId, [
          { weekday: 4, starts_at: '07:00', ends_at: '08:00' },
        ]);
        expect(error?.code).toBe('P0001');
        expect(error?.message).toBe('not_allowed');
        expect(await rulesOf(db, w.dentist.dentistId)).toEqual(before);
      });
    },
  );
});
