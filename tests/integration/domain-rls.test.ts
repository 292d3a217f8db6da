/**
 * The access matrix: every actor × every table × select/insert/update/delete, and every actor ×
 * every RPC, through supabase-js against the REST API, each actor signed in through the Auth API.
 * Mutations work on rows made for the case (disposable rows, fresh inserts, harmless patches), so
 * the cases do not depend on each other's order.
 *
 * Actors: anon, a patient P, another patient of the same clinic, P's dentist D, a colleague of D
 * (a dentist of the same clinic who never treated P), a dentist of another clinic, an admin of P's
 * clinic, an admin of another clinic, service_role.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { anonClient, serviceClient, withDb } from '../helpers/stack';
import {
  addMinutes,
  createClinic,
  createDentist,
  createService,
  createUser,
  createWorld,
  localInstant,
  offer,
  type TWorld,
} from './domain-fixtures';

const ACTORS = [
  'anon',
  'patient',
  'otherPatient',
  'dentist',
  'colleague',
  'otherClinicDentist',
  'admin',
  'otherClinicAdmin',
  'service',
] as const;
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
  clinics: {
    anon: 'S',
    patient: 'S',
    otherPatient: 'S',
    dentist: 'S',
    colleague: 'S',
    otherClinicDentist: 'S',
    admin: 'SU',
    otherClinicAdmin: 'S',
    service: 'SIUD',
  },
  profiles: {
    anon: '',
    patient: 'SU',
    otherPatient: '',
    dentist: 'S',
    // A dentist reads the profiles of their own patients and of the staff, not every patient's.
    colleague: '',
    otherClinicDentist: '',
    admin: 'SU',
    otherClinicAdmin: '',
    service: 'SIUD',
  },
  dentists: {
    anon: 'S',
    patient: 'S',
    otherPatient: 'S',
    dentist: 'S',
    colleague: 'S',
    otherClinicDentist: 'S',
    admin: 'SIUD',
    otherClinicAdmin: 'S',
    service: 'SIUD',
  },
  services: {
    anon: 'S',
    patient: 'S',
    otherPatient: 'S',
    dentist: 'S',
    colleague: 'S',
    otherClinicDentist: 'S',
    admin: 'SIUD',
    otherClinicAdmin: 'S',
    service: 'SIUD',
  },
  dentist_services: {
    anon: 'S',
    patient: 'S',
    otherPatient: 'S',
    dentist: 'S',
    colleague: 'S',
    otherClinicDentist: 'S',
    admin: 'SID',
    otherClinicAdmin: 'S',
    service: 'SIUD',
  },
  availability_rules: {
    anon: '',
    patient: '',
    otherPatient: '',
    dentist: 'SIUD',
    colleague: 'S',
    otherClinicDentist: '',
    admin: 'SIUD',
    otherClinicAdmin: '',
    service: 'SIUD',
  },
  availability_overrides: {
    anon: '',
    patient: '',
    otherPatient: '',
    dentist: 'SIUD',
    // Override notes are private to the dentist and the admins.
    colleague: '',
    otherClinicDentist: '',
    admin: 'SIUD',
    otherClinicAdmin: '',
    service: 'SIUD',
  },
  time_off: {
    anon: '',
    patient: '',
    otherPatient: '',
    dentist: 'SIUD',
    // Time-off reasons are private to the dentist and the admins.
    colleague: '',
    otherClinicDentist: '',
    admin: 'SIUD',
    otherClinicAdmin: '',
    service: 'SIUD',
  },
  appointments: {
    anon: '',
    patient: 'S',
    otherPatient: '',
    dentist: 'S',
    colleague: '',
    otherClinicDentist: '',
    admin: 'S',
    otherClinicAdmin: '',
    service: 'SIUD',
  },
  slot_holds: {
    anon: '',
    patient: 'S',
    otherPatient: '',
    dentist: '',
    colleague: '',
    otherClinicDentist: '',
    admin: 'S',
    otherClinicAdmin: '',
    service: 'SIUD',
  },
  activity_log: {
    anon: '',
    patient: 'S',
    otherPatient: '',
    dentist: 'S',
    colleague: '',
    otherClinicDentist: '',
    admin: 'S',
    otherClinicAdmin: '',
    service: 'S',
  },
};

interface TContext {
  a: TWorld;
  b: TWorld;
  clients: Record<TActorName, SupabaseClient>;
}

let ctx: TContext;
let counter = 0;
const FAR_DAY = '2031-01-06';

type TFilter = Array<[string, string]>;
interface TProbe {
  /** Rows the select must (or must not) see. */
  select: () => TFilter;
  /** A fresh row to insert (setup may create what it references). */
  insert: () => Promise<Record<string, unknown>>;
  /** Existing rows and a harmless patch. */
  update: () => { filter: TFilter; patch: Record<string, unknown> };
  /** A disposable row made for this case. */
  delete: () => Promise<TFilter>;
}

