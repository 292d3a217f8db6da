/**
 * zod schemas for every channel payload a client can send. Booleans are "flexible" as on hosted
 * Realtime (true/false, "true"/"false", 1/0), and unknown keys are kept: realtime-js adds fields over
 * time (`version`, `postgres_changes_options`, `persist`) and the join reply must echo bindings as sent.
 */
import { z } from 'zod';

const ZFlexBool = z
  .union([
    z.boolean(),
    z.literal('true'),
    z.literal('false'),
    z.literal(1),
    z.literal(0),
    z.literal('1'),
    z.literal('0'),
    z.null(),
  ])
  .transform((v) => v === true || v === 'true' || v === 1 || v === '1');

export const ZPgChangeBindingInput = z
  .object({
    event: z.string(),
    schema: z.string(),
    table: z.string().nullish(),
    filter: z.string().nullish(),
    select: z.array(z.string()).nullish(),
  })
  .passthrough();
export type TPgChangeBindingInput = z.infer<typeof ZPgChangeBindingInput>;

export const ZJoinPayload = z
  .object({
    config: z
      .object({
        broadcast: z
          .object({
            self: ZFlexBool.optional(),
            ack: ZFlexBool.optional(),
            replay: z
              .object({ since: z.number(), limit: z.number().int().positive().optional() })
              .passthrough()
              .nullish(),
            replication_ready: ZFlexBool.optional(),
          })
          .passthrough()
          .nullish(),
        presence: z
          .object({
            key: z.union([z.string(), z.number()]).nullish(),
            enabled: ZFlexBool.optional(),
          })
          .passthrough()
          .nullish(),
        postgres_changes: z.array(ZPgChangeBindingInput).nullish(),
        private: ZFlexBool.optional(),
      })
      .passthrough()
      .nullish(),
    access_token: z.string().nullish(),
    user_token: z.string().nullish(),
  })
  .passthrough();
export type TJoinPayload = z.infer<typeof ZJoinPayload>;

export const ZBroadcastPayload = z
  .object({ type: z.string().optional(), event: z.string(), payload: z.unknown().optional() })
  .passthrough();

export const ZPresencePayload = z
  .object({ type: z.string().optional(), event: z.string(), payload: z.unknown().optional() })
  .passthrough();

/** A tracked presence meta must be a JSON object (hosted: "Presence track payload must be a map"). */
export const ZPresenceMeta = z.record(z.string(), z.unknown());

export const ZAccessTokenPayload = z.object({ access_token: z.string().nullish() }).passthrough();

/** REST: POST /api/broadcast */
export const ZBatchBroadcastBody = z.object({
  messages: z.array(
    z
      .object({
        topic: z.string().min(1),
        event: z.string().min(1),
        payload: z.unknown().optional(),
        private: ZFlexBool.optional(),
      })
      .passthrough(),
  ),
});
