/**
 * The one result style of lib/data: every function resolves to `{ ok: true, data }` or
 * `{ ok: false, error }` and never throws for a database answer. Callers decide what a failure means
 * for them (a page throws, a hook shows a message, an ops route answers 503) without parsing
 * PostgREST errors themselves.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { z } from 'zod';
import { SCHEDULING_ERROR_MESSAGES, toSchedulingError, type TSchedulingError } from '@/lib/domain/errors';
import type { Database } from './database.types';

/** The app's client, typed with the generated schema. */
export type TDb = SupabaseClient<Database>;

/**
 * A failed call: the domain code and message for people (lib/domain/errors.ts), plus what callers
 * with their own mapping need: the SQLSTATE (constraint violations) and the HTTP status (outages).
 * `detail` is the raw database message, for server logs only, never for people.
 */
export interface TDataError extends TSchedulingError {
  /** 'request': the database or network refused; 'shape': the answer broke the contract (our bug). */
  kind: 'request' | 'shape';
  sqlstate: string | null;
  status: number;
  detail: string;
}

export type TDataResult<T> = { ok: true; data: T } | { ok: false; error: TDataError };

/** What a PostgREST builder resolves to, as far as this layer reads it. */
interface TPostgrestAnswer {
  data: unknown;
  error: { code?: string; message: string; details?: string | null } | null;
  status: number;
  count?: number | null;
}

export function toDataError(
  error: { code?: string; message: string; details?: string | null },
  status: number,
): TDataError {
  return {
    ...toSchedulingError(error),
    kind: 'request',
    sqlstate: error.code || null,
    status,
    detail: error.message,
  };
}

/** A response whose payload did not match the contract: our bug, reported as `unexpected`. */
export function unexpectedShape(status: number, issue: string): TDataError {
  return {
    code: 'unexpected',
    message: SCHEDULING_ERROR_MESSAGES.unexpected,
    kind: 'shape',
    sqlstate: null,
    status,
    detail: `unexpected response shape: ${issue}`,
  };
}

/** Maps an answer to the result style, parsing the payload with the function's one schema. */
export function toResult<T>(answer: TPostgrestAnswer, schema: z.ZodType<T>): TDataResult<T> {
  if (answer.error) return { ok: false, error: toDataError(answer.error, answer.status) };
  const parsed = schema.safeParse(answer.data);
  if (!parsed.success) return { ok: false, error: unexpectedShape(answer.status, parsed.error.message) };
  return { ok: true, data: parsed.data };
}

/** For writes and head-only counts: success carries no rows. */
export function toVoidResult(answer: TPostgrestAnswer): TDataResult<void> {
  if (answer.error) return { ok: false, error: toDataError(answer.error, answer.status) };
  return { ok: true, data: undefined };
}

/** For `count: 'exact', head: true` queries. */
export function toCountResult(answer: TPostgrestAnswer): TDataResult<number> {
  if (answer.error) return { ok: false, error: toDataError(answer.error, answer.status) };
  return { ok: true, data: answer.count ?? 0 };
}
