/**
 * The demo seed's shape: one clinic, 2 admins, 3 dentists with different weeks and a day off,
 * 4 services, 6 patients, appointments spread over the next 14 days, and logins that work through
 * the Auth API. The only domain test that relies on the seed.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_CLINIC, DEMO_LOGINS, DEMO_PASSWORD, DEMO_SERVICES } from '@/lib/domain/demo-logins';
import { anonClient, withDb } from '../helpers/stack';

describe('demo seed', () => {
  it('has one demo clinic with its staff, patients and services', async () => {
    const counts = await withDb((db) =>
      db.query<{
        name: string;
        timezone: string;
        admins: number;
        dentists: number;
        patients: number;
        services: number;
        dentist_rows: number;
      }>(
        `select c.name, c.timezone,
                (select count(*)::int from public.profiles p where p.clinic_id = c.id and p.role = 'admin' and p.email like '%@demo.clinic') as admins,
                (select count(*)::int from public.profiles p where p.clinic_id = c.id and p.role = 'dentist' and p.email like '%@demo.clinic') as dentists,
                (select count(*)::int from public.profiles p where p.clinic_id = c.id and p.role = 'patient' and p.email like '%@demo.clinic') as patients,
                (select count(*)::int from public.services s where s.clinic_id = c.id) as services,
                (select count(*)::int from public.dentists d where d.clinic_id = c.id and d.profile_id is not null) as dentist_rows
         from public.clinics c where c.id = $1`,
        [DEMO_CLINIC.id],
      ),
    );
    expect(counts.rows).toEqual([
      {
        name: DEMO_CLINIC.name,
        timezone: DEMO_CLINIC.timezone,
        admins: 2,
        dentists: 3,
        patients: 6,
        services: 4,
        dentist_rows: 3,
      },
    ]);
    const services = await withDb((db) =>
      db.query<{ id: string; name: string; duration_minutes: number }>(
        `select id, name, duration_minutes from public.services where clinic_id = $1 order by duration_minutes`,
        [DEMO_CLINIC.id],
      ),
    );
    expect(
      services.rows.map((s) => ({ id: s.id, name: s.name, durationMinutes: s.duration_minutes })),
    ).toEqual([...DEMO_SERVICES]);
  });

  it('gives each dentist a different weekly pattern with at least one weekday off', async () => {
    const weeks = await withDb((db) =>
      db.query<{ dentist_id: string; pattern: string; weekdays: number }>(
        `select dentist_id, string_agg(weekday || ' ' || start_time || '-' || end_time, ',' order by weekday, start_time) as pattern,
                count(distinct weekday)::int as weekdays
         from public.availability_rules where clinic_id = $1 group by dentist_id`,
        [DEMO_CLINIC.id],
      ),
    );
    expect(weeks.rows).toHaveLength(3);
    expect(new Set(weeks.rows.map((w) => w.pattern)).size).toBe(3);
    for (const w of weeks.rows) expect(w.weekdays).toBeLessThan(7);
  });

  it('spreads valid, non-overlapping appointments over the next 14 days, within the per-patient rules', async () => {
    const stats = await withDb((db) =>
      db.query<{
        total: number;
        days: number;
        patients: number;
        too_early: number;
        too_late: number;
        overlaps: number;
        patient_overlaps: number;
        patients_at_online_limit: number;
      }>(
        `select count(*)::int as total,
                count(distinct (a.starts_at at time zone c.timezone)::date)::int as days,
                count(distinct a.patient_id)::int as patients,
                count(*) filter (where a.starts_at < now() - interval '1 day')::int as too_early,
                count(*) filter (where a.starts_at > now() + interval '15 days')::int as too_late,
                (select count(*)::int from public.appointments x join public.appointments y
                   on x.dentist_id = y.dentist_id and x.id < y.id and x.blocked_period && y.blocked_period
                 where x.clinic_id = $1) as overlaps,
                -- The per-patient rules: nobody in two chairs at once, and every demo patient can
                -- still book online (below the clinic's online limit).
                (select count(*)::int from public.appointments x join public.appointments y
                   on x.patient_id = y.patient_id and x.id < y.id and x.period && y.period
                 where x.clinic_id = $1) as patient_overlaps,
                (select count(*)::int from (
                   select x.patient_id from public.appointments x
                   where x.clinic_id = $1 and x.source <> 'staff' and x.starts_at > now()
                   group by x.patient_id
                   having count(*) >= (select max_online_bookings_per_patient from public.clinics where id = $1)
                 ) full_up) as patients_at_online_limit
         from public.appointments a join public.clinics c on c.id = a.clinic_id
         where a.clinic_id = $1`,
        [DEMO_CLINIC.id],
      ),
    );
    const s = stats.rows[0];
    expect(s.total).toBeGreaterThanOrEqual(20);
    expect(s.days).toBeGreaterThanOrEqual(7);
    expect(s.patients).toBe(6);
    expect(s).toMatchObject({
      too_early: 0,
      too_late: 0,
      overlaps: 0,
      patient_overlaps: 0,
      patients_at_online_limit: 0,
    });
  });

  it.each(DEMO_LOGINS.map((l) => [l.email, l] as const))(
    '%s can sign in with the demo password',
    async (_email, login) => {
      const client = anonClient();
      const { data, error } = await client.auth.signInWithPassword({
        email: login.email,
        password: DEMO_PASSWORD,
      });
      expect(error).toBeNull();
      expect(data.user?.id).toBe(login.userId);
      const member = await client.rpc('current_member');
      expect(member.data).toEqual([
        {
          user_id: login.userId,
          role: login.role,
          clinic_id: DEMO_CLINIC.id,
          dentist_id: login.dentistId ?? null,
        },
      ]);
    },
  );
});
