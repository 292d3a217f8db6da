/**
 * Scenario 4: available_slots latency through supabase-js as the anonymous chatbot would call it,
 * at two sizes: one dentist × 14 days and any of 20 dentists × 30 days, with a third of the slots
 * already booked so the engine has appointments to subtract.
 */
import pg from 'pg';
import { benchClient } from '../lib/clients';
import { createBenchClinic } from '../lib/clinic-fixture';
import { summarize } from '../lib/stats';
import type { Scenario, ScenarioRow } from '../lib/types';

export const availableSlots: Scenario = {
  id: 'available-slots',
  title: 'available_slots latency (anon, supabase-js)',
  budgetMs: 90_000,
  async run({ stack, quick }) {
    const db = new pg.Client({ connectionString: stack.dbUrl });
    await db.connect();
    try {
      const clinic = await createBenchClinic(db, stack, { dentists: 20, patients: 1 });
      // Book every third 30-minute slot of the next 30 days for every dentist (plain SQL, as staff would).
      await db.query(
        `insert into public.appointments (clinic_id, dentist_id, patient_id, service_id, period, buffer_before_minutes, buffer_after_minutes, blocked_period, status, source, created_by)
         select $1, d, $2, $3, tstzrange(st, st + interval '30 minutes', '[)'), 0, 0, tstzrange(st, st + interval '30 minutes', '[)'), 'scheduled', 'staff', $2
         from unnest($4::uuid[]) d
         cross join generate_series(1, 30) day
         cross join lateral (select (((now() at time zone $5)::date + day) + t) at time zone $5 as st
                             from generate_series(0, 5) i, lateral (select time '09:00' + i * interval '90 minutes' as t) tt) s`,
        [clinic.clinicId, clinic.patients[0].userId, clinic.serviceId, clinic.dentistIds, clinic.timezone],
      );
      const anon = benchClient(stack);
      const from = new Date(Date.now() + 3600_000).toISOString();
      const cases = [
        { variant: '1 dentist × 14 days', dentist: clinic.dentistIds[0], days: 14, target: 5 },
        { variant: '20 dentists × 30 days', dentist: null, days: 30, target: 50 },
      ];
      const rows: ScenarioRow[] = [];
      const targets: string[] = [];
      for (const c of cases) {
        const to = new Date(Date.parse(from) + c.days * 86400_000).toISOString();
        const args = {
          p_clinic_id: clinic.clinicId,
          p_service_id: clinic.serviceId,
          p_dentist_id: c.dentist,
          p_from: from,
          p_to: to,
        };
        let slotCount = 0;
        for (let i = 0; i < 20; i++) await anon.rpc('available_slots', args);
        const latencies: number[] = [];
        const calls = quick ? 50 : 200;
        for (let i = 0; i < calls; i++) {
          const t0 = performance.now();
          const { data, error } = await anon.rpc('available_slots', args);
          latencies.push(performance.now() - t0);
          if (error) throw new Error(`available_slots failed: ${error.message}`);
          slotCount = (data as unknown[]).length;
        }
        const s = summarize(latencies);
        rows.push({
          system: 'ours: available_slots RPC',
          variant: c.variant,
          metrics: { slots: slotCount, calls, 'p50 ms': s.p50, 'p95 ms': s.p95, 'p99 ms': s.p99 },
        });
        targets.push(
          `${c.variant}: p50 ≤ ${c.target} ms: ${s.p50 <= c.target ? 'met' : 'MISSED'} (${s.p50} ms)`,
        );
      }
      return {
        rows,
        targets,
        notes: ['Latency includes the HTTP round trip and JSON encoding through the local REST API.'],
      };
    } finally {
      await db.end();
    }
  },
};
