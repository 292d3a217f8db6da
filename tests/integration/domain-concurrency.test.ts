/**
 * Races through the real REST API with signed-in patients: many clients for one slot, and a storm
 * of random bookings, reschedules and cancellations, checked afterwards in SQL.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import { DOMAIN_ERROR_CODES } from '@/lib/domain/errors';
import { signedInClient, withDb } from '../helpers/stack';
import { addMinutes, createWorld, localInstant, type TWorld } from './domain-fixtures';

const RACERS = 50;
const STORM_OPERATIONS = 300;
const STORM_PATIENTS = 20;
/** Dozens of sign-ups (bcrypt) come first; the races themselves take a fraction of this. */
const LONG_TEST_MS = 120_000;

async function signUpPatients(
  w: TWorld,
  count: number,
): Promise<Array<{ client: SupabaseClient; userId: string }>> {
  const patients: Array<{ client: SupabaseClient; userId: string }> = [];
  // Sign-ups in small batches: it is the booking that races, not the sign-up.
  for (let i = 0; i < count; i += 10) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, count - i) }, (_, j) =>
        signedInClient({ data: { clinic_id: w.clinicId, full_name: `Racer ${i + j}` } }),
      ),
    );
    patients.push(...batch.map((b) => ({ client: b.client, userId: b.userId })));
  }
  return patients;
}

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('concurrency', () => {
  it(
    `${RACERS} patients racing for one slot: exactly one wins, the others get slot_taken`,
    async () => {
      const w = await withDb((db) => createWorld(db));
      const start = await withDb((db) => localInstant(db, w.timezone, 5, '11:00'));
      const patients = await signUpPatients(w, RACERS);

      const results = await Promise.all(
        patients.map((p) =>
          p.client.rpc('book_appointment', {
            p_dentist_id: w.dentist.dentistId,
            p_service_id: w.checkupId,
            p_starts_at: start,
          }),
        ),
      );
      const winners = results.filter((r) => r.error === null);
      const losers = results.filter((r) => r.error !== null);
      expect(winners).toHaveLength(1);
      expect(losers.map((r) => r.error?.message)).toEqual(Array(RACERS - 1).fill('slot_taken'));
      expect(new Set(losers.map((r) => r.status))).toEqual(new Set([400]));

      const rows = await withDb((db) =>
        db.query('select count(*)::int as n from public.appointments where dentist_id = $1', [
          w.dentist.dentistId,
        ]),
      );
      expect(rows.rows[0].n).toBe(1);
    },
    LONG_TEST_MS,
  );

  it(
    `${STORM_OPERATIONS} random concurrent bookings, reschedules and cancellations leave no overlapping active appointments`,
    async () => {
      const w = await withDb((db) => createWorld(db));
      // A crowded target: two days, starts every 15 minutes between 09:00 and 12:00, two services
      // (30 + 10 min buffer, 60 with 5 + 10) so neighbouring starts collide through their buffers.
      const dayStarts = await withDb(async (db) => [
        await localInstant(db, w.timezone, 6, '09:00'),
        await localInstant(db, w.timezone, 7, '09:00'),
      ]);
      const starts = dayStarts.flatMap((d) => Array.from({ length: 12 }, (_, i) => addMinutes(d, i * 15)));
      const patients = await signUpPatients(w, STORM_PATIENTS);
      const random = seeded(20261122);
      const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
      const booked: Array<{ id: string; client: SupabaseClient }> = [];

      const outcomes = await Promise.all(
        Array.from({ length: STORM_OPERATIONS }, async (_, i) => {
          const p = pick(patients);
          const kind = i < 60 ? 'book' : pick(['book', 'book', 'reschedule', 'cancel'] as const);
          if (kind !== 'book' && booked.length > 0) {
            const target = pick(booked);
            const res =
              kind === 'cancel'
                ? await target.client.rpc('cancel_appointment', { p_appointment_id: target.id })
                : await target.client.rpc('reschedule_appointment', {
                    p_appointment_id: target.id,
                    p_starts_at: pick(starts),
                  });
            return res.error;
          }
          const res = await p.client.rpc('book_appointment', {
            p_dentist_id: w.dentist.dentistId,
            p_service_id: random() < 0.5 ? w.checkupId : w.fillingId,
            p_starts_at: pick(starts),
          });
          if (!res.error) booked.push({ id: (res.data as { id: string }).id, client: p.client });
          return res.error;
        }),
      );

      // Every failure is a domain answer (never a deadlock, a constraint leak or a 500).
      const allowed = new Set<string>(DOMAIN_ERROR_CODES);
      for (const error of outcomes) {
        if (error) expect(allowed.has(error.message), `${error.code} ${error.message}`).toBe(true);
      }
      expect(booked.length).toBeGreaterThan(0);

      const overlaps = await withDb((db) =>
        db.query<{ n: number }>(
          `select count(*)::int as n
         from public.appointments a
         join public.appointments b on a.dentist_id = b.dentist_id and a.id < b.id and a.blocked_period && b.blocked_period
         where a.dentist_id = $1
           and a.status in ('scheduled', 'confirmed', 'checked_in', 'in_chair', 'completed')
           and b.status in ('scheduled', 'confirmed', 'checked_in', 'in_chair', 'completed')`,
          [w.dentist.dentistId],
        ),
      );
      expect(overlaps.rows[0].n).toBe(0);
      const active = await withDb((db) =>
        db.query<{ n: number }>(
          `select count(*)::int as n from public.appointments where dentist_id = $1 and status = 'scheduled'`,
          [w.dentist.dentistId],
        ),
      );
      expect(active.rows[0].n).toBeGreaterThan(0);
    },
    LONG_TEST_MS,
  );
});
