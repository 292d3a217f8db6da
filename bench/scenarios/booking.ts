/**
 * Scenario 3: booking throughput and contention through the real API path (supabase-js →
 * REST → book_appointment with its triggers: activity log + realtime broadcasts).
 *  - throughput: 16 concurrent patients booking distinct free slots for a fixed time.
 *  - contention: rounds of 50 patients racing for the same 2 slots; exactly 2 may win per round.
 * After both: zero overlapping active appointments, checked in SQL.
 */
import pg from 'pg';
import { benchClient } from '../lib/clients';
import { countOverlaps, createBenchClinic, slotStarts } from '../lib/clinic-fixture';
import { summarize } from '../lib/stats';
import type { Scenario, ScenarioRow } from '../lib/types';

export const booking: Scenario = {
  id: 'booking',
  title: 'Booking throughput and contention (book_appointment through supabase-js, triggers on)',
  budgetMs: 120_000,
  async run({ stack, quick, log }) {
    const db = new pg.Client({ connectionString: stack.dbUrl });
    await db.connect();
    try {
      const clinic = await createBenchClinic(db, stack, { dentists: 20, patients: 400 });
      const clients = clinic.patients.map((p) => benchClient(stack, stack.anonKey, p.token));
      const starts = await slotStarts(db, clinic.timezone, 60);
      const rows: ScenarioRow[] = [];

      // ── throughput
      // Round-robin over dentists, as many patients booking across a clinic do (bookings for one
      // dentist serialise on that dentist's row lock by design). The last two dentists are kept free
      // for the contention phase.
      const bookable = clinic.dentistIds.slice(0, -2);
      const slots = starts.flatMap((s) => bookable.map((d) => ({ dentist: d, start: s })));
      let next = 0;
      let ok = 0;
      const errors = new Map<string, number>();
      const latencies: number[] = [];
      const durationMs = quick ? 3_000 : 10_000;
      const end = Date.now() + durationMs;
      await Promise.all(
        Array.from({ length: 16 }, async (_, w) => {
          while (Date.now() < end && next < slots.length) {
            const slot = slots[next++];
            const client = clients[(w * 25 + next) % clients.length];
            const t0 = performance.now();
            const { error } = await client.rpc('book_appointment', {
              p_dentist_id: slot.dentist,
              p_service_id: clinic.serviceId,
              p_starts_at: slot.start,
            });
            latencies.push(performance.now() - t0);
            if (error) errors.set(error.message, (errors.get(error.message) ?? 0) + 1);
            else ok++;
          }
        }),
      );
      const s = summarize(latencies);
      rows.push({
        system: 'ours: book_appointment RPC',
        variant: '16 concurrent, distinct slots',
        metrics: {
          'bookings/s': Math.round(ok / (durationMs / 1000)),
          booked: ok,
          errors: [...errors.values()].reduce((a, b) => a + b, 0),
          'p50 ms': s.p50,
          'p99 ms': s.p99,
        },
      });
      log(`throughput: ${ok} booked, errors ${JSON.stringify([...errors])}`);

      // ── contention
      const rounds = quick ? 5 : 20;
      const racers = 50;
      let won = 0;
      let taken = 0;
      let other = 0;
      const raceLatencies: number[] = [];
      const contested = clinic.dentistIds.slice(-2); // untouched by the throughput phase
      const contestedStarts = starts.slice(0, rounds);
      for (let round = 0; round < rounds; round++) {
        await Promise.all(
          Array.from({ length: racers }, async (_, i) => {
            const t0 = performance.now();
            const { error } = await clients[(round * racers + i) % clients.length].rpc('book_appointment', {
              p_dentist_id: contested[i % 2],
              p_service_id: clinic.serviceId,
              p_starts_at: contestedStarts[round],
            });
            raceLatencies.push(performance.now() - t0);
            if (!error) won++;
            else if (error.message === 'slot_taken') taken++;
            else other++;
          }),
        );
      }
      const overlaps = await countOverlaps(db, clinic.clinicId);
      const r = summarize(raceLatencies);
      rows.push({
        system: 'ours: book_appointment RPC',
        variant: `${rounds} rounds × ${racers} racers for 2 slots`,
        metrics: {
          won,
          'expected winners': rounds * 2,
          slot_taken: taken,
          'other errors': other,
          overlaps,
          'p50 ms': r.p50,
          'p99 ms': r.p99,
        },
      });
      const rate = Number(rows[0].metrics['bookings/s']);
      return {
        rows,
        targets: [
          `≥ 300 bookings/s: ${rate >= 300 ? 'met' : 'MISSED'} (${rate}/s)`,
          `contention: exactly one winner per slot and zero overlaps: ${won === rounds * 2 && overlaps === 0 && other === 0 ? 'met' : 'MISSED'}`,
        ],
      };
    } finally {
      await db.end();
    }
  },
};
