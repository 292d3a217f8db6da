/**
 * The slot engine (private.compute_slots) with frozen clocks: DST-change days, overrides, time off,
 * buffers, minimum notice, horizon, the past and holds. Also the anon-callable available_slots.
 */
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { anonClient, withDb } from '../helpers/stack';
import {
  addRules,
  createClinic,
  createDentist,
  createService,
  createUser,
  createWorld,
  errorCode,
  localInstant,
  offer,
  sqlAs,
  SERVICE,
} from './domain-fixtures';

interface TSlot {
  start: string;
  dentist: string;
}

async function slots(
  db: pg.Client,
  args: {
    clinicId: string;
    serviceId: string;
    dentistId?: string | null;
    from: string;
    to: string;
    now: string;
    viewer?: string | null;
  },
): Promise<TSlot[]> {
  const res = await db.query<{ slot_start: Date; slot_dentist_id: string }>(
    `select slot_start, slot_dentist_id from private.compute_slots($1, $2, $3, $4, $5, $6, $7)`,
    [
      args.clinicId,
      args.serviceId,
      args.dentistId ?? null,
      args.from,
      args.to,
      args.now,
      args.viewer ?? null,
    ],
  );
  return res.rows.map((r) => ({ start: r.slot_start.toISOString(), dentist: r.slot_dentist_id }));
}

const starts = (list: TSlot[]) => list.map((s) => s.start.replace(':00.000Z', 'Z'));

describe('slot engine across DST changes', () => {
  // [zone, local date, windows on that weekday, slot length/interval in minutes, expected UTC starts]
  it.each<[string, string, Array<[string, string]>, number, string[]]>([
    [
      // London springs forward at 01:00 GMT: local 00:00–04:00 lasts 3 real hours; 09:00 BST = 08:00Z.
      'Europe/London',
      '2026-03-29',
      [
        ['00:00', '04:00'],
        ['09:00', '11:00'],
      ],
      60,
      [
        '2026-03-29T00:00Z',
        '2026-03-29T01:00Z',
        '2026-03-29T02:00Z',
        '2026-03-29T08:00Z',
        '2026-03-29T09:00Z',
      ],
    ],
    [
      // London falls back at 01:00 GMT: local 00:00 BST (23:00Z the day before) to 04:00 GMT lasts 5 hours.
      'Europe/London',
      '2026-10-25',
      [
        ['00:00', '04:00'],
        ['09:00', '10:00'],
      ],
      60,
      [
        '2026-10-24T23:00Z',
        '2026-10-25T00:00Z',
        '2026-10-25T01:00Z',
        '2026-10-25T02:00Z',
        '2026-10-25T03:00Z',
        '2026-10-25T09:00Z',
      ],
    ],
    [
      // New York springs forward at 02:00 EST: 09:00 EDT = 13:00Z.
      'America/New_York',
      '2026-03-08',
      [['09:00', '10:00']],
      30,
      ['2026-03-08T13:00Z', '2026-03-08T13:30Z'],
    ],
    [
      // The day before the change: 09:00 EST = 14:00Z.
      'America/New_York',
      '2026-03-07',
      [['09:00', '10:00']],
      30,
      ['2026-03-07T14:00Z', '2026-03-07T14:30Z'],
    ],
    [
      // Half-hour offset, no DST: 09:00 IST = 03:30Z.
      'Asia/Kolkata',
      '2026-03-29',
      [['09:00', '10:00']],
      30,
      ['2026-03-29T03:30Z', '2026-03-29T04:00Z'],
    ],
  ])('%s on %s', async (timezone, date, windows, minutes, expected) => {
    await withDb(async (db) => {
      const clinic = await createClinic(db, { timezone, slotIntervalMinutes: minutes === 60 ? 60 : 30 });
      const dentistId = await createDentist(db, clinic.id, 'Dr. DST');
      const serviceId = await createService(db, clinic.id, { durationMinutes: minutes });
      await offer(db, clinic.id, dentistId, [serviceId]);
      const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
      await addRules(
        db,
        clinic.id,
        dentistId,
        windows.map(([s, e]) => [weekday, s, e]),
      );
      const list = await slots(db, {
        clinicId: clinic.id,
        serviceId,
        dentistId,
        from: `${shiftDate(date, -1)}T00:00:00Z`,
        to: `${shiftDate(date, 2)}T00:00:00Z`,
        now: `${shiftDate(date, -3)}T00:00:00Z`,
      });
      expect(starts(list)).toEqual(expected);
    });
  });
});

