/**
 * The 50-way race: fifty signed-in patients ask for the same start time at the same moment, through
 * supabase-js and the REST API, round after round. Rounds alternate between book_appointment,
 * hold_slot and a mix of both (each racer with a random one of two services, so the contested
 * periods differ but all overlap). Every round must have exactly one winner; every loser gets the
 * documented `slot_taken` (HTTP 400, P0001) and nothing else; SQL shows no overlap afterwards.
 */
import { describe, expect, it } from 'vitest';
import { stackInfo, withDb } from '../helpers/stack';
import { addMinutes, createWorld, localInstant } from '../integration/domain-fixtures';
import {
  chaosSeed,
  createRandom,
  describeFailure,
  findCalendarViolations,
  scaled,
  signUpPatients,
  type TPatient,
} from './chaos-helpers';

const RACERS = 50;
const ROUNDS = scaled(3, 24);
const ROUND_KINDS = ['book', 'hold', 'mixed'] as const;
type TRoundKind = (typeof ROUND_KINDS)[number];
/** Candidate starts: 09:00 … 16:00 every 15 minutes, on days 3 … 30 ahead (inside the horizon). */
const FIRST_DAY_AHEAD = 3;
const DAYS = 28;
const STARTS_PER_DAY = 29;

interface TRaceResult {
  patient: TPatient;
  action: 'book' | 'hold';
  id: string | null;
  status: number;
  error: { code?: string; message?: string; details?: string | null } | null;
}

describe('same-slot race', () => {
  it(`${RACERS} patients race for one slot, ${ROUNDS} rounds: one winner, ${RACERS - 1} × slot_taken, no overlap`, async () => {
    const seed = chaosSeed('same-slot-race');
    const random = createRandom(seed);
    const w = await withDb((db) => createWorld(db));
    const services = [w.checkupId, w.fillingId];
    const patients = await signUpPatients(stackInfo(), w.clinicId, RACERS, 'Racer');
    const usedStarts = new Set<string>();

    for (let round = 0; round < ROUNDS; round++) {
      const kind: TRoundKind = ROUND_KINDS[round % ROUND_KINDS.length];
      // A fresh start every round, so earlier winners' (cancelled) visits never matter.
      let start: string;
      do {
        const day = await withDb((db) =>
          localInstant(db, w.timezone, FIRST_DAY_AHEAD + random.int(DAYS), '09:00'),
        );
        start = addMinutes(day, 15 * random.int(STARTS_PER_DAY));
      } while (usedStarts.has(start));
      usedStarts.add(start);
      const plan = patients.map((patient) => ({
        patient,
        action: kind === 'mixed' ? random.pick(['book', 'hold'] as const) : kind,
        serviceId: kind === 'mixed' ? random.pick(services) : w.checkupId,
      }));
      const context = `seed ${seed}, round ${round} (${kind}) at ${start}`;

      const results: TRaceResult[] = await Promise.all(
        plan.map(async ({ patient, action, serviceId }) => {
          const args = { p_dentist_id: w.dentist.dentistId, p_service_id: serviceId, p_starts_at: start };
          const res = await patient.client.rpc(action === 'book' ? 'book_appointment' : 'hold_slot', args);
          const row = res.data as { id?: string } | null;
          return { patient, action, id: row?.id ?? null, status: res.status, error: res.error };
        }),
      );

      const winners = results.filter((r) => r.error === null);
      const unexpected = results
        .filter((r) => r.error !== null)
        .filter((r) => !(r.status === 400 && r.error?.code === 'P0001' && r.error.message === 'slot_taken'))
        .map((r) => `${r.action}: ${describeFailure(r.status, r.error ?? {})}`);
      expect(unexpected, context).toEqual([]);
      expect(winners.length, context).toBe(1);
      const winner = winners[0];
      expect(winner.id, context).toBeTruthy();

      await withDb(async (db) => {
        expect(await findCalendarViolations(db, [w.dentist.dentistId]), context).toEqual([]);
        // The contested start is occupied by the winner alone: one active appointment or one hold.
        const occupants = await db.query<{ id: string; holder: string }>(
          `select id, patient_id as holder from public.appointments
            where dentist_id = $1 and starts_at = $2 and status = 'scheduled'
           union all
           select id, held_by from public.slot_holds
            where dentist_id = $1 and starts_at = $2 and expires_at > now()`,
          [w.dentist.dentistId, start],
        );
        expect(occupants.rows, context).toEqual([{ id: winner.id, holder: winner.patient.userId }]);
      });

      // Clean up as a patient would, so the next round's racers start equal (no lingering hold or
      // future booking counts against the winner).
      const cleanup =
        winner.action === 'book'
          ? await winner.patient.client.rpc('cancel_appointment', { p_appointment_id: winner.id })
          : await winner.patient.client.rpc('release_hold', { p_hold_id: winner.id });
      expect(cleanup.error, context).toBeNull();
    }
  });
});
