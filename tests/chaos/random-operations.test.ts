/**
 * A few hundred random operations at once on a crowded calendar, by many signed-in patients and the
 * clinic's staff, all through supabase-js: holds, bookings (with and without a hold, by patients and
 * by staff), cancellations, reschedules (also to the other dentist), releases, confirmations and
 * staff status changes along the visit workflow. Afterwards:
 *   - every failure was one of the documented codes (lib/domain/errors.ts, HTTP 400 / P0001);
 *     a deadlock, a leaked constraint error, a 5xx or a network error fails the test;
 *   - SQL finds no overlapping active appointments (buffers included) and consistent holds;
 *   - every acknowledged booking is in the database, with its activity-log entry.
 * The operation sequence comes from the printed seed (CHAOS_SEED replays it); the interleaving is
 * the machine's, which is the point.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import { stackInfo, withDb } from '../helpers/stack';
import {
  addMinutes,
  addRules,
  createUser,
  createWorld,
  EVERY_DAY_9_TO_17,
  localInstant,
  offer,
} from '../integration/domain-fixtures';
import {
  chaosSeed,
  createRandom,
  describeFailure,
  findCalendarViolations,
  isDocumentedError,
  runPool,
  scaled,
  signUpPatients,
  type TRandom,
} from './chaos-helpers';

const OPERATIONS = scaled(300, 3_000);
const PATIENTS = scaled(16, 40);
/** Requests in flight at once (the REST pool has 40 connections; some wait, as in production). */
const CONCURRENCY = scaled(24, 48);
/** Tomorrow (inside the 24-hour cancellation cutoff: late_cancel) and five crowded days later on. */
const DAYS_AHEAD = [1, 4, 6, 7, 9, 11];
/** 09:00 … 12:45 every 15 minutes: neighbouring starts collide through the services' buffers. */
const STARTS_PER_DAY = 16;

const OPERATION_WEIGHTS = {
  hold: 16,
  bookHeld: 12,
  book: 14,
  staffBook: 8,
  cancel: 10,
  reschedule: 10,
  staffReschedule: 6,
  staffStatus: 14,
  confirm: 4,
  release: 6,
  twoTabs: 12,
} as const;
type TOperation = keyof typeof OPERATION_WEIGHTS;
/** One patient in two browser tabs: two of these at the same moment. */
const TWO_TAB_OPERATIONS = ['hold', 'hold', 'hold', 'bookHeld', 'book', 'cancel', 'reschedule'] as const;
/** Most patient and staff actions target visits the client believes are still live; some don't. */
const LIVE_TARGET_SHARE = 0.85;
const LIVE_STATUSES = new Set(['scheduled', 'confirmed', 'checked_in', 'in_chair']);
const STAFF_STATUSES = [
  'confirmed',
  'checked_in',
  'in_chair',
  'completed',
  'no_show',
  'late_cancel',
  'cancelled',
];

interface TActor {
  client: SupabaseClient;
  userId: string;
}
interface TStaff extends TActor {
  role: 'admin' | 'dentist';
  /** Set for dentists: they act only on their own calendar. */
  dentistId?: string;
}
interface TKnownAppointment {
  id: string;
  patientId: string;
  dentistId: string;
  version: number;
  status: string;
}
interface TAppointmentRow {
  id: string;
  patient_id: string;
  dentist_id: string;
  version: number;
  status: string;
}
interface THoldRow {
  id: string;
  dentist_id: string;
  service_id: string;
  starts_at: string;
}
interface TOutcome {
  operation: TOperation;
  rpc: string;
  status: number;
  error: { code?: string; message?: string; details?: string | null } | null;
}

function pickWeighted(random: TRandom): TOperation {
  const entries = Object.entries(OPERATION_WEIGHTS) as Array<[TOperation, number]>;
  let roll = random.next() * entries.reduce((sum, [, weight]) => sum + weight, 0);
  for (const [operation, weight] of entries) {
    roll -= weight;
    if (roll < 0) return operation;
  }
  return entries[entries.length - 1][0];
}

/** "book_appointment ok 40, slot_taken 31; …" for the log: what the storm actually did. */
function summarise(outcomes: TOutcome[]): string {
  const counts = new Map<string, Map<string, number>>();
  for (const o of outcomes) {
    const perRpc = counts.get(o.rpc) ?? new Map<string, number>();
    const key = o.error ? (o.error.message ?? o.error.code ?? '?') : 'ok';
    perRpc.set(key, (perRpc.get(key) ?? 0) + 1);
    counts.set(o.rpc, perRpc);
  }
  return [...counts]
    .map(([rpc, perRpc]) => `${rpc} ${[...perRpc].map(([k, n]) => `${k} ${n}`).join(', ')}`)
    .join('; ');
}

