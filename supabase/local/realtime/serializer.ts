/**
 * Phoenix wire formats spoken by realtime-js: vsn 1.0.0 (JSON objects) and vsn 2.0.0 (JSON arrays,
 * plus binary "user broadcast push" frames, kind 3, from clients and "user broadcast" frames, kind 4,
 * to clients). Fan-out frames are encoded once per serializer version and the same string/buffer is
 * written to every socket.
 */
import { z } from 'zod';

export const VSN_1 = '1.0.0';
export const VSN_2 = '2.0.0';
export type Vsn = typeof VSN_1 | typeof VSN_2;
export const SUPPORTED_VSNS: readonly string[] = [VSN_1, VSN_2];

const KIND_USER_BROADCAST_PUSH = 3;
const KIND_USER_BROADCAST = 4;
const ENCODING_BINARY = 0;
const ENCODING_JSON = 1;
const PUSH_HEADER_BYTES = 7;
const BROADCAST_HEADER_BYTES = 5;
const MAX_FIELD_BYTES = 255;

export interface InboundMessage {
  joinRef: string | null;
  ref: string | null;
  topic: string;
  event: string;
  payload: unknown;
}

/** A kind-3 frame: a channel broadcast whose user payload stays as raw bytes. */
export interface InboundUserBroadcast extends InboundMessage {
  event: 'broadcast';
  userEvent: string;
  isBinaryPayload: boolean;
  rawPayload: Buffer;
}

export type DecodeResult =
  { ok: true; message: InboundMessage | InboundUserBroadcast } | { ok: false; reason: string };

// realtime-js sends string refs; numbers are tolerated because other Phoenix clients send them.
const ZRef = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined ? null : String(v)));
const ZV1Envelope = z.object({
  topic: z.string(),
  event: z.string(),
  payload: z.unknown().optional(),
  ref: ZRef,
  join_ref: ZRef,
});
const ZV2Envelope = z.tuple([ZRef, ZRef, z.string(), z.string(), z.unknown()]);

export function decodeText(text: string, vsn: Vsn): DecodeResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'invalid JSON' };
  }
  if (vsn === VSN_1) {
    const parsed = ZV1Envelope.safeParse(raw);
    if (!parsed.success)
      return { ok: false, reason: 'message must be an object with topic, event, payload, ref' };
    const m = parsed.data;
    return {
      ok: true,
      message: { joinRef: m.join_ref, ref: m.ref, topic: m.topic, event: m.event, payload: m.payload ?? {} },
    };
  }
  const parsed = ZV2Envelope.safeParse(raw);
  if (!parsed.success)
    return { ok: false, reason: 'message must be an array [join_ref, ref, topic, event, payload]' };
  const [joinRef, ref, topic, event, payload] = parsed.data;
  return { ok: true, message: { joinRef, ref, topic, event, payload: payload ?? {} } };
}

export function decodeBinary(buf: Buffer): DecodeResult {
  if (buf.length < PUSH_HEADER_BYTES || buf[0] !== KIND_USER_BROADCAST_PUSH) {
    return { ok: false, reason: 'unsupported binary frame' };
  }
  const lengths = [buf[1], buf[2], buf[3], buf[4], buf[5]];
  const encoding = buf[6];
  if (encoding !== ENCODING_JSON && encoding !== ENCODING_BINARY)
    return { ok: false, reason: 'unknown payload encoding' };
  let offset = PUSH_HEADER_BYTES;
  const fields: string[] = [];
  for (const len of lengths) {
    if (offset + len > buf.length) return { ok: false, reason: 'truncated binary frame' };
    fields.push(buf.toString('utf8', offset, offset + len));
    offset += len;
  }
  const [joinRef, ref, topic, userEvent] = fields;
  return {
    ok: true,
    message: {
      joinRef: joinRef === '' ? null : joinRef,
      ref: ref === '' ? null : ref,
      topic,
      event: 'broadcast',
      payload: null,
      userEvent,
      isBinaryPayload: encoding === ENCODING_BINARY,
      rawPayload: buf.subarray(offset),
    },
  };
}

export function isUserBroadcast(m: InboundMessage): m is InboundUserBroadcast {
  return 'rawPayload' in m;
}