const asDb = <T>(fn: (db: pg.Client) => Promise<T>) => withDb(fn);

async function orphanUser(): Promise<string> {
  return asDb(async (db) => {
    const u = await createUser(db, ctx.a.clinicId, 'patient', 'Orphan');
    await db.query('delete from public.profiles where id = $1', [u.userId]);
    return u.userId;
  });
}

/** A unique hour on a far day, so inserted visits and holds never collide. */
function farPeriod(): string {
  const k = counter++;
  const start = new Date(Date.parse(`${FAR_DAY}T00:00:00Z`) + k * 3_600_000);
  return `[${start.toISOString()},${new Date(start.getTime() + 30 * 60_000).toISOString()})`;
}

/** A unique weekly window after working hours (5-minute windows from 17:00). */
function lateWindow(): { weekday: number; start_time: string; end_time: string } {
  const k = counter++;
  const minutes = 17 * 60 + Math.floor(k / 7) * 5;
  const hhmm = (m: number) =>
    `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return { weekday: k % 7, start_time: hhmm(minutes), end_time: hhmm(minutes + 5) };
}

function probes(): Record<TTable, TProbe> {
  const { a } = ctx;
  const A = a.clinicId;
  const P = a.patient.userId;
  const D = a.dentist.dentistId;
  const availability = (
    table: 'availability_rules' | 'availability_overrides' | 'time_off',
    row: () => Record<string, unknown>,
  ): TProbe => ({
    select: () => [['dentist_id', D]],
    insert: async () => ({ clinic_id: A, dentist_id: D, ...row() }),
    update: () => ({ filter: [['dentist_id', D]], patch: { updated_at: new Date().toISOString() } }),
    delete: async () => {
      const id = await asDb(async (db) => {
        const r = row();
        const cols = Object.keys(r);
        const res = await db.query<{ id: string }>(
          `insert into public.${table} (clinic_id, dentist_id, ${cols.join(', ')}) values ($1, $2, ${cols.map((_, i) => `$${i + 3}`).join(', ')}) returning id`,
          [A, D, ...Object.values(r)],
        );
        return res.rows[0].id;
      });
      return [['id', id]];
    },
  });
  const nextDate = () =>
    new Date(Date.parse('2031-03-01T00:00:00Z') + counter++ * 86_400_000).toISOString().slice(0, 10);
  return {
    clinics: {
      select: () => [['id', A]],
      insert: async () => ({ name: 'Matrix clinic', timezone: 'UTC' }),
      update: () => ({ filter: [['id', A]], patch: { hold_minutes: 5 } }),
      delete: async () => [['id', (await asDb((db) => createClinic(db))).id]],
    },
    profiles: {
      select: () => [['id', P]],
      insert: async () => ({ id: await orphanUser(), display_name: 'Orphan' }),
      update: () => ({ filter: [['id', P]], patch: { display_name: 'Pat One' } }),
      delete: async () => [['id', (await asDb((db) => createUser(db, A, 'patient', 'Disposable'))).userId]],
    },
    dentists: {
      select: () => [['clinic_id', A]],
      insert: async () => ({ clinic_id: A, display_name: 'Dr. Matrix' }),
      update: () => ({ filter: [['id', D]], patch: { display_name: 'Dr. Test' } }),
      delete: async () => [['id', await asDb((db) => createDentist(db, A, 'Dr. Disposable'))]],
    },
    services: {
      select: () => [['clinic_id', A]],
      insert: async () => ({ clinic_id: A, name: 'Matrix', duration_minutes: 30 }),
      update: () => ({ filter: [['id', a.checkupId]], patch: { name: 'Check-up' } }),
      delete: async () => [
        ['id', await asDb((db) => createService(db, A, { durationMinutes: 20, name: 'Disposable' }))],
      ],
    },
    dentist_services: {
      select: () => [['clinic_id', A]],
      insert: async () => ({
        clinic_id: A,
        dentist_id: D,
        service_id: await asDb((db) => createService(db, A, { durationMinutes: 20 })),
      }),
      update: () => ({ filter: [['dentist_id', D]], patch: { created_at: '2026-01-01T00:00:00Z' } }),
      delete: async () => {
        const serviceId = await asDb(async (db) => {
          const id = await createService(db, A, { durationMinutes: 20 });
          await offer(db, A, D, [id]);
          return id;
        });
        return [
          ['dentist_id', D],
          ['service_id', serviceId],
        ];
      },
    },
    availability_rules: availability('availability_rules', lateWindow),
    availability_overrides: availability('availability_overrides', () => ({ on_date: nextDate() })),
    time_off: availability('time_off', () => ({
      starts_local: `${FAR_DAY} 10:00`,
      ends_local: `${FAR_DAY} 11:00`,
    })),
    appointments: {
      select: () => [['patient_id', P]],
      insert: async () => {
        const period = farPeriod();
        return {
          clinic_id: A,
          dentist_id: D,
          patient_id: P,
          service_id: a.checkupId,
          period,
          blocked_period: period,
        };
      },
      update: () => ({ filter: [['patient_id', P]], patch: { notes: null } }),
      delete: async () => {
        const period = farPeriod();
        const id = await asDb(async (db) => {
          const res = await db.query<{ id: string }>(
            `insert into public.appointments (clinic_id, dentist_id, patient_id, service_id, period, blocked_period) values ($1, $2, $3, $4, $5, $5) returning id`,
            [A, D, P, a.checkupId, period],
          );
          return res.rows[0].id;
        });
        return [['id', id]];
      },
    },
    slot_holds: {
      select: () => [['held_by', P]],
      insert: async () => {
        const period = farPeriod();
        const holder = (await asDb((db) => createUser(db, A, 'patient', 'Holder'))).userId;
        return {
          clinic_id: A,
          dentist_id: D,
          service_id: a.checkupId,
          held_by: holder,
          period,
          blocked_period: period,
          expires_at: new Date(Date.now() + 300_000).toISOString(),
        };
      },
      update: () => ({ filter: [['held_by', P]], patch: { expires_at: '2031-12-31T00:00:00Z' } }),
      delete: async () => {
        const row = await probes().slot_holds.insert();
        const id = await asDb(async (db) => {
          const res = await db.query<{ id: string }>(
            `insert into public.slot_holds (clinic_id, dentist_id, service_id, held_by, period, blocked_period, expires_at)
             values ($1, $2, $3, $4, $5, $6, $7) returning id`,
            [
              row.clinic_id,
              row.dentist_id,
              row.service_id,
              row.held_by,
              row.period,
              row.blocked_period,
              row.expires_at,
            ],
          );
          return res.rows[0].id;
        });
        return [['id', id]];
      },
    },
    activity_log: {
      select: () => [
        ['patient_id', P],
        ['entity_type', 'appointment'],
      ],
      insert: async () => ({
        clinic_id: A,
        actor_role: 'x',
        entity_type: 'appointment',
        entity_id: randomUUID(),
        action: 'insert',
      }),
      update: () => ({ filter: [['clinic_id', A]], patch: { actor_role: 'x' } }),
      delete: async () => [['clinic_id', A]],
    },
  };
}

const asMatch = (filter: TFilter): Record<string, string> => Object.fromEntries(filter);

beforeAll(async () => {
  await withDb(async (db) => {
    // No online-booking limit here: the matrix inserts many visits of P and is about access, not
    // limits (domain-booking-rules.test.ts covers the limit).
    const a = await createWorld(db, {
      minNoticeMinutes: 0,
      viaAuth: true,
      maxOnlineBookingsPerPatient: null,
    });
    const colleague = await createUser(db, a.clinicId, 'dentist', 'Dr. Colleague', { viaAuth: true });
    const b = await createWorld(db, { minNoticeMinutes: 0, viaAuth: true });
    await db.query(
      `insert into public.availability_overrides (clinic_id, dentist_id, on_date) values ($1, $2, '2031-02-03')`,
      [a.clinicId, a.dentist.dentistId],
    );
    await db.query(
      `insert into public.time_off (clinic_id, dentist_id, starts_local, ends_local) values ($1, $2, '2031-02-04 09:00', '2031-02-04 12:00')`,
      [a.clinicId, a.dentist.dentistId],
    );
    const signedIn = (u: { client?: SupabaseClient }): SupabaseClient => {
      if (!u.client) throw new Error('world was not built through the Auth API');
      return u.client;
    };

    // P has an appointment (booked by P through the API, so the activity log has its history) and a hold.
    const patient = signedIn(a.patient);
    const start = await localInstant(db, a.timezone, 2, '10:00');
    const booked = await patient.rpc('book_appointment', {
      p_dentist_id: a.dentist.dentistId,
      p_service_id: a.checkupId,
      p_starts_at: start,
    });
    if (booked.error) throw new Error(`setup booking failed: ${booked.error.message}`);
    const held = await patient.rpc('hold_slot', {
      p_dentist_id: a.dentist.dentistId,
      p_service_id: a.checkupId,
      p_starts_at: addMinutes(start, 120),
    });
    if (held.error) throw new Error(`setup hold failed: ${held.error.message}`);

    ctx = {
      a,
      b,
      clients: {
        anon: anonClient(),
        patient,
        otherPatient: signedIn(a.otherPatient),
        dentist: signedIn(a.dentist),
        colleague: signedIn(colleague),
        otherClinicDentist: signedIn(b.dentist),
        admin: signedIn(a.admin),
        otherClinicAdmin: signedIn(b.admin),
        service: serviceClient(),
      },
    };
  });
}, 60_000);

const LETTER: Record<TOp, string> = { select: 'S', insert: 'I', update: 'U', delete: 'D' };
const cases = TABLES.flatMap((table) =>
  ACTORS.flatMap((actor) =>
    (['select', 'insert', 'update', 'delete'] as const).map((op) => [table, actor, op] as const),
  ),
);

async function attempt(
  table: TTable,
  actor: TActorName,
  op: TOp,
): Promise<{ error: { code: string; message: string } | null; affected: number }> {
  const client = ctx.clients[actor];
  const probe = probes()[table];
  if (op === 'select') {
    const { data, error } = await client.from(table).select('*').match(asMatch(probe.select()));
    return { error, affected: data?.length ?? 0 };
  }
  if (op === 'insert') {
    const { error } = await client.from(table).insert(await probe.insert());
    return { error, affected: error ? 0 : 1 };
  }
  if (op === 'update') {
    const { filter, patch } = probe.update();
    const { data, error } = await client.from(table).update(patch).match(asMatch(filter)).select();
    return { error, affected: data?.length ?? 0 };
  }
  const { data, error } = await client
    .from(table)
    .delete()
    .match(asMatch(await probe.delete()))
    .select();
  return { error, affected: data?.length ?? 0 };
}

describe('table access matrix through the REST API', () => {
  it.each(cases)('%s: %s %s', async (table, actor, op) => {
    const allowed = MATRIX[table][actor].includes(LETTER[op]);
    const res = await attempt(table, actor, op);
    if (allowed) {
      expect(res.error).toBeNull();
      expect(res.affected).toBeGreaterThan(0);
    } else if (res.error) {
      // Denied by privileges or by a policy's WITH CHECK; never another kind of failure.
      expect(res.error.code).toBe('42501');
    } else {
      expect(res.affected).toBe(0);
    }
  });
});

describe('column and row limits inside allowed operations', () => {
  it.each([
    ['role', { role: 'admin' }],
    ['clinic', { clinic_id: null }],
  ])('a patient cannot change their own %s', async (_what, patch) => {
    const { error } = await ctx.clients.patient.from('profiles').update(patch).eq('id', ctx.a.patient.userId);
    expect(error?.code).toBe('42501');
  });

  it("a patient's own-profile update does not reach another patient's row", async () => {
    const { data, error } = await ctx.clients.patient
      .from('profiles')
      .update({ display_name: 'Hacked' })
      .eq('id', ctx.a.otherPatient.userId)
      .select();
    expect(error).toBeNull();
    expect(data).toEqual([]);
  });

  it('a dentist cannot add availability for another dentist of the clinic', async () => {
    const other = await asDb((db) => createDentist(db, ctx.a.clinicId, 'Dr. Colleague'));
    const { error } = await ctx.clients.dentist.from('availability_rules').insert({
      clinic_id: ctx.a.clinicId,
      dentist_id: other,
      weekday: 1,
      start_time: '08:00',
      end_time: '09:00',
    });
    expect(error?.code).toBe('42501');
  });

  it('an admin cannot move a dentist into another clinic', async () => {
    const spare = await asDb((db) => createDentist(db, ctx.a.clinicId, 'Dr. Mover'));
    const { error } = await ctx.clients.admin
      .from('dentists')
      .update({ clinic_id: ctx.b.clinicId })
      .eq('id', spare);
    expect(error?.code).toBe('42501');
  });
});

// ---------------------------------------------------------------------------------------------
// RPC matrix
// ---------------------------------------------------------------------------------------------
let slotCounter = 0;
/** A fresh start time no other case uses: day 3.. at 09:00 + n × 45 min within working hours. */
async function freshStart(): Promise<string> {
  const n = slotCounter++;
  const day = 3 + Math.floor(n / 10);
  return addMinutes(await asDb((db) => localInstant(db, ctx.a.timezone, day, '09:00')), (n % 10) * 45);
}

/** Setup only: an appointment of P booked by the admin. */
async function bookForPatient(): Promise<{ id: string; version: number }> {
  const { data, error } = await ctx.clients.admin.rpc('book_appointment', {
    p_dentist_id: ctx.a.dentist.dentistId,
    p_service_id: ctx.a.checkupId,
    p_starts_at: await freshStart(),
    p_patient_id: ctx.a.patient.userId,
  });
  if (error) throw new Error(error.message);
  return data as { id: string; version: number };
}

type TRpcCase = () => Promise<Record<string, unknown>>;

const RPCS: Record<string, TRpcCase> = {
  available_slots: async () => ({
    p_clinic_id: ctx.a.clinicId,
    p_service_id: ctx.a.checkupId,
    p_from: await asDb((db) => localInstant(db, ctx.a.timezone, 5, '00:00')),
    p_to: await asDb((db) => localInstant(db, ctx.a.timezone, 6, '00:00')),
  }),
  hold_slot: async () => ({
    p_dentist_id: ctx.a.dentist.dentistId,
    p_service_id: ctx.a.checkupId,
    p_starts_at: await freshStart(),
  }),
  release_hold: async () => ({}),
  book_appointment: async () => ({
    p_dentist_id: ctx.a.dentist.dentistId,
    p_service_id: ctx.a.checkupId,
    p_starts_at: await freshStart(),
    p_patient_id: ctx.a.patient.userId,
  }),
  cancel_appointment: async () => ({ p_appointment_id: (await bookForPatient()).id }),
  reschedule_appointment: async () => ({
    p_appointment_id: (await bookForPatient()).id,
    p_starts_at: await freshStart(),
  }),
  set_appointment_status: async () => {
    const a = await bookForPatient();
    return { p_appointment_id: a.id, p_status: 'confirmed', p_expected_version: a.version };
  },
  set_member_role: async () => ({
    p_user_id: (await asDb((db) => createUser(db, ctx.a.clinicId, 'patient', 'Promotable'))).userId,
    p_role: 'dentist',
  }),
};

/** Expected outcome: 'ok' or the error code (domain code, or 42501 for a role without EXECUTE). */
const RPC_MATRIX: Record<keyof typeof RPCS, Record<TActorName, string>> = {
  available_slots: {
    anon: 'ok',
    patient: 'ok',
    otherPatient: 'ok',
    dentist: 'ok',
    colleague: 'ok',
    otherClinicDentist: 'ok',
    admin: 'ok',
    otherClinicAdmin: 'ok',
    service: 'ok',
  },
  hold_slot: {
    anon: '42501',
    patient: 'ok',
    otherPatient: 'ok',
    dentist: 'ok',
    colleague: 'ok',
    otherClinicDentist: 'not_found',
    admin: 'ok',
    otherClinicAdmin: 'not_found',
    service: 'not_allowed',
  },
  release_hold: {
    anon: '42501',
    patient: 'ok',
    otherPatient: 'ok',
    dentist: 'ok',
    colleague: 'ok',
    otherClinicDentist: 'ok',
    admin: 'ok',
    otherClinicAdmin: 'ok',
    service: 'not_allowed',
  },
  book_appointment: {
    anon: '42501',
    patient: 'ok',
    otherPatient: 'not_allowed',
    dentist: 'ok',
    colleague: 'not_allowed',
    otherClinicDentist: 'not_allowed',
    admin: 'ok',
    otherClinicAdmin: 'not_found',
    service: 'not_allowed',
  },
  cancel_appointment: {
    anon: '42501',
    patient: 'ok',
    otherPatient: 'not_found',
    dentist: 'ok',
    colleague: 'not_found',
    otherClinicDentist: 'not_found',
    admin: 'ok',
    otherClinicAdmin: 'not_found',
    service: 'not_allowed',
  },
  reschedule_appointment: {
    anon: '42501',
    patient: 'ok',
    otherPatient: 'not_found',
    dentist: 'ok',
    colleague: 'not_found',
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
    colleague: 'not_found',
    otherClinicDentist: 'not_found',
    admin: 'ok',
    otherClinicAdmin: 'not_found',
    service: 'not_allowed',
  },
  set_member_role: {
    anon: '42501',
    patient: 'not_allowed',
    otherPatient: 'not_allowed',
    dentist: 'not_allowed',
    colleague: 'not_allowed',
    otherClinicDentist: 'not_allowed',
    admin: 'ok',
    otherClinicAdmin: 'not_found',
    service: 'not_allowed',
  },
};

const rpcCases = Object.keys(RPCS).flatMap((rpc) => ACTORS.map((actor) => [rpc, actor] as const));

describe('RPC access matrix through the REST API', () => {
  it.each(rpcCases)('%s as %s', async (rpc, actor) => {
    const expected = RPC_MATRIX[rpc][actor];
    const { error } = await ctx.clients[actor].rpc(rpc, await RPCS[rpc]());
    const outcome = error ? (error.code === 'P0001' ? error.message : error.code) : 'ok';
    expect(outcome).toBe(expected);
  });
});
