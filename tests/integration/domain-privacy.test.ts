/**
 * What staff can read about people, through supabase-js as each role: a dentist reads the contact
 * details of their own patients (an appointment with them, past or future, any status) and of the
 * clinic's staff, not of every patient; date-override notes and time-off reasons are private to the
 * dentist and the admins; a dentist's schedule topic does not say whose a hold is. And the API
 * roles hold no table privilege RLS cannot guard (TRUNCATE, REFERENCES, TRIGGER), now or for
 * tables created later.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REALTIME_EVENTS, topics } from '@/lib/domain/realtime';
import { withDb } from '../helpers/stack';
import {
  addMinutes,
  createUser,
  createWorld,
  localInstant,
  sqlAs,
  type TUser,
  type TWorld,
} from './domain-fixtures';
import { EventLog, realtimeClient, subscribe } from './realtime-helpers';

let w: TWorld;
/** A second dentist of the same clinic, who never treated anyone here. */
let colleague: TUser & { dentistId: string };
/** A patient whose only visit with the dentist was cancelled long ago. */
let formerPatient: TUser;
/** The dentist's time off on day 5, 09:00–12:00 clinic time, as instants. */
let timeOff: [string, string];
const opened: SupabaseClient[] = [];

beforeAll(async () => {
  await withDb(async (db) => {
    w = await createWorld(db, { viaAuth: true });
    const c = await createUser(db, w.clinicId, 'dentist', 'Dr. Colleague', { viaAuth: true });
    colleague = { ...c, dentistId: c.dentistId as string };
    formerPatient = await createUser(db, w.clinicId, 'patient', 'Former Patient', { viaAuth: true });
    await db.query(`update public.profiles set phone = '+44 20 7946 0000' where id = any($1)`, [
      [w.patient.userId, w.otherPatient.userId, formerPatient.userId],
    ]);
    // The patient books with the dentist; the former patient had a visit last month, cancelled.
    const start = await localInstant(db, w.timezone, 2, '10:00');
    const booked = await w.patient.client?.rpc('book_appointment', {
      p_dentist_id: w.dentist.dentistId,
      p_service_id: w.checkupId,
      p_starts_at: start,
    });
    if (booked?.error) throw new Error(booked.error.message);
    await db.query(
      `insert into public.appointments (clinic_id, dentist_id, patient_id, service_id, period, blocked_period, status, source)
       select $1, $2, $3, $4, p, p, 'cancelled', 'portal'
       from (select tstzrange(now() - interval '30 days', now() - interval '30 days' + interval '30 minutes', '[)') as p) t`,
      [w.clinicId, w.dentist.dentistId, formerPatient.userId, w.checkupId],
    );
    await db.query(
      `insert into public.availability_overrides (clinic_id, dentist_id, on_date, note)
       values ($1, $2, (now() at time zone $3)::date + 6, 'Hospital appointment')`,
      [w.clinicId, w.dentist.dentistId, w.timezone],
    );
    await db.query(
      `insert into public.time_off (clinic_id, dentist_id, starts_local, ends_local, reason)
       values ($1, $2, (now() at time zone $3)::date + 5 + time '09:00', (now() at time zone $3)::date + 5 + time '12:00', 'Family matter')`,
      [w.clinicId, w.dentist.dentistId, w.timezone],
    );
    timeOff = [
      await localInstant(db, w.timezone, 5, '09:00'),
      await localInstant(db, w.timezone, 5, '12:00'),
    ];
  });
}, 60_000);

afterAll(async () => {
  await Promise.all(opened.map((c) => c.removeAllChannels()));
});

type TViewer = 'dentist' | 'colleague' | 'admin' | 'patient';
type TTarget = 'patient' | 'otherPatient' | 'formerPatient' | 'dentist' | 'colleague' | 'admin';

const person = (who: TViewer | TTarget): TUser =>
  ({
    dentist: w.dentist,
    colleague,
    admin: w.admin,
    patient: w.patient,
    otherPatient: w.otherPatient,
    formerPatient,
  })[who];

function clientOf(who: TViewer): SupabaseClient {
  const client = person(who).client;
  if (!client) throw new Error('world was not built through the Auth API');
  return client;
}

describe('profiles a member can read', () => {
  it.each<[TViewer, TTarget, boolean]>([
    ['dentist', 'patient', true],
    ['dentist', 'formerPatient', true],
    ['dentist', 'otherPatient', false],
    ['dentist', 'colleague', true],
    ['dentist', 'admin', true],
    ['colleague', 'patient', false],
    ['colleague', 'formerPatient', false],
    ['colleague', 'otherPatient', false],
    ['colleague', 'dentist', true],
    ['admin', 'patient', true],
    ['admin', 'otherPatient', true],
    ['admin', 'formerPatient', true],
    ['patient', 'otherPatient', false],
    ['patient', 'dentist', false],
  ])('%s reads %s: %s', async (viewer, target, visible) => {
    const { data, error } = await clientOf(viewer)
      .from('profiles')
      .select('id, display_name, email, phone')
      .eq('id', person(target).userId);
    expect(error).toBeNull();
    expect(data?.map((r) => r.email)).toEqual(visible ? [person(target).email] : []);
  });

  it('a dentist listing the clinic sees only their patients and the staff', async () => {
    const { data, error } = await clientOf('dentist')
      .from('profiles')
      .select('id')
      .eq('clinic_id', w.clinicId);
    expect(error).toBeNull();
    const expected = [w.patient, formerPatient, w.dentist, colleague, w.admin].map((u) => u.userId);
    expect(data?.map((r) => r.id).sort()).toEqual(expected.sort());
  });
});

