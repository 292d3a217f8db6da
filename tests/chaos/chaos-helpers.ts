/**
 * Shared plumbing for the chaos scenarios: scale and seed from the environment, a seeded random
 * source, supabase-js clients for any stack (the shared one or a child process), a bounded worker
 * pool, the closed-set check of RPC errors, and the SQL invariants every scenario ends with.
 *
 *   CHAOS_SCALE=long   scale every scenario up (`npm run chaos`)
 *   CHAOS_SEED=<n>     replay a run: the seed is printed at the start of every scenario
 */
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import WebSocket from 'ws';
import { DOMAIN_ERROR_CODES, DOMAIN_ERROR_SQLSTATE } from '@/lib/domain/errors';

export const IS_LONG_RUN = process.env.CHAOS_SCALE === 'long';

/** `ci` in the bounded default run (`npm test`), `long` under `npm run chaos`. */
export function scaled(ci: number, long: number): number {
  return IS_LONG_RUN ? long : ci;
}

/** Seeds stay below 2^31 so they survive being typed back into CHAOS_SEED unchanged. */
const MAX_SEED = 2 ** 31 - 1;

/** The bounded run's seed: `npm test` replays the same operations on every machine. */
const CI_DEFAULT_SEED = 20_261_207;

/**
 * The scenario's seed: CHAOS_SEED when set; else a fixed one in the bounded run (so CI is
 * reproducible) and a fresh one in long runs (so `npm run chaos` keeps exploring). Printed, so a
 * failing run can be replayed (the order and choice of operations replay exactly; the interleaving
 * is the machine's).
 */
export function chaosSeed(scenario: string): number {
  const fromEnv = process.env.CHAOS_SEED;
  const seed =
    fromEnv !== undefined && fromEnv.trim() !== ''
      ? Number(fromEnv)
      : IS_LONG_RUN
        ? Math.floor(Math.random() * MAX_SEED) + 1
        : CI_DEFAULT_SEED;
  if (!Number.isSafeInteger(seed)) throw new Error(`CHAOS_SEED must be an integer, got "${fromEnv}"`);
  console.log(
    `[chaos] ${scenario}: seed ${seed} (replay with CHAOS_SEED=${seed}), scale ${IS_LONG_RUN ? 'long' : 'ci'}`,
  );
  return seed;
}

export interface TRandom {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  pick<T>(list: readonly T[]): T;
  chance(p: number): boolean;
}

/** mulberry32: tiny, fast, and good enough to pick operations; the same seed gives the same stream. */
export function createRandom(seed: number): TRandom {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    pick: <T>(list: readonly T[]): T => {
      if (list.length === 0) throw new Error('pick from an empty list');
      return list[int(list.length)];
    },
    chance: (p: number) => next() < p,
  };
}

/** Where a stack answers: the shared test stack (`stackInfo()`) or a stack in a child process. */
export interface TStackTarget {
  apiUrl: string;
  anonKey: string;
}

export function clientFor(target: TStackTarget): SupabaseClient {
  return createClient(target.apiUrl, target.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    // Node 20 has no global WebSocket.
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket } as never,
  });
}

export interface TPatient {
  client: SupabaseClient;
  userId: string;
  email: string;
  password: string;
  accessToken: string;
}

export const CHAOS_PASSWORD = 'chaos-horse-battery';
/** Sign-ups hash with bcrypt on the server: a few at a time, it's the booking that races. */
const SIGN_UP_BATCH = 10;

/** `count` patients of the clinic, each signed up through the Auth API and signed in. */
export async function signUpPatients(
  target: TStackTarget,
  clinicId: string,
  count: number,
  namePrefix = 'Chaos patient',
): Promise<TPatient[]> {
  const patients: TPatient[] = [];
  for (let i = 0; i < count; i += SIGN_UP_BATCH) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(SIGN_UP_BATCH, count - i) }, async (_, j) => {
        const client = clientFor(target);
        const email = `chaos-${randomUUID().slice(0, 12)}@example.test`;
        const { data, error } = await client.auth.signUp({
          email,
          password: CHAOS_PASSWORD,
          options: { data: { clinic_id: clinicId, full_name: `${namePrefix} ${i + j}` } },
        });
        if (error || !data.session || !data.user)
          throw new Error(`sign-up failed: ${error?.message ?? 'no session'}`);
        return {
          client,
          userId: data.user.id,
          email,
          password: CHAOS_PASSWORD,
          accessToken: data.session.access_token,
        };
      }),
    );
    patients.push(...batch);
  }
  return patients;
}

