import { z } from 'zod';
import { isLocalDate, isLocalTime, isValidTimeZone } from './zoned-time';

export const ZLocalDate = z.string().refine(isLocalDate, { message: 'expected a calendar date YYYY-MM-DD' });
export const ZLocalTime = z.string().refine(isLocalTime, { message: 'expected a wall time HH:MM' });
/** A window end may be "24:00" (the end of the day). */
export const ZLocalTimeOrEndOfDay = z.union([ZLocalTime, z.literal('24:00')]);
export const ZTimeZone = z.string().refine(isValidTimeZone, { message: 'expected an IANA time zone' });

export const ZOpeningInterval = z
  .object({ start: ZLocalTime, end: ZLocalTimeOrEndOfDay })
  .refine((interval) => interval.start < interval.end, {
    message: 'an opening interval must end after it starts',
  });
export type TOpeningInterval = z.infer<typeof ZOpeningInterval>;

/**
 * Opening hours per weekday in clinic-local wall time; keys 0 (Sunday) … 6 (Saturday), as Postgres
 * `extract(dow …)`. A missing or empty weekday means closed.
 */
export const ZOpeningHours = z.partialRecord(
  z.enum(['0', '1', '2', '3', '4', '5', '6']),
  z.array(ZOpeningInterval),
);
export type TOpeningHours = Partial<Record<0 | 1 | 2 | 3 | 4 | 5 | 6, readonly TOpeningInterval[]>>;

export const ZNamedRef = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  aliases: z.array(z.string().min(1)).optional(),
});
export type TServiceRef = z.infer<typeof ZNamedRef>;
export type TDentistRef = z.infer<typeof ZNamedRef>;

export const ZChatbotContext = z.object({
  now: z.date(),
  timeZone: ZTimeZone,
  openingHours: ZOpeningHours,
  services: z.array(ZNamedRef),
  dentists: z.array(ZNamedRef),
  /** How to read numeric dates such as 3/4: 'DMY' (UK, default) or 'MDY' (US). */
  dateOrder: z.enum(['DMY', 'MDY']).optional(),
  /** Days searched when the request names no date (asap, "a cleaning"). */
  searchDays: z.number().int().min(1).max(366).optional(),
});
export type TChatbotContext = {
  now: Date;
  timeZone: string;
  openingHours: TOpeningHours;
  services: readonly TServiceRef[];
  dentists: readonly TDentistRef[];
  dateOrder?: 'DMY' | 'MDY';
  searchDays?: number;
};

export const PART_OF_DAY = [
  'morning',
  'late_morning',
  'lunchtime',
  'afternoon',
  'early_afternoon',
  'late_afternoon',
  'evening',
  'after_work',
  'first_thing',
  'early',
  'late',
] as const;
export const ZPartOfDay = z.enum(PART_OF_DAY);
export type TPartOfDay = z.infer<typeof ZPartOfDay>;

export const CLARIFICATION_REASON = [
  'empty_input',
  'nothing_understood',
  'date_in_past',
  'invalid_date',
  'clinic_closed',
  'closed_for_today',
  'time_in_past',
  'outside_hours',
  'ambiguous_time',
  'unknown_dentist',
  'ambiguous_dentist',
] as const;
export const ZClarificationReason = z.enum(CLARIFICATION_REASON);
export type TClarificationReason = z.infer<typeof ZClarificationReason>;

export const ZChatbotQuery = z.object({
  utterance: z.string(),
  timeZone: ZTimeZone,
  service: z.object({ id: z.string(), name: z.string() }).nullable(),
  dentist: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('any') }),
      z.object({ kind: z.literal('named'), id: z.string(), name: z.string() }),
    ])
    .nullable(),
  /** Inclusive clinic-local days; null = no date given (search from now). */
  dateRange: z.object({ from: ZLocalDate, to: ZLocalDate }).nullable(),
  /** True when the day was not said but inferred (e.g. "at 3" → the next day 15:00 is open). */
  isDateInferred: z.boolean(),
  partOfDay: ZPartOfDay.nullable(),
  /** Clinic-local window [start, end) that slots must start in, already clipped to opening hours. */
  timeWindow: z.object({ start: ZLocalTime, end: ZLocalTimeOrEndOfDay }).nullable(),
  exactTime: ZLocalTime.nullable(),
  isAsap: z.boolean(),
  /** UTC envelope of what was asked (never before "now"). */
  searchWindow: z.object({ startsAt: z.iso.datetime(), endsAt: z.iso.datetime() }),
  /** UTC envelope of free slots to fetch for the reply: the request plus following days for alternatives. */
  fetchWindow: z.object({ startsAt: z.iso.datetime(), endsAt: z.iso.datetime() }),
  needsClarification: z.boolean(),
  clarification: z
    .object({
      reason: ZClarificationReason,
      message: z.string(),
      /** Readings to offer back, e.g. ["10:00", "22:00"] or dentist names. */
      options: z.array(z.string()),
    })
    .nullable(),
});
export type TChatbotQuery = z.infer<typeof ZChatbotQuery>;

/**
 * A bookable slot as the `available_slots` RPC returns it (lib/domain/appointments.ts `TAvailableSlot`;
 * PostgREST renders timestamptz as e.g. "2026-03-27T15:00:00+00:00"). Parse RPC results with this schema.
 */
export const ZFreeSlot = z.object({
  start: z.iso.datetime({ offset: true }),
  end: z.iso.datetime({ offset: true }),
  dentist_id: z.string(),
  dentist_name: z.string().optional(),
});
export type TFreeSlot = z.infer<typeof ZFreeSlot>;
