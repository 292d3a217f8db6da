/**
 * Scheduling errors raised by the database RPCs, and the one mapper the UI uses.
 *
 * Convention (supabase/migrations/*_create_clinics_and_profiles.sql, `private.fail`): every
 * business-rule failure is
 *
 *   raise exception using errcode = 'P0001', message = '<code>', detail = '<sentence for people>';
 *
 * PostgREST answers such an error with HTTP 400 and the body
 * `{ "code": "P0001", "message": "<code>", "details": "<sentence>", "hint": null }`, which
 * supabase-js exposes as `error.code === 'P0001'`, `error.message === '<code>'`. Anything else
 * (permission denied 42501 for anon on member-only RPCs, network failures, 5xx) maps to a generic code.
 */
import { z } from 'zod';

/** Codes raised by the SQL (closed set; keep in sync with the migrations). */
export const DOMAIN_ERROR_CODES = [
  'slot_taken',
  'outside_availability',
  'too_soon',
  'in_past',
  'beyond_horizon',
  'hold_expired',
  'not_allowed',
  'invalid_transition',
  'stale_version',
  'not_found',
  'invalid_input',
  'overlapping_booking',
  'booking_limit_reached',
  'status_too_early',
  'overlapping_hours',
] as const;

export type TDomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

/** Codes the client adds for failures that did not come from a domain rule. */
export const CLIENT_ERROR_CODES = ['sign_in_required', 'unexpected'] as const;
export type TClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

export type TSchedulingErrorCode = TDomainErrorCode | TClientErrorCode;

/** SQLSTATE every domain error is raised with. */
export const DOMAIN_ERROR_SQLSTATE = 'P0001';

/** Messages for patients and receptionists. The SQL DETAIL may be more specific; these always fit. */
export const SCHEDULING_ERROR_MESSAGES: Record<TSchedulingErrorCode, string> = {
  slot_taken: 'Sorry, someone else just took that time. Please pick another one.',
  outside_availability: 'The dentist is not working at that time. Please pick one of the offered times.',
  too_soon: 'That time is too soon to book online. Please pick a later time or call the clinic.',
  in_past: 'That time has already passed. Please pick a later time.',
  beyond_horizon: 'That date is too far ahead to book yet. Please pick an earlier date.',
  hold_expired: 'Your reservation of this time ran out. Please choose the time again.',
  not_allowed: 'You are not allowed to do that.',
  invalid_transition: 'The appointment cannot change to that status from where it is now.',
  stale_version: 'This appointment was changed by someone else. Please reload and try again.',
  not_found: 'We could not find that. It may have been removed.',
  invalid_input: 'Some of the details are missing or invalid. Please check and try again.',
  overlapping_booking:
    'You already have an appointment at that time. Please pick a time that does not overlap it.',
  booking_limit_reached:
    'You have reached the number of upcoming appointments you can book online. Please call the clinic to book more.',
  status_too_early: 'It is too early for that: the visit has not started (or is not close enough) yet.',
  overlapping_hours:
    'Two working windows on the same day overlap. Please make them end before the next one starts.',
  sign_in_required: 'Please sign in to continue.',
  unexpected: 'Something went wrong on our side. Please try again.',
};

/** The fields of a PostgrestError (or anything shaped like one) we read. */
const ZPostgrestErrorLike = z.object({
  code: z.string().optional(),
  message: z.string().optional(),
  details: z.string().nullable().optional(),
});

export interface TSchedulingError {
  code: TSchedulingErrorCode;
  /** What to show: the database's sentence when it sent one for a domain code, else the generic message. */
  message: string;
}

const isDomainCode = (value: string): value is TDomainErrorCode =>
  (DOMAIN_ERROR_CODES as readonly string[]).includes(value);

/** Maps an error returned by `supabase.rpc(...)` to a stable code and a message for people. */
export function toSchedulingError(error: unknown): TSchedulingError {
  const parsed = ZPostgrestErrorLike.safeParse(error);
  if (!parsed.success) return { code: 'unexpected', message: SCHEDULING_ERROR_MESSAGES.unexpected };
  const { code, message, details } = parsed.data;
  if (code === DOMAIN_ERROR_SQLSTATE && message && isDomainCode(message)) {
    return { code: message, message: details?.trim() || SCHEDULING_ERROR_MESSAGES[message] };
  }
  // 42501: a function or table the caller's role may not use (e.g. anon calling book_appointment).
  if (code === '42501' || code === 'PGRST301' || code === 'PGRST303') {
    return { code: 'sign_in_required', message: SCHEDULING_ERROR_MESSAGES.sign_in_required };
  }
  return { code: 'unexpected', message: SCHEDULING_ERROR_MESSAGES.unexpected };
}
