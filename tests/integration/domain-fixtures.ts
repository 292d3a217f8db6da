/**
 * Fixtures for the scheduling-domain tests: each test builds its own clinic(s) with unique names,
 * so files run in parallel against one stack without depending on the seed or on each other.
 * Users are inserted into auth.users directly (the sign-up trigger makes their profiles), and
 * `sqlAs` runs SQL exactly as PostgREST would for a role: `role` + `request.jwt.claims` set
 * transaction-locally.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { TMemberRole } from '@/lib/domain/appointments';
import { signedInClient } from '../helpers/stack';

export type TActor = { kind: 'anon' } | { kind: 'service' } | { kind: 'user'; userId: string };

export interface TSqlError {
  code: string;
  message: string;
  detail?: string;
}

export type TSqlResult<T> = { rows: T[]; error: null } | { rows: null; error: TSqlError };

export function claimsFor(actor: TActor): { role: string; claims: Record<string, unknown> } {
  const exp = Math.floor(Date.now() / 1000) + 3600;
  if (actor.kind === 'anon') return { role: 'anon', claims: { role: 'anon', exp } };
  if (actor.kind === 'service') return { role: 'service_role', claims: { role: 'service_role', exp } };
  return {
    role: 'authenticated',
    claims: { sub: actor.userId, role: 'authenticated', aud: 'authenticated', exp },
  };
}

/** Runs one statement in its own transaction as `actor`; errors come back as values. */
export async function sqlAs<T = Record<string, unknown>>(
  db: pg.Client,
  actor: TActor,
  sql: string,
  params: unknown[] = [],
  opts: { rollback?: boolean } = {},
): Promise<TSqlResult<T> & { rowCount: number }> {
  const { role, claims } = claimsFor(actor);
  await db.query('begin');
  try {
    await db.query(`select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`, [
      role,
      JSON.stringify(claims),
    ]);
    const res = await db.query(sql, params);
    await db.query(opts.rollback ? 'rollback' : 'commit');
    return { rows: res.rows as T[], error: null, rowCount: res.rowCount ?? 0 };
  } catch (err) {
    await db.query('rollback');
    const e = err as { code?: string; message?: string; detail?: string };
    return {
      rows: null,
      error: { code: e.code ?? 'unknown', message: e.message ?? String(err), detail: e.detail },
      rowCount: 0,
    };
  }
}

/** The domain code of a failed RPC (the MESSAGE of a P0001 error), or the SQLSTATE otherwise. */
export function errorCode(result: TSqlResult<unknown>): string | null {
  if (!result.error) return null;
  return result.error.code === 'P0001' ? result.error.message : result.error.code;
}

export interface TClinicOptions {
  timezone?: string;
  slotIntervalMinutes?: number;
  minNoticeMinutes?: number;
  bookingHorizonDays?: number;
  holdMinutes?: number;
  cancellationCutoffHours?: number;
  /** Booking rules and status windows (20261207000100 migration); the database defaults when absent. */
  allowPatientOverlap?: boolean;
  /** `null` = no limit. */
  maxOnlineBookingsPerPatient?: number | null;
  checkInOpensMinutes?: number;
  noShowAfterMinutes?: number;
}

/** Column of public.clinics for each optional rule setting. */
const RULE_COLUMNS = {
  allowPatientOverlap: 'allow_patient_overlap',
  maxOnlineBookingsPerPatient: 'max_online_bookings_per_patient',
  checkInOpensMinutes: 'check_in_opens_minutes',
  noShowAfterMinutes: 'no_show_after_minutes',
} as const satisfies Partial<Record<keyof TClinicOptions, string>>;

export async function createClinic(
  db: pg.Client,
  opts: TClinicOptions = {},
): Promise<{ id: string; timezone: string }> {
  const timezone = opts.timezone ?? 'Europe/London';
  const res = await db.query<{ id: string }>(
    `insert into public.clinics (name, timezone, slot_interval_minutes, min_notice_minutes, booking_horizon_days, hold_minutes, cancellation_cutoff_hours)
     values ($1, $2, $3, $4, $5, $6, $7) returning id`,
    [
      `Test clinic ${randomUUID().slice(0, 8)}`,
      timezone,
      opts.slotIntervalMinutes ?? 15,
      opts.minNoticeMinutes ?? 0,
      opts.bookingHorizonDays ?? 90,
      opts.holdMinutes ?? 5,
      opts.cancellationCutoffHours ?? 24,
    ],
  );
  const id = res.rows[0].id;
  for (const [option, column] of Object.entries(RULE_COLUMNS)) {
    const value = opts[option as keyof typeof RULE_COLUMNS];
    if (value !== undefined)
      await db.query(`update public.clinics set ${column} = $2 where id = $1`, [id, value]);
  }
  return { id, timezone };
}

export interface TUser {
  userId: string;
  email: string;
  dentistId?: string;
  /** A supabase-js client signed in as this user, and its access token (users made with `viaAuth`). */
  client?: SupabaseClient;
  accessToken?: string;
}