describe('random concurrent operations', () => {
  it(`${OPERATIONS} random holds, bookings, cancellations, reschedules and status changes keep the calendar sound`, async () => {
    const seed = chaosSeed('random-operations');
    const random = createRandom(seed);

    const w = await withDb((db) => createWorld(db, { viaAuth: true }));
    const secondDentist = await withDb(async (db) => {
      const d = await createUser(db, w.clinicId, 'dentist', 'Dr. Second', { viaAuth: true });
      await offer(db, w.clinicId, d.dentistId as string, [w.checkupId, w.fillingId]);
      await addRules(db, w.clinicId, d.dentistId as string, EVERY_DAY_9_TO_17);
      return d;
    });
    const dentistIds = [w.dentist.dentistId, secondDentist.dentistId as string];
    const asActor = (u: { client?: SupabaseClient; userId: string }): TActor => ({
      client: u.client as SupabaseClient,
      userId: u.userId,
    });
    const patients: TActor[] = [
      asActor(w.patient),
      asActor(w.otherPatient),
      ...(await signUpPatients(stackInfo(), w.clinicId, PATIENTS - 2, 'Storm patient')),
    ];
    const staff: TStaff[] = [
      { ...asActor(w.admin), role: 'admin' },
      { ...asActor(w.dentist), role: 'dentist', dentistId: w.dentist.dentistId },
      { ...asActor(secondDentist), role: 'dentist', dentistId: secondDentist.dentistId },
    ];
    const starts = await withDb(async (db) => {
      const list: string[] = [];
      for (const day of DAYS_AHEAD) {
        const nine = await localInstant(db, w.timezone, day, '09:00');
        for (let i = 0; i < STARTS_PER_DAY; i++) list.push(addMinutes(nine, i * 15));
      }
      return list;
    });
    const services = [w.checkupId, w.fillingId];

    // What the clients have been told so far (the latest successful answer about each row).
    const appointments = new Map<string, TKnownAppointment>();
    const holds = new Map<string, THoldRow>();
    const acknowledgedBookings = new Set<string>();
    const remember = (row: TAppointmentRow) =>
      appointments.set(row.id, {
        id: row.id,
        patientId: row.patient_id,
        dentistId: row.dentist_id,
        version: row.version,
        status: row.status,
      });
    /** Known appointments matching `predicate`, usually only the live ones. */
    const appointmentsOf = (predicate: (a: TKnownAppointment) => boolean) => {
      const all = [...appointments.values()].filter(predicate);
      const live = all.filter((a) => LIVE_STATUSES.has(a.status));
      return live.length > 0 && random.chance(LIVE_TARGET_SHARE) ? live : all;
    };

    const runOperation = async (planned: TOperation, patient: TActor): Promise<TOutcome[]> => {
      if (planned === 'twoTabs') {
        const [first, second] = [random.pick(TWO_TAB_OPERATIONS), random.pick(TWO_TAB_OPERATIONS)];
        const both = await Promise.all([runOperation(first, patient), runOperation(second, patient)]);
        return both.flat().map((o) => ({ ...o, operation: 'twoTabs' as const }));
      }
      return [await runSingle(planned, patient)];
    };

    const runSingle = async (planned: Exclude<TOperation, 'twoTabs'>, patient: TActor): Promise<TOutcome> => {
      const dentistId = random.pick(dentistIds);
      const start = random.pick(starts);
      const serviceId = random.pick(services);
      const call = async (operation: TOperation, client: SupabaseClient, rpc: string, args: object) => {
        const res = await client.rpc(rpc, args);
        return { operation, rpc, res, outcome: { operation, rpc, status: res.status, error: res.error } };
      };
      const book = async (operation: TOperation, actor: TActor, args: object) => {
        const { res, outcome } = await call(operation, actor.client, 'book_appointment', args);
        if (!res.error) {
          const row = res.data as TAppointmentRow;
          remember(row);
          acknowledgedBookings.add(row.id);
          holds.delete(actor.userId);
        }
        return outcome;
      };
      const mine = appointmentsOf((a) => a.patientId === patient.userId);
      // Operations that need something to act on fall back to a plain booking.
      let operation = planned;
      if (
        (operation === 'cancel' || operation === 'reschedule' || operation === 'confirm') &&
        mine.length === 0
      )
        operation = 'book';
      if ((operation === 'staffStatus' || operation === 'staffReschedule') && appointments.size === 0)
        operation = 'book';
      if (operation === 'bookHeld' && !holds.has(patient.userId)) operation = 'book';

      switch (operation) {
        case 'hold': {
          const { res, outcome } = await call(operation, patient.client, 'hold_slot', {
            p_dentist_id: dentistId,
            p_service_id: serviceId,
            p_starts_at: start,
          });
          if (!res.error) holds.set(patient.userId, res.data as THoldRow);
          return outcome;
        }
        case 'bookHeld': {
          const hold = holds.get(patient.userId) as THoldRow;
          return book(operation, patient, {
            p_dentist_id: hold.dentist_id,
            p_service_id: hold.service_id,
            p_starts_at: hold.starts_at,
            p_hold_id: hold.id,
          });
        }
        case 'book':
          return book(operation, patient, {
            p_dentist_id: dentistId,
            p_service_id: serviceId,
            p_starts_at: start,
          });
        case 'staffBook': {
          const booker = random.pick(staff);
          return book(operation, booker, {
            p_dentist_id: booker.dentistId ?? dentistId,
            p_service_id: serviceId,
            p_starts_at: start,
            p_patient_id: patient.userId,
          });
        }
        case 'cancel': {
          const target = random.pick(mine);
          const { res, outcome } = await call(operation, patient.client, 'cancel_appointment', {
            p_appointment_id: target.id,
            p_reason: 'chaos',
          });
          if (!res.error) remember(res.data as TAppointmentRow);
          return outcome;
        }
        case 'reschedule': {
          const target = random.pick(mine);
          const { res, outcome } = await call(operation, patient.client, 'reschedule_appointment', {
            p_appointment_id: target.id,
            p_starts_at: start,
          });
          if (!res.error) remember(res.data as TAppointmentRow);
          return outcome;
        }
        case 'staffReschedule': {
          const admin = staff[0];
          const target = random.pick(appointmentsOf(() => true));
          const { res, outcome } = await call(operation, admin.client, 'reschedule_appointment', {
            p_appointment_id: target.id,
            p_starts_at: start,
            p_dentist_id: dentistId,
            p_expected_version: random.chance(0.5) ? target.version : null,
          });
          if (!res.error) remember(res.data as TAppointmentRow);
          return outcome;
        }
        case 'staffStatus': {
          const member = random.pick(staff);
          const pool = appointmentsOf((a) => !member.dentistId || a.dentistId === member.dentistId);
          const target = random.pick(pool.length > 0 ? pool : appointmentsOf(() => true));
          const { res, outcome } = await call(operation, member.client, 'set_appointment_status', {
            p_appointment_id: target.id,
            p_status: random.pick(STAFF_STATUSES),
            p_expected_version: target.version,
          });
          if (!res.error) remember(res.data as TAppointmentRow);
          return outcome;
        }
        case 'confirm': {
          const target = random.pick(mine);
          const { res, outcome } = await call(operation, patient.client, 'set_appointment_status', {
            p_appointment_id: target.id,
            p_status: 'confirmed',
            p_expected_version: target.version,
          });
          if (!res.error) remember(res.data as TAppointmentRow);
          return outcome;
        }
        case 'release': {
          const { res, outcome } = await call(operation, patient.client, 'release_hold', {});
          if (!res.error) holds.delete(patient.userId);
          return outcome;
        }
      }
    };

    // Picked in order from the seed as each worker frees up.
    const outcomes = (
      await runPool(OPERATIONS, CONCURRENCY, () => runOperation(pickWeighted(random), random.pick(patients)))
    ).flat();

    const context = `seed ${seed}`;
    console.log(`[chaos] random-operations: ${summarise(outcomes)}`);
    const undocumented = outcomes
      .filter((o) => o.error !== null && !(o.status === 400 && isDocumentedError(o.error)))
      .map((o) => `${o.operation} → ${o.rpc}: ${describeFailure(o.status, o.error ?? {})}`);
    expect(undocumented, `${context}: failures outside lib/domain/errors.ts`).toEqual([]);

    // The storm must really have exercised each kind of change, not failed its way through.
    const succeeded = (rpc: string) => outcomes.filter((o) => o.rpc === rpc && o.error === null).length;
    for (const rpc of ['hold_slot', 'book_appointment', 'cancel_appointment', 'reschedule_appointment']) {
      expect(succeeded(rpc), `${context}: successful ${rpc} calls`).toBeGreaterThan(0);
    }

    await withDb(async (db) => {
      expect(await findCalendarViolations(db, dentistIds), context).toEqual([]);
      const stored = await db.query<{ id: string; logged: boolean }>(
        `select a.id, exists (
                  select 1 from public.activity_log l
                  where l.entity_type = 'appointment' and l.entity_id = a.id and l.action = 'insert'
                ) as logged
           from public.appointments a where a.clinic_id = $1`,
        [w.clinicId],
      );
      const storedIds = new Set(stored.rows.map((r) => r.id));
      const lost = [...acknowledgedBookings].filter((id) => !storedIds.has(id));
      expect(lost, `${context}: acknowledged bookings missing from the database`).toEqual([]);
      const unlogged = stored.rows.filter((r) => !r.logged).map((r) => r.id);
      expect(unlogged, `${context}: appointments without their activity-log entry`).toEqual([]);
      expect(stored.rows.length, `${context}: nothing but acknowledged bookings was written`).toBe(
        acknowledgedBookings.size,
      );
    });
  });
});