/** A direct push or reply. vsn 1 frames carry no join_ref (Phoenix's V1 serializer drops it). */
export function encodeText(
  vsn: Vsn,
  joinRef: string | null,
  ref: string | null,
  topic: string,
  event: string,
  payload: unknown,
): string {
  if (vsn === VSN_1) return JSON.stringify({ topic, event, payload, ref });
  return JSON.stringify([joinRef, ref, topic, event, payload]);
}

export interface EncodedFrame {
  data: string | Buffer;
  binary: boolean;
}

/** A fan-out message (presence_diff, …) with join_ref and ref null, encoded lazily once per vsn. */
export class FanoutFrame {
  private v1?: EncodedFrame;
  private v2?: EncodedFrame;
  constructor(
    readonly topic: string,
    readonly event: string,
    readonly payload: unknown,
  ) {}
  encode(vsn: Vsn): EncodedFrame {
    if (vsn === VSN_1)
      return (this.v1 ??= {
        data: encodeText(VSN_1, null, null, this.topic, this.event, this.payload),
        binary: false,
      });
    return (this.v2 ??= {
      data: encodeText(VSN_2, null, null, this.topic, this.event, this.payload),
      binary: false,
    });
  }
}

/**
 * A user broadcast. `payload` holds the user payload bytes: JSON text (already validated) or raw
 * binary. vsn 2 sockets get a kind-4 binary frame; vsn 1 sockets a JSON object, and never a binary
 * payload (as on hosted, binary broadcasts are dropped for them).
 */
export class BroadcastFrame {
  private v1?: EncodedFrame | null;
  private v2?: EncodedFrame | null;
  constructor(
    readonly topic: string,
    readonly event: string,
    readonly payload: Buffer,
    readonly isBinaryPayload: boolean,
    readonly meta?: Record<string, unknown>,
  ) {}

  static fromJson(
    topic: string,
    event: string,
    value: unknown,
    meta?: Record<string, unknown>,
  ): BroadcastFrame {
    return new BroadcastFrame(topic, event, Buffer.from(JSON.stringify(value ?? null)), false, meta);
  }

  /** The id of a database-originated message (`meta.id`), used to skip replayed duplicates. */
  get messageId(): string | undefined {
    const id = this.meta?.id;
    return typeof id === 'string' ? id : undefined;
  }

  /** null = nothing to send to a socket of this version. */
  encode(vsn: Vsn): EncodedFrame | null {
    if (vsn === VSN_1) {
      if (this.v1 === undefined)
        this.v1 = this.isBinaryPayload ? null : { data: this.textFrame(VSN_1), binary: false };
      return this.v1;
    }
    if (this.v2 === undefined) this.v2 = this.encodeV2();
    return this.v2;
  }

  private textFrame(vsn: Vsn): string {
    // The payload bytes are JSON already; splice them in instead of parsing and re-stringifying.
    const meta = this.meta ? `,"meta":${JSON.stringify(this.meta)}` : '';
    const inner = `{"type":"broadcast","event":${JSON.stringify(this.event)},"payload":${this.payload.toString('utf8')}${meta}}`;
    const topic = JSON.stringify(this.topic);
    if (vsn === VSN_1) return `{"topic":${topic},"event":"broadcast","payload":${inner},"ref":null}`;
    return `[null,null,${topic},"broadcast",${inner}]`;
  }

  private encodeV2(): EncodedFrame | null {
    const topic = Buffer.from(this.topic);
    const event = Buffer.from(this.event);
    const meta = this.meta ? Buffer.from(JSON.stringify(this.meta)) : Buffer.alloc(0);
    if (topic.length > MAX_FIELD_BYTES || event.length > MAX_FIELD_BYTES || meta.length > MAX_FIELD_BYTES) {
      // Too long for the binary header: realtime-js also accepts broadcasts as text arrays.
      return this.isBinaryPayload ? null : { data: this.textFrame(VSN_2), binary: false };
    }
    const header = Buffer.from([
      KIND_USER_BROADCAST,
      topic.length,
      event.length,
      meta.length,
      this.isBinaryPayload ? ENCODING_BINARY : ENCODING_JSON,
    ]);
    return {
      data: Buffer.concat(
        [header, topic, event, meta, this.payload],
        BROADCAST_HEADER_BYTES + topic.length + event.length + meta.length + this.payload.length,
      ),
      binary: true,
    };
  }
}