/** An auth user (profile made by the sign-up trigger) with the given role in the clinic. */
export async function createUser(
  db: pg.Client,
  clinicId: string,
  role: TMemberRole,
  name: string = role,
  opts: { viaAuth?: boolean } = {},
): Promise<TUser> {
  let userId: string;
  let email: string;
  let client: SupabaseClient | undefined;
  let accessToken: string | undefined;
  if (opts.viaAuth) {
    // A real sign-up through the Auth API; the profile comes from the same trigger.
    const signedIn = await signedInClient({ data: { clinic_id: clinicId, full_name: name } });
    ({ userId, email, client, accessToken } = signedIn);
  } else {
    userId = randomUUID();
    email = `${role}-${userId.slice(0, 8)}@example.test`;
    await db.query(
      `insert into auth.users (instance_id, id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
       values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', $2,
               '{"provider":"email","providers":["email"]}', jsonb_build_object('full_name', $3::text, 'clinic_id', $4::text), now(), now())`,
      [userId, email, name, clinicId],
    );
  }
  if (role === 'patient') return { userId, email, client, accessToken };
  await db.query(`update public.profiles set role = $2 where id = $1`, [userId, role]);
  if (role !== 'dentist') return { userId, email, client, accessToken };
  const d = await db.query<{ id: string }>(
    `insert into public.dentists (clinic_id, profile_id, display_name) values ($1, $2, $3) returning id`,
    [clinicId, userId, name],
  );
  return { userId, email, client, accessToken, dentistId: d.rows[0].id };
}

/** A dentist without a login (enough for slot-engine tests). */
export async function createDentist(db: pg.Client, clinicId: string, name: string): Promise<string> {
  const d = await db.query<{ id: string }>(
    `insert into public.dentists (clinic_id, display_name) values ($1, $2) returning id`,
    [clinicId, name],
  );
  return d.rows[0].id;
}

export async function createService(
  db: pg.Client,
  clinicId: string,
  opts: { durationMinutes: number; bufferBeforeMinutes?: number; bufferAfterMinutes?: number; name?: string },
): Promise<string> {
  const res = await db.query<{ id: string }>(
    `insert into public.services (clinic_id, name, duration_minutes, buffer_before_minutes, buffer_after_minutes)
     values ($1, $2, $3, $4, $5) returning id`,
    [
      clinicId,
      opts.name ?? `Service ${opts.durationMinutes}`,
      opts.durationMinutes,
      opts.bufferBeforeMinutes ?? 0,
      opts.bufferAfterMinutes ?? 0,
    ],
  );
  return res.rows[0].id;
}

export async function offer(
  db: pg.Client,
  clinicId: string,
  dentistId: string,
  serviceIds: string[],
): Promise<void> {
  for (const serviceId of serviceIds) {
    await db.query(
      `insert into public.dentist_services (clinic_id, dentist_id, service_id) values ($1, $2, $3)`,
      [clinicId, dentistId, serviceId],
    );
  }
}

/** Weekly windows: [weekday, 'HH:MM', 'HH:MM'][]; weekday 0 = Sunday. */
export async function addRules(
  db: pg.Client,
  clinicId: string,
  dentistId: string,
  windows: Array<[number, string, string]>,
): Promise<void> {
  for (const [weekday, start, end] of windows) {
    await db.query(
      `insert into public.availability_rules (clinic_id, dentist_id, weekday, start_time, end_time) values ($1, $2, $3, $4, $5)`,
      [clinicId, dentistId, weekday, start, end],
    );
  }
}

export const EVERY_DAY_9_TO_17: Array<[number, string, string]> = [0, 1, 2, 3, 4, 5, 6].map((d) => [
  d,
  '09:00',
  '17:00',
]);

/** The instant of local `time` on the local date `daysAhead` days after the database's today. */
export async function localInstant(
  db: pg.Client,
  timezone: string,
  daysAhead: number,
  time: string,
): Promise<string> {
  const res = await db.query<{ at: Date }>(
    `select (((now() at time zone $1)::date + $2::int) + $3::time) at time zone $1 as at`,
    [timezone, daysAhead, time],
  );
  return new Date(res.rows[0].at).toISOString();
}

export function addMinutes(iso: string, minutes: number): string {
  return new Date(new Date(iso).getTime() + minutes * 60_000).toISOString();
}

/** A ready clinic: admin, one dentist with a login working 09:00–17:00 daily, two patients, two services. */
export interface TWorld {
  clinicId: string;
  timezone: string;
  admin: TUser;
  dentist: TUser & { dentistId: string };
  patient: TUser;
  otherPatient: TUser;
  /** 30 minutes + 10 minutes buffer after. */
  checkupId: string;
  /** 60 minutes, 5 before + 10 after. */
  fillingId: string;
}

/** `viaAuth`: the people sign up through the Auth API and carry signed-in supabase-js clients. */
export async function createWorld(
  db: pg.Client,
  opts: TClinicOptions & { viaAuth?: boolean } = {},
): Promise<TWorld> {
  const clinic = await createClinic(db, opts);
  const how = { viaAuth: opts.viaAuth };
  const admin = await createUser(db, clinic.id, 'admin', 'Admin', how);
  const dentist = await createUser(db, clinic.id, 'dentist', 'Dr. Test', how);
  const patient = await createUser(db, clinic.id, 'patient', 'Pat One', how);
  const otherPatient = await createUser(db, clinic.id, 'patient', 'Pat Two', how);
  const checkupId = await createService(db, clinic.id, {
    durationMinutes: 30,
    bufferAfterMinutes: 10,
    name: 'Check-up',
  });
  const fillingId = await createService(db, clinic.id, {
    durationMinutes: 60,
    bufferBeforeMinutes: 5,
    bufferAfterMinutes: 10,
    name: 'Filling',
  });
  const dentistId = dentist.dentistId as string;
  await offer(db, clinic.id, dentistId, [checkupId, fillingId]);
  await addRules(db, clinic.id, dentistId, EVERY_DAY_9_TO_17);
  return {
    clinicId: clinic.id,
    timezone: clinic.timezone,
    admin,
    dentist: { ...dentist, dentistId },
    patient,
    otherPatient,
    checkupId,
    fillingId,
  };
}

export const user = (u: { userId: string }): TActor => ({ kind: 'user', userId: u.userId });
export const ANON: TActor = { kind: 'anon' };
export const SERVICE: TActor = { kind: 'service' };
