/**
 * GET /api/realtime/stats logic: clinic admins only, booking figures in the clinic's time zone under
 * the admin's RLS, and nothing server-wide. GET /api/realtime/server-stats logic: server operators
 * only (app_metadata.ops_role), the local stack's realtime metrics (or "unavailable" where there are
 * none).
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import http from 'node:http';
import type net from 'node:net';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '@/lib/domain/realtime';
import {
  requireClinicAdmin,
  requireServerOperator,
  resolveCaller,
  SERVER_OPERATOR_ROLE,
} from '@/lib/ops/caller';
import { OpsError } from '@/lib/ops/errors';
import { readRealtimeStats, UNAVAILABLE_REALTIME_STATS } from '@/lib/ops/metrics';
import { ZServerStatsReport, ZStatsReport } from '@/lib/ops/schemas';
import { buildServerStatsReport, buildStatsReport, readSchedulingStats } from '@/lib/ops/stats';
import { anonClient, serviceClient, signedInClient, stackInfo, withDb } from '../helpers/stack';
import { createWorld, type TWorld } from './domain-fixtures';
import { subscribe } from './realtime-helpers';

/**
 * A fixed "now": Wednesday 2030-01-16 17:30 in Kolkata (+05:30), so
 *   today     = [2030-01-15T18:30Z, 2030-01-16T18:30Z)
 *   this week = [2030-01-13T18:30Z, 2030-01-20T18:30Z)   (Monday 14 Jan 00:00 IST onwards)
 */
const NOW = new Date('2030-01-16T12:00:00Z');
const TIMEZONE = 'Asia/Kolkata';

let world: TWorld;
let otherWorld: TWorld;

function clientOf(who: { client?: SupabaseClient }): SupabaseClient {
  if (!who.client) throw new Error('the world was not created via the Auth API');
  return who.client;
}

/** Inserted as the superuser so created_at can be set to the instants under test. */
async function insertAppointment(
  db: pg.Client,
  w: TWorld,
  createdAt: string,
  slot: number,
  status = 'scheduled',
): Promise<void> {
  const start = new Date(Date.UTC(2030, 1, 1, 9) + slot * 60 * 60_000);
  const end = new Date(start.getTime() + 30 * 60_000);
  await db.query(
    `insert into public.appointments (clinic_id, dentist_id, patient_id, service_id, period, status, created_at)
     values ($1, $2, $3, $4, tstzrange($5, $6, '[)'), $7, $8)`,
    [
      w.clinicId,
      w.dentist.dentistId,
      w.patient.userId,
      w.checkupId,
      start.toISOString(),
      end.toISOString(),
      status,
      createdAt,
    ],
  );
}

