/**
 * Request bodies: bounded read, JSON parse, shape check with zod (PGRST102 on failure).
 */
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { BodyTooLargeError, readBody } from '../http';
import { Errors } from './errors';

/** Bodies larger than this are refused with 413 before parsing. */
export const REST_BODY_LIMIT = 10 * 1024 * 1024;

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export const ZRow = z.record(z.string(), z.unknown());
export type TRow = z.infer<typeof ZRow>;
export const ZInsertBody = z.union([ZRow, z.array(ZRow)]);

export async function readJsonBody(
  req: IncomingMessage,
  limit = REST_BODY_LIMIT,
): Promise<{ text: string; value: unknown }> {
  let raw: Buffer;
  try {
    raw = await readBody(req, limit);
  } catch (err) {
    if (err instanceof BodyTooLargeError) throw Errors.bodyTooLarge(limit);
    throw err;
  }
  let text: string;
  try {
    // Fatal: a lenient decode would store U+FFFD where the client sent bytes that are not UTF-8.
    text = UTF8.decode(raw);
  } catch {
    throw Errors.invalidUtf8();
  }
  if (text.trim() === '') return { text: '', value: undefined };
  try {
    return { text, value: JSON.parse(text) as unknown };
  } catch (err) {
    throw Errors.invalidBody(`Error in $: ${(err as Error).message}`);
  }
}

export function parseWith<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw Errors.invalidBody(`Error in $: ${what}`);
  return r.data;
}