function shiftDate(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

describe('slot engine rules', () => {
  // A Wednesday far from DST changes; the clinic is in London (GMT in January).
  const day = '2027-01-13';
  const weekday = 3;
  let clinicId: string;
  let dentistId: string;
  let otherDentistId: string;
  let halfHourId: string;
  let bufferedId: string;
  let patientId: string;

  const window = { from: `${day}T00:00:00Z`, to: `${day}T23:59:00Z`, now: '2027-01-10T00:00:00Z' };

  beforeAll(async () => {
    await withDb(async (setup) => {
      const clinic = await createClinic(setup, {
        timezone: 'Europe/London',
        slotIntervalMinutes: 15,
        minNoticeMinutes: 0,
      });
      clinicId = clinic.id;
      dentistId = await createDentist(setup, clinicId, 'Dr. A');
      otherDentistId = await createDentist(setup, clinicId, 'Dr. B');
      halfHourId = await createService(setup, clinicId, { durationMinutes: 30 });
      bufferedId = await createService(setup, clinicId, {
        durationMinutes: 30,
        bufferBeforeMinutes: 10,
        bufferAfterMinutes: 5,
      });
      await offer(setup, clinicId, dentistId, [halfHourId, bufferedId]);
      await offer(setup, clinicId, otherDentistId, [bufferedId]);
      await addRules(setup, clinicId, dentistId, [
        [weekday, '09:00', '10:00'],
        [weekday, '11:00', '12:00'],
      ]);
      await addRules(setup, clinicId, otherDentistId, [[weekday, '14:00', '15:00']]);
      patientId = (await createUser(setup, clinicId, 'patient')).userId;
    });
  });

  it('offers grid starts inside each window, skipping the break', async () => {
    await withDb(async (d) => {
      const list = await slots(d, { clinicId, serviceId: halfHourId, dentistId, ...window });
      expect(starts(list)).toEqual([
        '2027-01-13T09:00Z',
        '2027-01-13T09:15Z',
        '2027-01-13T09:30Z',
        '2027-01-13T11:00Z',
        '2027-01-13T11:15Z',
        '2027-01-13T11:30Z',
      ]);
    });
  });

  it('with no dentist chosen, offers every dentist who provides the service', async () => {
    await withDb(async (d) => {
      const list = await slots(d, { clinicId, serviceId: bufferedId, ...window });
      expect(new Set(list.map((s) => s.dentist))).toEqual(new Set([dentistId, otherDentistId]));
      const onlyA = await slots(d, { clinicId, serviceId: halfHourId, ...window });
      expect(new Set(onlyA.map((s) => s.dentist))).toEqual(new Set([dentistId]));
    });
  });

  it('uses an override instead of the weekly rule, and a closed override removes the day', async () => {
    await withDb(async (d) => {
      const otherDay = '2027-01-20';
      await d.query(
        `insert into public.availability_overrides (clinic_id, dentist_id, on_date, start_time, end_time) values ($1, $2, $3, '13:00', '14:00')`,
        [clinicId, dentistId, otherDay],
      );
      const list = await slots(d, {
        clinicId,
        serviceId: halfHourId,
        dentistId,
        from: `${otherDay}T00:00:00Z`,
        to: `${otherDay}T23:59:00Z`,
        now: window.now,
      });
      expect(starts(list)).toEqual(['2027-01-20T13:00Z', '2027-01-20T13:15Z', '2027-01-20T13:30Z']);

      const closedDay = '2027-01-27';
      await d.query(
        `insert into public.availability_overrides (clinic_id, dentist_id, on_date) values ($1, $2, $3)`,
        [clinicId, dentistId, closedDay],
      );
      const none = await slots(d, {
        clinicId,
        serviceId: halfHourId,
        dentistId,
        from: `${closedDay}T00:00:00Z`,
        to: `${closedDay}T23:59:00Z`,
        now: window.now,
      });
      expect(none).toEqual([]);
    });
  });

  it('removes slots that overlap time off', async () => {
    await withDb(async (d) => {
      const offDay = '2027-02-03';
      await d.query(
        `insert into public.time_off (clinic_id, dentist_id, starts_local, ends_local) values ($1, $2, $3, $4)`,
        [clinicId, dentistId, `${offDay} 09:20`, `${offDay} 11:15`],
      );
      const list = await slots(d, {
        clinicId,
        serviceId: halfHourId,
        dentistId,
        from: `${offDay}T00:00:00Z`,
        to: `${offDay}T23:59:00Z`,
        now: window.now,
      });
      expect(starts(list)).toEqual(['2027-02-03T11:15Z', '2027-02-03T11:30Z']);
    });
  });

  it('keeps buffers of existing appointments and of the requested service apart', async () => {
    await withDb(async (d) => {
      const busyDay = '2027-02-10';
      // Existing visit 09:15–09:45 with 0 before / 10 after → blocked 09:15–09:55.
      await d.query(
        `insert into public.appointments (clinic_id, dentist_id, patient_id, service_id, period, buffer_before_minutes, buffer_after_minutes, blocked_period)
         values ($1, $2, $3, $4, tstzrange($5, $6), 0, 10, tstzrange($5, $6))`,
        [clinicId, dentistId, patientId, halfHourId, `${busyDay}T09:15:00Z`, `${busyDay}T09:45:00Z`],
      );
      const plain = await slots(d, {
        clinicId,
        serviceId: halfHourId,
        dentistId,
        from: `${busyDay}T00:00:00Z`,
        to: `${busyDay}T10:30:00Z`,
        now: window.now,
      });
      // 30 min, no buffers: 09:00 would run into 09:15; nothing fits after 09:55 before 10:00.
      expect(starts(plain)).toEqual([]);
      const morningOnly = await slots(d, {
        clinicId,
        serviceId: halfHourId,
        dentistId,
        from: `${busyDay}T11:00:00Z`,
        to: `${busyDay}T12:00:00Z`,
        now: window.now,
      });
      expect(starts(morningOnly)).toEqual(['2027-02-10T11:00Z', '2027-02-10T11:15Z', '2027-02-10T11:30Z']);

      // Another visit 11:30–12:00 (blocked to 12:00). Requested service has 10 before / 5 after:
      // 11:00 → blocked 10:50–11:35 overlaps it; nothing else fits.
      await d.query(
        `insert into public.appointments (clinic_id, dentist_id, patient_id, service_id, period, buffer_before_minutes, buffer_after_minutes, blocked_period)
         values ($1, $2, $3, $4, tstzrange($5, $6), 0, 0, tstzrange($5, $6))`,
        [clinicId, dentistId, patientId, halfHourId, `${busyDay}T11:30:00Z`, `${busyDay}T12:00:00Z`],
      );
      const buffered = await slots(d, {
        clinicId,
        serviceId: bufferedId,
        dentistId,
        from: `${busyDay}T11:00:00Z`,
        to: `${busyDay}T12:00:00Z`,
        now: window.now,
      });
      expect(starts(buffered)).toEqual([]);
      const unbuffered = await slots(d, {
        clinicId,
        serviceId: halfHourId,
        dentistId,
        from: `${busyDay}T11:00:00Z`,
        to: `${busyDay}T12:00:00Z`,
        now: window.now,
      });
      expect(starts(unbuffered)).toEqual(['2027-02-10T11:00Z']);

      // A cancelled visit frees its time again.
      await d.query(
        `update public.appointments set status = 'cancelled' where dentist_id = $1 and starts_at = $2`,
        [dentistId, `${busyDay}T09:15:00Z`],
      );
      const freed = await slots(d, {
        clinicId,
        serviceId: halfHourId,
        dentistId,
        from: `${busyDay}T00:00:00Z`,
        to: `${busyDay}T10:30:00Z`,
        now: window.now,
      });
      expect(starts(freed)).toEqual(['2027-02-10T09:00Z', '2027-02-10T09:15Z', '2027-02-10T09:30Z']);
    });
  });

  it.each<[string, string, number, number, string[]]>([
    // [case, frozen now, min notice minutes, horizon days, expected starts]
    [
      'minimum notice counts from now',
      '2027-01-13T09:10:00Z',
      30,
      90,
      ['2027-01-13T11:00Z', '2027-01-13T11:15Z', '2027-01-13T11:30Z'],
    ],
    [
      'nothing in the past',
      '2027-01-13T09:20:00Z',
      0,
      90,
      ['2027-01-13T09:30Z', '2027-01-13T11:00Z', '2027-01-13T11:15Z', '2027-01-13T11:30Z'],
    ],
    [
      'nothing beyond the horizon',
      '2027-01-12T11:10:00Z',
      0,
      1,
      ['2027-01-13T09:00Z', '2027-01-13T09:15Z', '2027-01-13T09:30Z', '2027-01-13T11:00Z'],
    ],
  ])('%s', async (_case, now, notice, horizon, expected) => {
    await withDb(async (d) => {
      await d.query(
        `update public.clinics set min_notice_minutes = $2, booking_horizon_days = $3 where id = $1`,
        [clinicId, notice, horizon],
      );
      try {
        const list = await slots(d, {
          clinicId,
          serviceId: halfHourId,
          dentistId,
          from: window.from,
          to: window.to,
          now,
        });
        expect(starts(list)).toEqual(expected);
      } finally {
        await d.query(
          `update public.clinics set min_notice_minutes = 0, booking_horizon_days = 90 where id = $1`,
          [clinicId],
        );
      }
    });
  });

  it("hides other people's unexpired holds but not the viewer's own or expired ones", async () => {
    await withDb(async (d) => {
      const holdDay = '2027-03-03';
      await d.query(
        `insert into public.slot_holds (clinic_id, dentist_id, service_id, held_by, period, blocked_period, expires_at)
         values ($1, $2, $3, $4, tstzrange($5, $6), tstzrange($5, $6), $7)`,
        [
          clinicId,
          dentistId,
          halfHourId,
          patientId,
          `${holdDay}T09:00:00Z`,
          `${holdDay}T09:30:00Z`,
          '2027-01-10T00:05:00Z',
        ],
      );
      const args = {
        clinicId,
        serviceId: halfHourId,
        dentistId,
        from: `${holdDay}T09:00:00Z`,
        to: `${holdDay}T10:00:00Z`,
      };
      expect(starts(await slots(d, { ...args, now: window.now }))).toEqual(['2027-03-03T09:30Z']);
      expect(starts(await slots(d, { ...args, now: window.now, viewer: patientId }))).toEqual([
        '2027-03-03T09:00Z',
        '2027-03-03T09:15Z',
        '2027-03-03T09:30Z',
      ]);
      expect(starts(await slots(d, { ...args, now: '2027-01-10T00:05:00Z' }))).toEqual([
        '2027-03-03T09:00Z',
        '2027-03-03T09:15Z',
        '2027-03-03T09:30Z',
      ]);
    });
  });

  it.each<[string, Partial<{ serviceId: string; from: string; to: string; dentistId: string }>, string]>([
    ['an inverted range', { from: '2027-01-14T00:00:00Z', to: '2027-01-13T00:00:00Z' }, 'invalid_input'],
    ['a range over 62 days', { from: '2027-01-01T00:00:00Z', to: '2027-04-01T00:00:00Z' }, 'invalid_input'],
    ['an unknown service', { serviceId: '00000000-0000-4000-8000-000000000000' }, 'not_found'],
    ['an unknown dentist', { dentistId: '00000000-0000-4000-8000-000000000000' }, 'not_found'],
  ])('rejects %s', async (_case, override, code) => {
    await withDb(async (d) => {
      const res = await sqlAs(d, SERVICE, `select * from public.available_slots($1, $2, $3, $4, $5)`, [
        clinicId,
        override.serviceId ?? halfHourId,
        override.dentistId ?? null,
        override.from ?? window.from,
        override.to ?? window.to,
      ]);
      expect(errorCode(res)).toBe(code);
    });
  });
});

describe('available_slots as the public API', () => {
  it('anon gets only start, end, dentist_id and dentist_name for a real future day', async () => {
    const world = await withDb((db) => createWorld(db, { timezone: 'America/New_York' }));
    const from = await withDb((db) => localInstant(db, world.timezone, 3, '00:00'));
    const to = await withDb((db) => localInstant(db, world.timezone, 4, '00:00'));
    const viaSql = await withDb((db) =>
      sqlAs<Record<string, unknown>>(
        db,
        { kind: 'anon' },
        `select * from public.available_slots($1, $2, null, $3, $4)`,
        [world.clinicId, world.checkupId, from, to],
      ),
    );
    expect(viaSql.error).toBeNull();
    // 09:00–17:00, 30 min + 10 buffer on a 15-minute grid: starts every 15 min up to 16:30 = 31.
    expect(viaSql.rows).toHaveLength(31);
    expect(Object.keys(viaSql.rows?.[0] ?? {}).sort()).toEqual([
      'dentist_id',
      'dentist_name',
      'end',
      'start',
    ]);
    expect(new Date(viaSql.rows?.[0].start as Date).toISOString()).toBe(
      await withDb((db) => localInstant(db, world.timezone, 3, '09:00')),
    );

    // Through supabase-js with the anon key: the same function, the same shape.
    const { data, error } = await anonClient().rpc('available_slots', {
      p_clinic_id: world.clinicId,
      p_service_id: world.checkupId,
      p_from: from,
      p_to: to,
    });
    expect(error).toBeNull();
    expect(data).toHaveLength(31);
    expect(data?.[0]).toEqual({
      start: expect.any(String),
      end: expect.any(String),
      dentist_id: world.dentist.dentistId,
      dentist_name: 'Dr. Test',
    });
    expect(new Date((data?.[0] as { start: string }).start).toISOString()).toBe(
      new Date(viaSql.rows?.[0].start as Date).toISOString(),
    );

    // The engine's frozen-clock entry point is not reachable through the API.
    const hidden = await anonClient().rpc('compute_slots', {});
    expect(hidden.error?.code).toBe('PGRST202');
  });
});