async function insertHold(
  db: pg.Client,
  w: TWorld,
  heldBy: string,
  expiresAt: string,
  slot: number,
): Promise<void> {
  const start = new Date(Date.UTC(2030, 2, 1, 9) + slot * 60 * 60_000);
  const end = new Date(start.getTime() + 30 * 60_000);
  await db.query(
    `insert into public.slot_holds (clinic_id, dentist_id, service_id, held_by, period, blocked_period, expires_at)
     values ($1, $2, $3, $4, tstzrange($5, $6, '[)'), tstzrange($5, $6, '[)'), $7)`,
    [w.clinicId, w.dentist.dentistId, w.checkupId, heldBy, start.toISOString(), end.toISOString(), expiresAt],
  );
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

const servers: http.Server[] = [];

beforeAll(async () => {
  await withDb(async (db) => {
    world = await createWorld(db, { viaAuth: true, timezone: TIMEZONE });
    otherWorld = await createWorld(db, { viaAuth: true, timezone: TIMEZONE });
    const bookings: Array<[string, string?]> = [
      ['2030-01-16T18:29:59Z'], // today, 23:59:59 local
      ['2030-01-15T18:30:00Z', 'cancelled'], // today, 00:00 local; cancelled since, but booked today
      ['2030-01-16T06:00:00Z'], // today, 11:30 local
      ['2030-01-15T18:29:59Z'], // yesterday 23:59:59 local: this week only
      ['2030-01-13T18:30:00Z'], // Monday 00:00 local: this week only
      ['2030-01-13T18:29:59Z'], // Sunday before: neither
      ['2030-01-16T18:30:00Z'], // Thursday 00:00 local: this week, not today
      ['2030-01-20T18:30:00Z'], // next Monday 00:00 local: neither
    ];
    for (const [i, [createdAt, status]] of bookings.entries())
      await insertAppointment(db, world, createdAt, i, status);
    // Another clinic's booking today must never count.
    await insertAppointment(db, otherWorld, '2030-01-16T06:00:00Z', 0);

    await insertHold(db, world, world.patient.userId, '2030-01-16T12:05:00Z', 0); // active
    await insertHold(db, world, world.otherPatient.userId, '2030-01-16T12:00:01Z', 1); // active, just
    await insertHold(db, world, world.admin.userId, '2030-01-16T12:00:00Z', 2); // expired at NOW
    await insertHold(db, otherWorld, otherWorld.patient.userId, '2030-01-16T12:05:00Z', 0); // other clinic
  });
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  for (const w of [world, otherWorld])
    for (const who of [w.admin, w.dentist, w.patient, w.otherPatient]) await who.client?.removeAllChannels();
});

describe('who may read the stats', () => {
  it('an admin of the clinic', async () => {
    const admin = requireClinicAdmin(await resolveCaller(clientOf(world.admin)));
    expect(admin.clinicId).toBe(world.clinicId);
  });

  it.each(['dentist', 'patient'] as const)('not a %s (forbidden)', async (role) => {
    const caller = await resolveCaller(clientOf(world[role]));
    expect(() => requireClinicAdmin(caller)).toThrow(expect.objectContaining({ code: 'forbidden' }));
  });

  it('not an anonymous caller (unauthenticated)', async () => {
    const err = await resolveCaller(anonClient()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpsError);
    expect((err as OpsError).code).toBe('unauthenticated');
  });
});

describe('booking figures', () => {
  it('counts bookings made today and this week in the clinic’s time zone, and unexpired holds', async () => {
    const { timezone, scheduling } = await readSchedulingStats(clientOf(world.admin), world.clinicId, NOW);
    expect(timezone).toBe(TIMEZONE);
    expect(scheduling).toEqual({
      activeHolds: 2,
      bookingsToday: 3,
      bookingsThisWeek: 6,
      dayStartsAt: '2030-01-15T18:30:00.000Z',
      weekStartsAt: '2030-01-13T18:30:00.000Z',
    });
  });

  it('RLS is the gate: pointed at another clinic, an admin’s client counts nothing', async () => {
    const { scheduling } = await readSchedulingStats(clientOf(world.admin), otherWorld.clinicId, NOW);
    expect(scheduling).toMatchObject({ activeHolds: 0, bookingsToday: 0, bookingsThisWeek: 0 });
    const own = await readSchedulingStats(clientOf(otherWorld.admin), otherWorld.clinicId, NOW);
    expect(own.scheduling).toMatchObject({ activeHolds: 1, bookingsToday: 1, bookingsThisWeek: 1 });
  });
});

describe('the clinic report', () => {
  it('is the admin’s clinic only, labelled as such, with no server-wide counters in it', async () => {
    const report = await buildStatsReport({
      supabase: clientOf(world.admin),
      clinicId: world.clinicId,
      now: NOW,
    });
    expect(ZStatsReport.strict().parse(report)).toEqual(report);
    expect(report.scope).toBe('clinic');
    expect(report.clinic).toEqual({ id: world.clinicId, timezone: TIMEZONE });
    expect(report.generatedAt).toBe(NOW.toISOString());
    expect(Object.keys(report).sort()).toEqual(['clinic', 'generatedAt', 'scheduling', 'scope']);
  });
});

/** A signed-in user the service role marked as a server operator (app_metadata), with a fresh token. */
async function serverOperator(): Promise<SupabaseClient> {
  const { client, userId } = await signedInClient();
  const { error } = await serviceClient().auth.admin.updateUserById(userId, {
    app_metadata: { ops_role: SERVER_OPERATOR_ROLE },
  });
  expect(error).toBeNull();
  const refreshed = await client.auth.refreshSession();
  expect(refreshed.error).toBeNull();
  return client;
}

describe('who may read the server-wide figures', () => {
  it('a server operator (app_metadata.ops_role), whatever their clinic role', async () => {
    const caller = await resolveCaller(await serverOperator());
    expect(caller.isServerOperator).toBe(true);
    expect(requireServerOperator(caller).isServerOperator).toBe(true);
  });

  it.each(['admin', 'dentist', 'patient'] as const)('not a clinic %s (forbidden)', async (role) => {
    const caller = await resolveCaller(clientOf(world[role]));
    expect(caller.isServerOperator).toBe(false);
    expect(() => requireServerOperator(caller)).toThrow(expect.objectContaining({ code: 'forbidden' }));
  });

  it('not a user who wrote the claim into their own metadata (user_metadata is theirs to edit)', async () => {
    const { client } = await signedInClient({ data: { ops_role: SERVER_OPERATOR_ROLE } });
    const { error } = await client.auth.updateUser({ data: { ops_role: SERVER_OPERATOR_ROLE } });
    expect(error).toBeNull();
    await client.auth.refreshSession();
    expect((await resolveCaller(client)).isServerOperator).toBe(false);
  });
});

describe('server-wide realtime figures', () => {
  it('come from the local stack’s metrics endpoint, labelled server-wide, and see a subscribed channel', async () => {
    const client = clientOf(world.admin);
    await subscribe(client.channel(topics.clinicSchedule(world.clinicId), { config: { private: true } }));
    const { apiUrl, serviceRoleKey } = stackInfo();
    const report = await buildServerStatsReport({
      realtime: readRealtimeStats({ supabaseUrl: apiUrl, serviceRoleKey }),
      now: NOW,
    });
    expect(ZServerStatsReport.parse(report)).toEqual(report);
    expect(report.scope).toBe('server');
    expect(report.generatedAt).toBe(NOW.toISOString());
    expect(report.realtime.source).toBe('local');
    expect(report.realtime.connections).toBeGreaterThanOrEqual(1);
    expect(report.realtime.channels).toBeGreaterThanOrEqual(1);
    expect(report.realtime.joins).toBeGreaterThanOrEqual(1);
    expect(report.realtime.joinsPerSecond).not.toBeNull();
    expect(report.realtime.messagesPerSecond).not.toBeNull();
    expect(report.realtime.rateWindowSeconds).toBeGreaterThan(0);
  });

  it.each([
    ['a hosted project, where the endpoint does not exist', 'hosted'],
    ['a key the endpoint refuses', 'anon-key'],
  ] as const)(
    'are null with source "unavailable" for %s, and the report still answers',
    async (_name, kind) => {
      let supabaseUrl = stackInfo().apiUrl;
      let key = stackInfo().serviceRoleKey;
      if (kind === 'hosted') {
        const hosted = http.createServer((_req, res) =>
          res
            .writeHead(404, { 'content-type': 'application/json' })
            .end('{"message":"no Route matched with those values"}'),
        );
        servers.push(hosted);
        supabaseUrl = await listen(hosted);
      } else {
        key = stackInfo().anonKey;
      }
      const report = await buildServerStatsReport({
        realtime: readRealtimeStats({ supabaseUrl, serviceRoleKey: key }),
        now: NOW,
      });
      expect(ZServerStatsReport.parse(report)).toEqual(report);
      expect(report.realtime).toEqual(UNAVAILABLE_REALTIME_STATS);
    },
  );
});
