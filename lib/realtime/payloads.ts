/**
 * Every payload shape the realtime views receive, in one place.
 *
 * The database's trigger payloads (realtime.send from supabase/migrations/*_create_realtime_topics.sql) are
 * defined once in lib/domain/realtime.ts next to the topic and event names shared with the SQL; this file
 * re-exports them and adds what wraps them on the wire: the broadcast message supabase-js hands to
 * `.on('broadcast', …)` callbacks, and the `realtime.broadcast_changes` envelope for tables that use it.
 */
import { z } from 'zod';
import {
  REALTIME_EVENTS,
  ZAppointmentChanged,
  ZAvailabilityChanged,
  ZHoldChanged,
  ZSlotsChanged,
  type TAppointmentChanged,
  type TAvailabilityChanged,
  type THoldChanged,
  type TSlotsChanged,
} from '@/lib/domain/realtime';

export {
  REALTIME_EVENTS,
  ZAppointmentChanged,
  ZAvailabilityChanged,
  ZHoldChanged,
  ZSlotsChanged,
  topics,
} from '@/lib/domain/realtime';
export type {
  TAppointmentChanged,
  TAvailabilityChanged,
  THoldChanged,
  TSlotsChanged,
} from '@/lib/domain/realtime';

export const ZOperation = z.enum(['INSERT', 'UPDATE', 'DELETE']);
export type TOperation = z.infer<typeof ZOperation>;

/** What supabase-js passes to a broadcast listener: `{ type, event, payload, meta? }`. */
export const ZBroadcastMessage = z.object({
  type: z.literal('broadcast').optional(),
  event: z.string().min(1),
  payload: z.unknown(),
  meta: z.looseObject({ id: z.string().optional(), replayed: z.boolean().optional() }).optional(),
});
export type TBroadcastMessage = z.infer<typeof ZBroadcastMessage>;

/**
 * The payload `realtime.broadcast_changes(topic, event, TG_OP, TG_TABLE_NAME, TG_TABLE_SCHEMA, NEW, OLD)`
 * produces: `{schema, table, operation, record, old_record}` plus the `id` realtime.send adds. `record` is
 * null on DELETE and `old_record` null on INSERT.
 */
export function broadcastChangesEnvelope<TRecord extends z.ZodType>(record: TRecord) {
  return z.object({
    schema: z.string(),
    table: z.string(),
    operation: ZOperation,
    record: record.nullable(),
    old_record: record.nullable(),
    id: z.string().optional(),
  });
}

export type TScheduleEvent =
  | { event: typeof REALTIME_EVENTS.appointmentChanged; payload: TAppointmentChanged }
  | { event: typeof REALTIME_EVENTS.holdChanged; payload: THoldChanged }
  | { event: typeof REALTIME_EVENTS.availabilityChanged; payload: TAvailabilityChanged }
  | { event: typeof REALTIME_EVENTS.slotsChanged; payload: TSlotsChanged };

export const PAYLOAD_ERROR_CODES = ['invalid_message', 'unknown_event', 'invalid_payload'] as const;
export type TPayloadErrorCode = (typeof PAYLOAD_ERROR_CODES)[number];

export type TParsedScheduleMessage =
  ({ ok: true } & TScheduleEvent) | { ok: false; code: TPayloadErrorCode; event: string | null };

const PAYLOAD_SCHEMAS = {
  [REALTIME_EVENTS.appointmentChanged]: ZAppointmentChanged,
  [REALTIME_EVENTS.holdChanged]: ZHoldChanged,
  [REALTIME_EVENTS.availabilityChanged]: ZAvailabilityChanged,
  [REALTIME_EVENTS.slotsChanged]: ZSlotsChanged,
} as const;

function isKnownEvent(event: string): event is keyof typeof PAYLOAD_SCHEMAS {
  return Object.hasOwn(PAYLOAD_SCHEMAS, event);
}

/**
 * Validates a broadcast message from a schedule or availability topic. Never throws: a bad message is a
 * reason to re-fetch, not to crash a view.
 */
export function parseScheduleMessage(message: unknown): TParsedScheduleMessage {
  const envelope = ZBroadcastMessage.safeParse(message);
  if (!envelope.success) return { ok: false, code: 'invalid_message', event: null };
  const { event, payload } = envelope.data;
  if (!isKnownEvent(event)) return { ok: false, code: 'unknown_event', event };
  const parsed = PAYLOAD_SCHEMAS[event].safeParse(payload);
  if (!parsed.success) return { ok: false, code: 'invalid_payload', event };
  return { ok: true, event, payload: parsed.data } as TParsedScheduleMessage;
}
