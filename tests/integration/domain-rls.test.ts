/**
 * The access matrix: every actor × every table × select/insert/update/delete, and every actor ×
 * every RPC. Statements run exactly as PostgREST runs them (role + request.jwt.claims in one
 * transaction); mutations are rolled back so the world stays as built.
 *
 * Actors: anon, a patient P, another patient of the same clinic, P's dentist D, a dentist of
 * another clinic, an admin of P's clinic, an admin of another clinic, service_role.
 */
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { withDb } from '../helpers/stack';
import {
  addMinutes,
  ANON,
  createClinic,
  createDentist,
  createService,
  createUser,
  createWorld,
  errorCode,
  localInstant,
  SERVICE,
  sqlAs,
  user,
  type TActor,
  type TWorld,
} from './domain-fixtures';

const ACTORS = ['anon', 'patient', 'otherPatient', 'dentist', 'otherClinicDentist', 'admin', 'otherClinicAdmin', 'service'] as const;
type TActorName = (typeof ACTORS)[number];
type TOp = 'select' | 'insert' | 'update' | 'delete';
const TABLES = [
  'clinics',
  'profiles',
  'dentists',
  'services',
  'dentist_services',
  'availability_rules',
  'availability_overrides',
  'time_off',
  'appointments',
  'slot_holds',
  'activity_log',
] as const;
type TTable = (typeof TABLES)[number];

/**
 * Allowed operations per table and actor, as letters S I U D. Select means "sees the probe rows"
 * (P's rows, D's availability, clinic A's catalogue); update/delete "changes at least one row".
 */
const MATRIX: Record<TTable, Record<TActorName, string>> = {
  clinics: { anon: 'S', patient: 'S', otherPatient: 'S', dentist: 'S', otherClinicDentist: 'S', admin: 'SU', otherClinicAdmin: 'S', service: 'SIUD' },
  profiles: { anon: '', patient: 'SU', otherPatient: '', dentist: 'S', otherClinicDentist: '', admin: 'SU', otherClinicAdmin: '', service: 'SIUD' },
  dentists: { anon: 'S', patient: 'S', otherPatient: 'S', dentist: 'S', otherClinicDentist: 'S', admin: 'SIUD', otherClinicAdmin: 'S', service: 'SIUD' },
  services: { anon: 'S', patient: 'S', otherPatient: 'S', dentist: 'S', otherClinicDentist: 'S', admin: 'SIUD', otherClinicAdmin: 'S', service: 'SIUD' },
  dentist_services: { anon: 'S', patient: 'S', otherPatient: 'S', dentist: 'S', otherClinicDentist: 'S', admin: 'SID', otherClinicAdmin: 'S', service: 'SIUD' },
  availability_rules: { anon: '', patient: '', otherPatient: '', dentist: 'SIUD', otherClinicDentist: '', admin: 'SIUD', otherClinicAdmin: '', service: 'SIUD' },
  availability_overrides: { anon: '', patient: '', otherPatient: '', dentist: 'SIUD', otherClinicDentist: '', admin: 'SIUD', otherClinicAdmin: '', service: 'SIUD' },
  time_off: { anon: '', patient: '', otherPatient: '', dentist: 'SIUD', otherClinicDentist: '', admin: 'SIUD', otherClinicAdmin: '', service: 'SIUD' },
  appointments: { anon: '', patient: 'S', otherPatient: '', dentist: 'S', otherClinicDentist: '', admin: 'S', otherClinicAdmin: '', service: 'SIUD' },
  slot_holds: { anon: '', patient: 'S', otherPatient: '', dentist: '', otherClinicDentist: '', admin: 'S', otherClinicAdmin: '', service: 'SIUD' },
  activity_log: { anon: '', patient: 'S', otherPatient: '', dentist: 'S', otherClinicDentist: '', admin: 'S', otherClinicAdmin: '', service: 'S' },
};

interface TContext {
  a: TWorld;
  b: TWorld;
  spareClinicId: string;
  spareDentistId: string;
  spareServiceId: string;
  sparePatientId: string;
  orphanUserId: string;
  appointmentId: string;
  actors: Record<TActorName, TActor>;
}