/** Runs `count` tasks with at most `concurrency` in flight; results in task order. */
export async function runPool<T>(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let nextIndex = 0;
  const worker = async () => {
    while (nextIndex < count) {
      const index = nextIndex++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

/** The fields of a supabase-js RPC failure we judge. */
export interface TRpcFailure {
  code?: string;
  message?: string;
  details?: string | null;
}

const DOCUMENTED = new Set<string>(DOMAIN_ERROR_CODES);

/** True when the error is one of lib/domain/errors.ts's closed set (P0001 + a documented code). */
export function isDocumentedError(error: TRpcFailure): boolean {
  return error.code === DOMAIN_ERROR_SQLSTATE && DOCUMENTED.has(error.message ?? '');
}

/** One line for a failure report: HTTP status, SQLSTATE and message. */
export function describeFailure(status: number, error: TRpcFailure): string {
  return `${status} ${error.code ?? '?'} ${error.message ?? ''}${error.details ? ` (${error.details})` : ''}`;
}

/** Statuses that occupy the chair (private.is_blocking_status in the migrations). */
export const BLOCKING_STATUSES = ['scheduled', 'confirmed', 'checked_in', 'in_chair', 'completed'] as const;

/**
 * Everything that must hold for the dentists' calendars, whatever happened before, as readable
 * lines (empty = fine):
 *   - no two active appointments of one dentist overlap, buffers included;
 *   - each appointment's derived columns match its period and buffers;
 *   - no two unexpired holds of one dentist overlap, and a hold never overlaps an active
 *     appointment of anyone but its holder (a holder's own hold may sit under the visit it became);
 *   - each hold's derived columns match its period.
 */
export async function findCalendarViolations(db: pg.Client, dentistIds: string[]): Promise<string[]> {
  const blocking = `array[${BLOCKING_STATUSES.map((s) => `'${s}'`).join(', ')}]::public.appointment_status[]`;
  const checks: Array<{ what: string; sql: string }> = [
    {
      what: 'overlapping active appointments',
      sql: `select a.id || ' overlaps ' || b.id || ' (' || a.blocked_period || ' / ' || b.blocked_period || ')' as line
            from public.appointments a
            join public.appointments b on a.dentist_id = b.dentist_id and a.id < b.id and a.blocked_period && b.blocked_period
            where a.dentist_id = any($1::uuid[]) and a.status = any(${blocking}) and b.status = any(${blocking})`,
    },
    {
      what: 'appointment with inconsistent derived columns',
      sql: `select a.id || ': ' || a.period || ' / ' || a.blocked_period as line
            from public.appointments a
            where a.dentist_id = any($1::uuid[])
              and (a.starts_at <> lower(a.period) or a.ends_at <> upper(a.period)
                or a.blocked_period <> tstzrange(lower(a.period) - make_interval(mins => a.buffer_before_minutes),
                                                 upper(a.period) + make_interval(mins => a.buffer_after_minutes), '[)'))`,
    },
    {
      what: 'overlapping unexpired holds',
      sql: `select h.id || ' overlaps ' || k.id as line
            from public.slot_holds h
            join public.slot_holds k on h.dentist_id = k.dentist_id and h.id < k.id and h.blocked_period && k.blocked_period
            where h.dentist_id = any($1::uuid[]) and h.expires_at > now() and k.expires_at > now()`,
    },
    {
      what: 'unexpired hold over someone else’s active appointment',
      sql: `select h.id || ' (held by ' || h.held_by || ') over ' || a.id || ' (patient ' || a.patient_id || ')' as line
            from public.slot_holds h
            join public.appointments a on a.dentist_id = h.dentist_id and a.blocked_period && h.blocked_period
            where h.dentist_id = any($1::uuid[]) and h.expires_at > now()
              and a.status = any(${blocking}) and a.patient_id <> h.held_by`,
    },
    {
      what: 'hold with inconsistent derived columns',
      sql: `select h.id || ': ' || h.period as line
            from public.slot_holds h
            where h.dentist_id = any($1::uuid[])
              and (h.starts_at <> lower(h.period) or h.ends_at <> upper(h.period) or not h.blocked_period @> h.period)`,
    },
  ];
  const violations: string[] = [];
  for (const check of checks) {
    const res = await db.query<{ line: string }>(check.sql, [dentistIds]);
    violations.push(...res.rows.map((r) => `${check.what}: ${r.line}`));
  }
  return violations;
}
