/**
 * kill -9 of the stack in the middle of a booking burst, then a restart on the same data dir.
 *
 * The stack runs in a child process (its own data dir, ephemeral ports, its own process group; not
 * the shared test stack). Patients signed in through supabase-js fire bookings, each with its own
 * idempotency key and its own free time; once some have been acknowledged the stack is killed with
 * SIGKILL while others are in flight. Rounds alternate what dies:
 *   - `node`:  the Node process alone. Embedded Postgres survives as an orphan still holding the
 *              data dir; the restart must find and stop it (supabase/local/postgres.ts).
 *   - `group`: Node, the postmaster and every backend at once; the restart goes through Postgres
 *              crash recovery.
 * After each restart:
 *   - every booking whose RPC answered success is in the database, unchanged (0 lost acknowledged);
 *   - nothing is half-written: only requested bookings exist, each with its activity-log entry, and
 *     the calendar invariants hold;
 *   - a retry with the same idempotency key settles every unanswered request to exactly one row;
 *   - the restarted stack serves Auth (sign-in, sign-up), REST (reads, RPCs) and Realtime (a
 *     postgres_changes subscription sees a new booking).
 * Finally no process of the scenario (Node or Postgres) may be left, even when an assertion failed.
 */
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  addMinutes,
  addRules,
  createClinic,
  createDentist,
  createService,
  EVERY_DAY_9_TO_17,
  localInstant,
  offer,
} from '../integration/domain-fixtures';
import { EventLog, withTimeout } from '../integration/realtime-helpers';
import {
  chaosSeed,
  clientFor,
  createRandom,
  describeFailure,
  findCalendarViolations,
  isDocumentedError,
  scaled,
  signUpPatients,
  type TPatient,
  type TRpcFailure,
  type TStackTarget,
} from './chaos-helpers';
import { removeAllTraces, startChildStack, type TChildStack } from './child-stack';

const KILL_MODES = ['node', 'group'] as const;
type TKillMode = (typeof KILL_MODES)[number];
const ROUNDS = scaled(2, 8);
const PATIENTS_PER_ROUND = scaled(16, 40);
/**
 * Per patient and round, at different times: well inside per-patient rules (a cap on active future
 * bookings, no two visits of one patient at once), so every request is one the server must accept.
 */
const BOOKINGS_PER_PATIENT = 2;
/** Kill once this share of the round's bookings has been acknowledged; the rest are in flight or unsent. */
const KILL_AFTER_SHARE = 0.4;
/** Each long round signs up dozens of patients (bcrypt) and restarts the stack: about half a minute. */
const TEST_TIMEOUT_MS = scaled(180_000, 900_000);
const DENTISTS = 4;
const SERVICE_MINUTES = 30;
/** Every request gets its own (dentist, start) so bookings never compete: a refusal would be a bug. */
const FIRST_DAY_AHEAD = 2;
const STARTS_PER_DAY = 16; // 09:00 … 16:30 every 30 minutes

interface TBookingRequest {
  key: string;
  patientIndex: number;
  patientId: string;
  dentistId: string;
  startsAt: string;
  outcome: 'acknowledged' | 'refused' | 'unknown';
  appointmentId: string | null;
  /** Set for answers that arrived before the kill was issued: those must be clean. */
  answeredBeforeKill: boolean;
  status: number;
  error: TRpcFailure | null;
}