let ctx: TContext;

/** One statement per table and operation; $1 is always clinic A. */
function statement(table: TTable, op: TOp): { sql: string; params: unknown[] } {
  const { a } = ctx;
  const P = a.patient.userId;
  const D = a.dentist.dentistId;
  const byDentist = { select: `select 1 from public.${table} where dentist_id = $2`, update: `update public.${table} set updated_at = updated_at where dentist_id = $2`, delete: `delete from public.${table} where dentist_id = $2` };
  const far = '2031-01-06';
  const s: Record<TTable, Record<TOp, [string, unknown[]]>> = {
    clinics: {
      select: ['select 1 from public.clinics where id = $1', []],
      insert: [`insert into public.clinics (name, timezone) values ('Matrix clinic', 'UTC')`, []],
      update: ['update public.clinics set name = name where id = $1', []],
      delete: ['delete from public.clinics where id = $2', [ctx.spareClinicId]],
    },
    profiles: {
      select: ['select 1 from public.profiles where id = $2', [P]],
      insert: [`insert into public.profiles (id, display_name) values ($2, 'Orphan')`, [ctx.orphanUserId]],
      update: ['update public.profiles set display_name = display_name where id = $2', [P]],
      delete: ['delete from public.profiles where id = $2', [ctx.sparePatientId]],
    },
    dentists: {
      select: ['select 1 from public.dentists where clinic_id = $1', []],
      insert: [`insert into public.dentists (clinic_id, display_name) values ($1, 'Dr. Matrix')`, []],
      update: ['update public.dentists set display_name = display_name where id = $2', [D]],
      delete: ['delete from public.dentists where id = $2', [ctx.spareDentistId]],
    },
    services: {
      select: ['select 1 from public.services where clinic_id = $1', []],
      insert: [`insert into public.services (clinic_id, name, duration_minutes) values ($1, 'Matrix', 30)`, []],
      update: ['update public.services set name = name where id = $2', [a.checkupId]],
      delete: ['delete from public.services where id = $2', [ctx.spareServiceId]],
    },
    dentist_services: {
      select: ['select 1 from public.dentist_services where clinic_id = $1', []],
      insert: ['insert into public.dentist_services (clinic_id, dentist_id, service_id) values ($1, $2, $3)', [D, ctx.spareServiceId]],
      update: ['update public.dentist_services set created_at = created_at where dentist_id = $2', [D]],
      delete: ['delete from public.dentist_services where dentist_id = $2 and service_id = $3', [D, a.fillingId]],
    },
    availability_rules: {
      select: [byDentist.select, [D]],
      insert: [`insert into public.availability_rules (clinic_id, dentist_id, weekday, start_time, end_time) values ($1, $2, 1, '20:00', '21:00')`, [D]],
      update: [byDentist.update, [D]],
      delete: [byDentist.delete, [D]],
    },
    availability_overrides: {
      select: [byDentist.select, [D]],
      insert: [`insert into public.availability_overrides (clinic_id, dentist_id, on_date) values ($1, $2, '${far}')`, [D]],
      update: [byDentist.update, [D]],
      delete: [byDentist.delete, [D]],
    },
    time_off: {
      select: [byDentist.select, [D]],
      insert: [`insert into public.time_off (clinic_id, dentist_id, starts_local, ends_local) values ($1, $2, '${far} 10:00', '${far} 11:00')`, [D]],
      update: [byDentist.update, [D]],
      delete: [byDentist.delete, [D]],
    },
    appointments: {
      select: ['select 1 from public.appointments where patient_id = $2', [P]],
      insert: [
        `insert into public.appointments (clinic_id, dentist_id, patient_id, service_id, period, blocked_period)
         values ($1, $2, $3, $4, tstzrange('${far} 12:00Z', '${far} 12:30Z'), tstzrange('${far} 12:00Z', '${far} 12:30Z'))`,
        [D, P, a.checkupId],
      ],
      update: ['update public.appointments set notes = notes where patient_id = $2', [P]],
      delete: ['delete from public.appointments where patient_id = $2', [P]],
    },
    slot_holds: {
      select: ['select 1 from public.slot_holds where held_by = $2', [P]],
      insert: [
        `insert into public.slot_holds (clinic_id, dentist_id, service_id, held_by, period, blocked_period, expires_at)
         values ($1, $2, $3, $4, tstzrange('${far} 14:00Z', '${far} 14:30Z'), tstzrange('${far} 14:00Z', '${far} 14:30Z'), now() + interval '5 minutes')`,
        [D, a.checkupId, a.otherPatient.userId],
      ],
      update: ['update public.slot_holds set expires_at = expires_at where held_by = $2', [P]],
      delete: ['delete from public.slot_holds where held_by = $2', [P]],
    },
    activity_log: {
      select: [`select 1 from public.activity_log where patient_id = $2 and entity_type = 'appointment'`, [P]],
      insert: [`insert into public.activity_log (clinic_id, actor_role, entity_type, entity_id, action) values ($1, 'x', 'appointment', gen_random_uuid(), 'insert')`, []],
      update: ['update public.activity_log set actor_role = actor_role where clinic_id = $1', []],
      delete: ['delete from public.activity_log where clinic_id = $1', []],
    },
  };
  const [sql, rest] = s[table][op];
  if (/\$1(?!\d)/.test(sql)) return { sql, params: [a.clinicId, ...rest] };
  // Statements that do not mention clinic A: drop it and shift $2.. down to $1..
  return { sql: sql.replace(/\$(\d+)/g, (_m, n: string) => `$${Number(n) - 1}`), params: rest };
}