describe('date-override notes and time-off reasons', () => {
  it.each<[TViewer, 'availability_overrides' | 'time_off', string, boolean]>([
    ['dentist', 'availability_overrides', 'note', true],
    ['dentist', 'time_off', 'reason', true],
    ['admin', 'availability_overrides', 'note', true],
    ['admin', 'time_off', 'reason', true],
    ['colleague', 'availability_overrides', 'note', false],
    ['colleague', 'time_off', 'reason', false],
    ['patient', 'availability_overrides', 'note', false],
    ['patient', 'time_off', 'reason', false],
  ])('%s reads the dentist’s %s (%s): %s', async (viewer, table, column, visible) => {
    const { data, error } = await clientOf(viewer)
      .from(table)
      .select(column)
      .eq('dentist_id', w.dentist.dentistId);
    expect(error).toBeNull();
    expect((data ?? []).length > 0).toBe(visible);
  });

  it('the colleague still reads the clinic’s weekly hours, and slots still honour the time off', async () => {
    const rules = await clientOf('colleague')
      .from('availability_rules')
      .select('id')
      .eq('dentist_id', w.dentist.dentistId);
    expect(rules.data?.length).toBeGreaterThan(0);
    const slots = await clientOf('colleague').rpc('available_slots', {
      p_clinic_id: w.clinicId,
      p_service_id: w.checkupId,
      p_dentist_id: w.dentist.dentistId,
      p_from: addMinutes(timeOff[0], -9 * 60),
      p_to: addMinutes(timeOff[0], 15 * 60),
    });
    expect(slots.error).toBeNull();
    const starts = (slots.data as Array<{ start: string }>).map((s) => new Date(s.start).getTime());
    const off = timeOff.map((t) => Date.parse(t));
    expect(starts.length).toBeGreaterThan(0);
    expect(starts.filter((t) => t >= off[0] && t < off[1])).toEqual([]);
  });
});

describe('hold_changed payloads', () => {
  it('the dentist’s schedule topic does not carry the holder; the admins’ clinic topic does', async () => {
    const listen = async (token: string | undefined, topic: string) => {
      const log = new EventLog<Record<string, unknown>>();
      const client = realtimeClient({ token });
      opened.push(client);
      await subscribe(
        client
          .channel(topic, { config: { private: true } })
          .on('broadcast', { event: REALTIME_EVENTS.holdChanged }, (m) =>
            log.push(m.payload as Record<string, unknown>),
          ),
      );
      return log;
    };
    const dentistLog = await listen(w.dentist.accessToken, topics.dentistSchedule(w.dentist.dentistId));
    const adminLog = await listen(w.admin.accessToken, topics.clinicSchedule(w.clinicId));
    const start = await withDb((db) => localInstant(db, w.timezone, 4, '14:00'));
    const held = await w.otherPatient.client?.rpc('hold_slot', {
      p_dentist_id: w.dentist.dentistId,
      p_service_id: w.checkupId,
      p_starts_at: start,
    });
    expect(held?.error).toBeNull();
    const holdId = (held?.data as { id: string }).id;
    const toDentist = await dentistLog.waitFor((p) => p.id === holdId, 'hold_changed on the dentist topic');
    const toAdmin = await adminLog.waitFor((p) => p.id === holdId, 'hold_changed on the clinic topic');
    expect(toDentist).not.toHaveProperty('held_by');
    expect(JSON.stringify(toDentist)).not.toContain(w.otherPatient.userId);
    expect(toAdmin).toMatchObject({ id: holdId, held_by: w.otherPatient.userId });
  });
});

describe('table privileges RLS cannot guard', () => {
  const PRIVILEGES = ['TRUNCATE', 'REFERENCES', 'TRIGGER'] as const;

  it.each(['anon', 'authenticated'])(
    '%s has no TRUNCATE, REFERENCES or TRIGGER on any public table',
    async (role) => {
      const granted = await withDb((db) =>
        db.query<{ table: string; privilege: string }>(
          `select c.relname as table, p.privilege
         from pg_class c
         join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
         cross join unnest($2::text[]) as p(privilege)
         where c.relkind in ('r', 'p', 'v', 'm', 'f') and has_table_privilege($1, c.oid, p.privilege)
           -- The Postgres Changes tests' own fixture tables (tests/integration/fixtures) grant ALL on purpose.
           and c.relname not like 'pgc\\_%'
         order by 1, 2`,
          [role, PRIVILEGES],
        ),
      );
      expect(granted.rows).toEqual([]);
    },
  );

  it('a table created later by the migration role does not grant them either', async () => {
    const granted = await withDb(async (db) => {
      await db.query('begin');
      try {
        await db.query('create table public.privilege_probe (id int primary key)');
        const res = await db.query<{ role: string; privilege: string }>(
          `select r.role, p.privilege
           from unnest(array['anon', 'authenticated']) as r(role)
           cross join unnest($1::text[]) as p(privilege)
           where has_table_privilege(r.role, 'public.privilege_probe', p.privilege)`,
          [PRIVILEGES],
        );
        return res.rows;
      } finally {
        await db.query('rollback');
      }
    });
    expect(granted).toEqual([]);
  });

  it.each(['dentists', 'services', 'dentist_services'])(
    'a signed-in admin cannot TRUNCATE %s (RLS would not stop it)',
    async (table) => {
      const res = await withDb((db) =>
        sqlAs(db, { kind: 'user', userId: w.admin.userId }, `truncate public.${table}`, [], {
          rollback: true,
        }),
      );
      expect(res.error?.code).toBe('42501');
    },
  );
});