interface TStoredAppointment {
  id: string;
  idempotency_key: string | null;
  patient_id: string;
  dentist_id: string;
  starts_at: Date;
  logged: boolean;
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chaos-stack-kill-'));
/** Every process group this scenario started (one per child stack). */
const groups: number[] = [];
let running: TChildStack | undefined;

async function launch(): Promise<TChildStack> {
  running = await startChildStack(dataDir);
  groups.push(running.pid);
  return running;
}

/** Removes and returns a free slot whose start is not in `avoidStarts` (one patient, one visit at a time). */
function takeSlot<T extends { startsAt: string }>(slots: T[], avoidStarts: Set<string>): T {
  const index = slots.findLastIndex((slot) => !avoidStarts.has(slot.startsAt));
  if (index < 0) throw new Error('ran out of free slots');
  return slots.splice(index, 1)[0];
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function withChildDb<T>(stack: TChildStack, fn: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = new pg.Client({ connectionString: stack.info.dbUrl });
  // A dropped connection rejects the pending query; without a listener it would also be an
  // unhandled 'error' event that outlives the test (e.g. when a timeout stops the stack under it).
  db.on('error', () => undefined);
  await db.connect();
  try {
    return await fn(db);
  } finally {
    await db.end();
  }
}

async function signIn(target: TStackTarget, patient: TPatient): Promise<SupabaseClient> {
  const client = clientFor(target);
  const { error } = await client.auth.signInWithPassword({
    email: patient.email,
    password: patient.password,
  });
  if (error) throw new Error(`sign-in after restart failed for ${patient.email}: ${error.message}`);
  return client;
}

/** A postgres_changes INSERT on the patient's appointments reaches them after `book` runs. */
async function expectRealtimeInsert(
  target: TStackTarget,
  patient: TPatient,
  book: (client: SupabaseClient) => Promise<string>,
): Promise<void> {
  const client = await signIn(target, patient);
  const events = new EventLog<{ id: string }>();
  const ready = new EventLog<{ status: string }>();
  const channel: RealtimeChannel = client.channel(`chaos-kill-${patient.userId}`);
  channel.on('system', {}, (p: { extension?: string; status: string }) => {
    if (p.extension === 'postgres_changes') ready.push({ status: p.status });
  });
  channel.on(
    'postgres_changes',
    { event: 'INSERT', schema: 'public', table: 'appointments', filter: `patient_id=eq.${patient.userId}` },
    (p: { new: { id?: string } }) => events.push({ id: p.new.id ?? '' }),
  );
  channel.subscribe();
  try {
    const subscribed = await ready.waitFor(() => true, 'postgres_changes ready after restart');
    expect(subscribed.status).toBe('ok');
    const id = await book(client);
    await events.waitFor((e) => e.id === id, `INSERT event for ${id} after restart`);
  } finally {
    await withTimeout(client.removeChannel(channel), 'channel removal').catch(() => undefined);
    client.realtime.disconnect();
  }
}

afterAll(async () => {
  // Safety net when the test itself failed half-way; a passing run has already cleaned up.
  const left = await removeAllTraces(running, groups, dataDir);
  expect(left, 'processes of the killed stacks still alive').toEqual([]);
});

describe('kill -9 of the stack during a booking burst', () => {
  it(
    `${ROUNDS} rounds (${KILL_MODES.join(' / ')} killed) lose no acknowledged booking and come back serving`,
    async () => {
      const seed = chaosSeed('stack-kill');
      const random = createRandom(seed);

      let stack = await launch();
      const world = await withChildDb(stack, async (db) => {
        const clinic = await createClinic(db, { minNoticeMinutes: 0, bookingHorizonDays: 90 });
        const serviceId = await createService(db, clinic.id, { durationMinutes: SERVICE_MINUTES });
        const dentistIds: string[] = [];
        for (let i = 0; i < DENTISTS; i++) {
          const dentistId = await createDentist(db, clinic.id, `Dr. Crash ${i}`);
          await offer(db, clinic.id, dentistId, [serviceId]);
          await addRules(db, clinic.id, dentistId, EVERY_DAY_9_TO_17);
          dentistIds.push(dentistId);
        }
        // Free (dentist, start) pairs, shuffled by the seed and handed out one per request.
        const slots: Array<{ dentistId: string; startsAt: string }> = [];
        // One slot per request, plus one per round for the Realtime witness.
        const needed = ROUNDS * (PATIENTS_PER_ROUND * BOOKINGS_PER_PATIENT + 1);
        const days = Math.ceil(needed / (DENTISTS * STARTS_PER_DAY));
        for (let day = 0; day < days; day++) {
          const nine = await localInstant(db, clinic.timezone, FIRST_DAY_AHEAD + day, '09:00');
          for (let i = 0; i < STARTS_PER_DAY; i++)
            for (const dentistId of dentistIds)
              slots.push({ dentistId, startsAt: addMinutes(nine, i * SERVICE_MINUTES) });
        }
        for (let i = slots.length - 1; i > 0; i--) {
          const j = random.int(i + 1);
          [slots[i], slots[j]] = [slots[j], slots[i]];
        }
        return { clinicId: clinic.id, serviceId, dentistIds, slots };
      });

      const requests: TBookingRequest[] = [];

      for (let round = 0; round < ROUNDS; round++) {
        const mode: TKillMode = KILL_MODES[round % KILL_MODES.length];
        const context = `seed ${seed}, round ${round} (kill ${mode})`;
        const patients = await signUpPatients(
          stack.info,
          world.clinicId,
          PATIENTS_PER_ROUND,
          `Crash ${round}`,
        );
        const roundRequests: TBookingRequest[] = patients.flatMap((_, patientIndex) => {
          const taken = new Set<string>();
          return Array.from({ length: BOOKINGS_PER_PATIENT }, (_, n) => {
            const slot = takeSlot(world.slots, taken);
            taken.add(slot.startsAt);
            return {
              key: `chaos-kill-${seed}-${round}-${patientIndex}-${n}`,
              patientIndex,
              patientId: patients[patientIndex].userId,
              ...slot,
              outcome: 'unknown' as const,
              appointmentId: null,
              answeredBeforeKill: false,
              status: 0,
              error: null,
            };
          });
        });
        requests.push(...roundRequests);

        // The burst: every patient books its times one after another, all patients at once.
        const killAfter = Math.max(1, Math.floor(roundRequests.length * KILL_AFTER_SHARE));
        let acknowledged = 0;
        let killIssued = false;
        let killed: Promise<void> | undefined;
        const killStack = () => (mode === 'node' ? stack.killNode() : stack.killGroup());
        await Promise.all(
          patients.map(async (patient, patientIndex) => {
            for (const request of roundRequests.filter((r) => r.patientIndex === patientIndex)) {
              const res = await patient.client.rpc('book_appointment', {
                p_dentist_id: request.dentistId,
                p_service_id: world.serviceId,
                p_starts_at: request.startsAt,
                p_idempotency_key: request.key,
              });
              request.answeredBeforeKill = !killIssued;
              request.status = res.status;
              request.error = res.error;
              if (!res.error) {
                request.outcome = 'acknowledged';
                request.appointmentId = (res.data as { id: string }).id;
                acknowledged++;
              } else if (res.status > 0 && isDocumentedError(res.error)) {
                request.outcome = 'refused';
              }
              if (acknowledged >= killAfter && !killIssued) {
                killIssued = true;
                killed = killStack();
              }
            }
          }),
        );
        await killed;
        expect(killIssued, context).toBe(true);
        if (mode === 'node') {
          // The scenario under test: Postgres outlived its parent and still holds the data dir.
          expect(isProcessAlive(stack.info.postmasterPid ?? -1), `${context}: orphaned postmaster`).toBe(
            true,
          );
        }
        // Answers that came back while the stack was healthy are successes (or documented refusals).
        const unclean = roundRequests
          .filter((r) => r.answeredBeforeKill && r.outcome !== 'acknowledged')
          .map((r) => `${r.key}: ${describeFailure(r.status, r.error ?? {})}`);
        expect(unclean, `${context}: failures before the kill`).toEqual([]);

        stack = await launch();
        const target = stack.info;

        // 0 lost acknowledged bookings, nothing half-written.
        const stored = await withChildDb(stack, async (db) => {
          expect(await findCalendarViolations(db, world.dentistIds), context).toEqual([]);
          const res = await db.query<TStoredAppointment>(
            `select a.id, a.idempotency_key, a.patient_id, a.dentist_id, a.starts_at,
                  exists (select 1 from public.activity_log l
                          where l.entity_type = 'appointment' and l.entity_id = a.id and l.action = 'insert') as logged
             from public.appointments a where a.clinic_id = $1`,
            [world.clinicId],
          );
          return res.rows;
        });
        const byKey = new Map(stored.map((row) => [row.idempotency_key ?? '', row]));
        const lost = requests
          .filter((r) => r.outcome === 'acknowledged')
          .filter((r) => {
            const row = byKey.get(r.key);
            return (
              !row ||
              row.id !== r.appointmentId ||
              row.patient_id !== r.patientId ||
              row.dentist_id !== r.dentistId ||
              row.starts_at.toISOString() !== r.startsAt
            );
          })
          .map((r) => r.key);
        expect(lost, `${context}: acknowledged bookings lost or changed`).toEqual([]);
        const sentKeys = new Set(requests.map((r) => r.key));
        const strangers = stored
          .filter((row) => !sentKeys.has(row.idempotency_key ?? ''))
          .map((row) => row.id);
        expect(strangers, `${context}: rows nobody asked for`).toEqual([]);
        expect(
          stored.filter((row) => !row.logged).map((row) => row.id),
          `${context}: appointments without their activity-log entry`,
        ).toEqual([]);
        const refusedButStored = roundRequests.filter((r) => r.outcome === 'refused' && byKey.has(r.key));
        expect(
          refusedButStored.map((r) => r.key),
          `${context}: refused yet stored`,
        ).toEqual([]);

        // Auth and REST serve again: each patient signs in anew and settles its unanswered requests
        // with the same idempotency keys; a request that did commit is answered with its row.
        const clients = await Promise.all(patients.map((p) => signIn(target, p)));
        for (const patient of patients) patient.client = clients[patients.indexOf(patient)];
        const unanswered = roundRequests.filter((r) => r.outcome === 'unknown');
        const committedUnanswered = unanswered.filter((r) => byKey.has(r.key)).length;
        const retried = await Promise.all(
          unanswered.map(async (r) => {
            const res = await patients[r.patientIndex].client.rpc('book_appointment', {
              p_dentist_id: r.dentistId,
              p_service_id: world.serviceId,
              p_starts_at: r.startsAt,
              p_idempotency_key: r.key,
            });
            if (res.error) return `${r.key}: retry failed with ${describeFailure(res.status, res.error)}`;
            const id = (res.data as { id: string }).id;
            const before = byKey.get(r.key);
            if (before && before.id !== id) return `${r.key}: retry made a second row`;
            r.outcome = 'acknowledged';
            r.appointmentId = id;
            return null;
          }),
        );
        expect(
          retried.filter((line) => line !== null),
          context,
        ).toEqual([]);
        console.log(
          `[chaos] stack-kill ${context}: ${acknowledged} acknowledged before the kill, ${unanswered.length} ` +
            `unanswered (${committedUnanswered} of them had committed); after retries each of the ${roundRequests.length} requests has one row`,
        );
        for (const patient of patients) {
          const { data, error } = await patient.client.from('appointments').select('id');
          expect(error, context).toBeNull();
          const mine = roundRequests.filter((r) => r.patientIndex === patients.indexOf(patient));
          expect((data ?? []).map((row: { id: string }) => row.id).sort(), context).toEqual(
            mine.map((r) => r.appointmentId).sort(),
          );
        }

        // Realtime serves again: a newly signed-up patient sees its own booking as a change event.
        const [witness] = await signUpPatients(target, world.clinicId, 1, `Witness ${round}`);
        await expectRealtimeInsert(target, witness, async (client) => {
          const slot = takeSlot(world.slots, new Set());
          const res = await client.rpc('book_appointment', {
            p_dentist_id: slot.dentistId,
            p_service_id: world.serviceId,
            p_starts_at: slot.startsAt,
            p_idempotency_key: `chaos-kill-${seed}-${round}-witness`,
          });
          expect(res.error, context).toBeNull();
          const id = (res.data as { id: string }).id;
          requests.push({
            key: `chaos-kill-${seed}-${round}-witness`,
            patientIndex: -1,
            patientId: witness.userId,
            ...slot,
            outcome: 'acknowledged',
            appointmentId: id,
            answeredBeforeKill: true,
            status: res.status,
            error: null,
          });
          return id;
        });
      }

      await stack.stop();
      running = undefined;
      const left = await removeAllTraces(undefined, groups, dataDir);
      expect(left, 'processes of the killed stacks still alive').toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