beforeAll(async () => {
  await withDb(async (db) => {
    const a = await createWorld(db, { minNoticeMinutes: 0 });
    const b = await createWorld(db, { minNoticeMinutes: 0 });
    const spareClinicId = (await createClinic(db)).id;
    const spareDentistId = await createDentist(db, a.clinicId, 'Dr. Spare');
    const spareServiceId = await createService(db, a.clinicId, { durationMinutes: 20, name: 'Spare' });
    const sparePatientId = (await createUser(db, a.clinicId, 'patient', 'Spare')).userId;
    const orphanUserId = (await createUser(db, a.clinicId, 'patient', 'Orphan')).userId;
    await db.query('delete from public.profiles where id = $1', [orphanUserId]);

    await db.query(`insert into public.availability_overrides (clinic_id, dentist_id, on_date) values ($1, $2, '2031-02-03')`, [a.clinicId, a.dentist.dentistId]);
    await db.query(`insert into public.time_off (clinic_id, dentist_id, starts_local, ends_local) values ($1, $2, '2031-02-04 09:00', '2031-02-04 12:00')`, [
      a.clinicId,
      a.dentist.dentistId,
    ]);

    // P has an appointment (through the RPC, so the activity log has its history) and a hold.
    const start = await localInstant(db, a.timezone, 2, '10:00');
    const booked = await sqlAs<{ id: string }>(db, user(a.patient), 'select id from public.book_appointment($1, $2, $3)', [a.dentist.dentistId, a.checkupId, start]);
    if (!booked.rows) throw new Error(`setup booking failed: ${booked.error.message}`);
    const held = await sqlAs(db, user(a.patient), 'select id from public.hold_slot($1, $2, $3)', [a.dentist.dentistId, a.checkupId, addMinutes(start, 120)]);
    if (held.error) throw new Error(`setup hold failed: ${held.error.message}`);

    ctx = {
      a,
      b,
      spareClinicId,
      spareDentistId,
      spareServiceId,
      sparePatientId,
      orphanUserId,
      appointmentId: booked.rows[0].id,
      actors: {
        anon: ANON,
        patient: user(a.patient),
        otherPatient: user(a.otherPatient),
        dentist: user(a.dentist),
        otherClinicDentist: user(b.dentist),
        admin: user(a.admin),
        otherClinicAdmin: user(b.admin),
        service: SERVICE,
      },
    };
  });
});

