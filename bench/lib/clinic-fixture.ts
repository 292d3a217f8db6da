/**
 * A benchmark clinic built with plain SQL as the superuser (the way the seed does it): D dentists
 * working 09:00–17:00 every day, one 30-minute service, P patients (auth users whose profiles the
 * sign-up trigger creates), and their access tokens.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { mintUserToken } from './clients';
import type { StackHandle } from './stack-process';

export interface BenchClinic {
  clinicId: string;
  timezone: string;
  serviceId: string;
  dentistIds: string[];
  patients: Array<{ userId: string; token: string }>;
}

export async function createBenchClinic(
  db: pg.Client,
  stack: StackHandle,
  opts: { dentists: number; patients: number; timezone?: string },
): Promise<BenchClinic> {
  const timezone = opts.timezone ?? 'Europe/London';
  const clinic = await db.query<{ id: string }>(
    `insert into public.clinics (name, timezone, slot_interval_minutes, min_notice_minutes, booking_horizon_days, hold_minutes, cancellation_cutoff_hours)
     values ($1, $2, 15, 0, 90, 5, 24) returning id`,
    [`Bench clinic ${randomUUID().slice(0, 8)}`, timezone],
  );
  const clinicId = clinic.rows[0].id;
  // Bench patients are assigned round-robin and book many slots each, some at the same time with
  // different dentists: lift the per-patient rules (the contention phase measures a slot, not a
  // patient). The per-patient lock still runs in every booking.
  await db.query(
    'update public.clinics set max_online_bookings_per_patient = null, allow_patient_overlap = true where id = $1',
    [clinicId],
  );
  const service = await db.query<{ id: string }>(
    `insert into public.services (clinic_id, name, duration_minutes, buffer_before_minutes, buffer_after_minutes)
     values ($1, 'Check-up', 30, 0, 0) returning id`,
    [clinicId],
  );
  const serviceId = service.rows[0].id;
  const dentists = await db.query<{ id: string }>(
    `insert into public.dentists (clinic_id, display_name)
     select $1, 'Dr. Bench ' || g from generate_series(1, $2::int) g returning id`,
    [clinicId, opts.dentists],
  );
  const dentistIds = dentists.rows.map((r) => r.id);
  await db.query(
    `insert into public.dentist_services (clinic_id, dentist_id, service_id) select $1, d, $2 from unnest($3::uuid[]) d`,
    [clinicId, serviceId, dentistIds],
  );
  await db.query(
    `insert into public.availability_rules (clinic_id, dentist_id, weekday, start_time, end_time)
     select $1, d, w, '09:00', '17:00' from unnest($2::uuid[]) d cross join generate_series(0, 6) w`,
    [clinicId, dentistIds],
  );
  const patientIds = Array.from({ length: opts.patients }, () => randomUUID());
  await db.query(
    `insert into auth.users (instance_id, id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
     select '00000000-0000-0000-0000-000000000000', id, 'authenticated', 'authenticated', 'bench-' || id || '@example.test',
            '{"provider":"email","providers":["email"]}', jsonb_build_object('full_name', 'Bench patient', 'clinic_id', $2::text), now(), now()
     from unnest($1::uuid[]) id`,
    [patientIds, clinicId],
  );
  const patients = await Promise.all(
    patientIds.map(async (userId) => ({ userId, token: await mintUserToken(stack, userId) })),
  );
  return { clinicId, timezone, serviceId, dentistIds, patients };
}

/** Distinct bookable start instants: every 30 minutes of 09:00–17:00 local on days 1..days ahead. */
export async function slotStarts(db: pg.Client, timezone: string, days: number): Promise<string[]> {
  const r = await db.query<{ at: string }>(
    `select to_char((((now() at time zone $1)::date + d) + t) at time zone $1 at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as at
     from generate_series(1, $2::int) d cross join (select time '09:00' + i * interval '30 minutes' as t from generate_series(0, 15) i) tt
     order by 1`,
    [timezone, days],
  );
  return r.rows.map((x) => x.at);
}

/** Active appointments of one dentist whose periods overlap — must always be 0. */
export async function countOverlaps(db: pg.Client, clinicId: string): Promise<number> {
  const r = await db.query<{ n: string }>(
    `select count(*) as n from public.appointments a join public.appointments b
       on a.dentist_id = b.dentist_id and a.id < b.id and a.period && b.period
     where a.clinic_id = $1
       and a.status in ('scheduled','confirmed','checked_in','in_chair','completed')
       and b.status in ('scheduled','confirmed','checked_in','in_chair','completed')`,
    [clinicId],
  );
  return Number(r.rows[0].n);
}