const LETTER: Record<TOp, string> = { select: 'S', insert: 'I', update: 'U', delete: 'D' };
const cases = TABLES.flatMap((table) =>
  ACTORS.flatMap((actor) => (['select', 'insert', 'update', 'delete'] as const).map((op) => [table, actor, op] as const)),
);

describe('table access matrix', () => {
  it.each(cases)('%s: %s %s', async (table, actor, op) => {
    const allowed = MATRIX[table][actor].includes(LETTER[op]);
    const { sql, params } = statement(table, op);
    const res = await withDb((db) => sqlAs(db, ctx.actors[actor], sql, params, { rollback: true }));
    if (allowed) {
      expect(res.error).toBeNull();
      expect(res.rowCount).toBeGreaterThan(0);
    } else if (res.error) {
      // Denied by privileges or by a policy's WITH CHECK; never another kind of failure.
      expect(res.error.code).toBe('42501');
    } else {
      expect(res.rowCount).toBe(0);
    }
  });
});

describe('column and row limits inside allowed operations', () => {
  it.each([
    ['role', `update public.profiles set role = 'admin' where id = $1`],
    ['clinic', `update public.profiles set clinic_id = null where id = $1`],
  ])('a patient cannot change their own %s', async (_what, sql) => {
    const res = await withDb((db) => sqlAs(db, ctx.actors.patient, sql, [ctx.a.patient.userId], { rollback: true }));
    expect(res.error?.code).toBe('42501');
  });

  it("a patient's own-profile update does not reach another patient's row", async () => {
    const res = await withDb((db) =>
      sqlAs(db, ctx.actors.patient, `update public.profiles set display_name = 'Hacked' where id = $1`, [ctx.a.otherPatient.userId], { rollback: true }),
    );
    expect(res.rowCount).toBe(0);
  });

  it('a dentist cannot add availability for another dentist of the clinic', async () => {
    const res = await withDb((db) =>
      sqlAs(
        db,
        ctx.actors.dentist,
        `insert into public.availability_rules (clinic_id, dentist_id, weekday, start_time, end_time) values ($1, $2, 1, '08:00', '09:00')`,
        [ctx.a.clinicId, ctx.spareDentistId],
        { rollback: true },
      ),
    );
    expect(res.error?.code).toBe('42501');
  });

  it('an admin cannot move a dentist into another clinic', async () => {
    const res = await withDb((db) =>
      sqlAs(db, ctx.actors.admin, 'update public.dentists set clinic_id = $2 where id = $1', [ctx.spareDentistId, ctx.b.clinicId], { rollback: true }),
    );
    expect(res.error?.code).toBe('42501');
  });
});

// ---------------------------------------------------------------------------------------------
// RPC matrix
// ---------------------------------------------------------------------------------------------
let slotCounter = 0;
/** A fresh start time no other case uses: day 3.. at 09:00 + n × 45 min within working hours. */
async function freshStart(db: pg.Client): Promise<string> {
  const n = slotCounter++;
  const day = 3 + Math.floor(n / 10);
  return addMinutes(await localInstant(db, ctx.a.timezone, day, '09:00'), (n % 10) * 45);
}

async function bookAsAdmin(db: pg.Client): Promise<{ id: string; version: number }> {
  const res = await sqlAs<{ id: string; version: number }>(db, ctx.actors.admin, 'select id, version from public.book_appointment($1, $2, $3, $4)', [
    ctx.a.dentist.dentistId,
    ctx.a.checkupId,
    await freshStart(db),
    ctx.a.patient.userId,
  ]);
  if (!res.rows) throw new Error(res.error.message);
  return res.rows[0];
}

type TRpcCase = (db: pg.Client) => Promise<{ sql: string; params: unknown[] }>;

const RPCS: Record<string, TRpcCase> = {
  available_slots: async (db) => ({
    sql: 'select * from public.available_slots($1, $2, null, $3, $4)',
    params: [ctx.a.clinicId, ctx.a.checkupId, await localInstant(db, ctx.a.timezone, 5, '00:00'), await localInstant(db, ctx.a.timezone, 6, '00:00')],
  }),
  hold_slot: async (db) => ({ sql: 'select * from public.hold_slot($1, $2, $3)', params: [ctx.a.dentist.dentistId, ctx.a.checkupId, await freshStart(db)] }),
  release_hold: async () => ({ sql: 'select public.release_hold()', params: [] }),
  book_appointment: async (db) => ({
    sql: 'select * from public.book_appointment($1, $2, $3, $4)',
    params: [ctx.a.dentist.dentistId, ctx.a.checkupId, await freshStart(db), ctx.a.patient.userId],
  }),
  cancel_appointment: async (db) => ({ sql: 'select * from public.cancel_appointment($1)', params: [(await bookAsAdmin(db)).id] }),
  reschedule_appointment: async (db) => ({
    sql: 'select * from public.reschedule_appointment($1, $2)',
    params: [(await bookAsAdmin(db)).id, await freshStart(db)],
  }),
  set_appointment_status: async (db) => {
    const a = await bookAsAdmin(db);
    return { sql: `select * from public.set_appointment_status($1, 'confirmed', $2)`, params: [a.id, a.version] };
  },
  set_member_role: async (db) => ({
    sql: `select * from public.set_member_role($1, 'dentist')`,
    params: [(await createUser(db, ctx.a.clinicId, 'patient', 'Promotable')).userId],
  }),
};

/** Expected outcome: 'ok' or the error code (domain code, or 42501 for a role without EXECUTE). */
const RPC_MATRIX: Record<keyof typeof RPCS, Record<TActorName, string>> = {
  available_slots: { anon: 'ok', patient: 'ok', otherPatient: 'ok', dentist: 'ok', otherClinicDentist: 'ok', admin: 'ok', otherClinicAdmin: 'ok', service: 'ok' },
  hold_slot: { anon: '42501', patient: 'ok', otherPatient: 'ok', dentist: 'ok', otherClinicDentist: 'not_found', admin: 'ok', otherClinicAdmin: 'not_found', service: 'not_allowed' },
  release_hold: { anon: '42501', patient: 'ok', otherPatient: 'ok', dentist: 'ok', otherClinicDentist: 'ok', admin: 'ok', otherClinicAdmin: 'ok', service: 'not_allowed' },
  book_appointment: {
    anon: '42501',
    patient: 'ok',
    otherPatient: 'not_allowed',
    dentist: 'ok',
    otherClinicDentist: 'not_allowed',
    admin: 'ok',
    otherClinicAdmin: 'not_found',
    service: 'not_allowed',
  },
  cancel_appointment: { anon: '42501', patient: 'ok', otherPatient: 'not_found', dentist: 'ok', otherClinicDentist: 'not_found', admin: 'ok', otherClinicAdmin: 'not_found', service: 'not_allowed' },
  reschedule_appointment: {
    anon: '42501',
    patient: 'ok',
    otherPatient: 'not_found',
    dentist: 'ok',
    otherClinicDentist: 'not_found',
    admin: 'ok',
    otherClinicAdmin: 'not_found',
    service: 'not_allowed',
  },
  set_appointment_status: {
    anon: '42501',
    patient: 'ok',
    otherPatient: 'not_found',
    dentist: 'ok',
    otherClinicDentist: 'not_found',
    admin: 'ok',
    otherClinicAdmin: 'not_found',
    service: 'not_allowed',
  },
  set_member_role: { anon: '42501', patient: 'not_allowed', otherPatient: 'not_allowed', dentist: 'not_allowed', otherClinicDentist: 'not_allowed', admin: 'ok', otherClinicAdmin: 'not_found', service: 'not_allowed' },
};

const rpcCases = Object.keys(RPCS).flatMap((rpc) => ACTORS.map((actor) => [rpc, actor] as const));

describe('RPC access matrix', () => {
  it.each(rpcCases)('%s as %s', async (rpc, actor) => {
    const expected = RPC_MATRIX[rpc][actor];
    await withDb(async (db) => {
      const { sql, params } = await RPCS[rpc](db);
      const res = await sqlAs(db, ctx.actors[actor], sql, params);
      expect(errorCode(res) ?? 'ok').toBe(expected);
    });
  });
});
