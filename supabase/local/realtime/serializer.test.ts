/**
 * The serializer against realtime-js's own (2.109) encoder/decoder: what the client encodes we must
 * decode, and what we encode the client must decode to the documented broadcast shape.
 */
import ClientSerializer from '@supabase/realtime-js/dist/main/lib/serializer';
import { describe, expect, it } from 'vitest';
import {
  BroadcastFrame,
  decodeBinary,
  decodeText,
  encodeText,
  FanoutFrame,
  isUserBroadcast,
  VSN_1,
  VSN_2,
  type Vsn,
} from './serializer';

const client = new ClientSerializer();
const toArrayBuffer = (b: Buffer): ArrayBuffer =>
  b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

function clientEncode(msg: Parameters<ClientSerializer['encode']>[0]): ArrayBuffer | string {
  let out: ArrayBuffer | string = '';
  client.encode(msg, (r: ArrayBuffer | string) => (out = r));
  return out;
}

function clientDecode(data: ArrayBuffer | string): {
  join_ref: unknown;
  ref: unknown;
  topic: string;
  event: string;
  payload: unknown;
} {
  let out: unknown;
  client.decode(data, (m: unknown) => (out = m));
  return out as { join_ref: unknown; ref: unknown; topic: string; event: string; payload: unknown };
}

describe('inbound frames', () => {
  it.each([
    ['a JSON payload', { a: 1, s: 'hé' }, false],
    ['a binary payload', new Uint8Array([0, 255, 7]).buffer, true],
  ])('decodes a realtime-js user broadcast push with %s', (_case, payload, isBinary) => {
    const encoded = clientEncode({
      join_ref: '1',
      ref: '2',
      topic: 'realtime:room',
      event: 'broadcast',
      payload: { type: 'broadcast', event: 'ev', payload },
    });
    expect(encoded).toBeInstanceOf(ArrayBuffer);
    const decoded = decodeBinary(Buffer.from(encoded as ArrayBuffer));
    expect(decoded.ok).toBe(true);
    if (!decoded.ok || !isUserBroadcast(decoded.message)) throw new Error('not a user broadcast');
    expect(decoded.message).toMatchObject({
      joinRef: '1',
      ref: '2',
      topic: 'realtime:room',
      event: 'broadcast',
      userEvent: 'ev',
      isBinaryPayload: isBinary,
    });
    const raw = decoded.message.rawPayload;
    if (isBinary) expect([...raw]).toEqual([0, 255, 7]);
    else expect(JSON.parse(raw.toString())).toEqual(payload);
  });

  it.each<[Vsn, string, Record<string, unknown>]>([
    [
      VSN_2,
      '[null,"3","phoenix","heartbeat",{}]',
      { joinRef: null, ref: '3', topic: 'phoenix', event: 'heartbeat', payload: {} },
    ],
    [
      VSN_2,
      '["1","1","realtime:a","phx_join",{"config":{}}]',
      { joinRef: '1', ref: '1', topic: 'realtime:a', event: 'phx_join', payload: { config: {} } },
    ],
    [
      VSN_1,
      '{"topic":"phoenix","event":"heartbeat","payload":{},"ref":"4","join_ref":null}',
      { joinRef: null, ref: '4', topic: 'phoenix', event: 'heartbeat', payload: {} },
    ],
    [
      VSN_1,
      '{"topic":"realtime:a","event":"phx_join","payload":{},"ref":5,"join_ref":5}',
      { joinRef: '5', ref: '5', topic: 'realtime:a', event: 'phx_join', payload: {} },
    ],
  ])('decodes %s text frame %s', (vsn, text, expected) => {
    expect(decodeText(text, vsn)).toEqual({ ok: true, message: expected });
  });

  it.each<[Vsn, string]>([
    [VSN_2, 'not json'],
    [VSN_2, '{"topic":"a","event":"b","payload":{},"ref":null}'],
    [VSN_2, '[null,null,1,"x",{}]'],
    [VSN_1, '["1","1","t","e",{}]'],
    [VSN_1, '{"event":"x"}'],
  ])('rejects malformed %s text frame %s', (vsn, text) => {
    expect(decodeText(text, vsn).ok).toBe(false);
  });

  it.each([
    ['empty', []],
    ['an unknown kind', [4, 0, 0, 0, 1]],
    ['a truncated header', [3, 1, 1]],
    ['lengths past the end', [3, 5, 5, 5, 5, 0, 1, 0x31]],
    ['an unknown encoding', [3, 0, 0, 0, 0, 0, 7]],
  ])('rejects a binary frame with %s', (_case, bytes) => {
    expect(decodeBinary(Buffer.from(bytes)).ok).toBe(false);
  });
});

describe('outbound frames', () => {
  it('encodes kind-4 broadcasts that realtime-js decodes, with meta', () => {
    const frame = BroadcastFrame.fromJson('realtime:room', 'INSERT', { id: 'x', n: [1, 2] }, { id: 'x' });
    const encoded = frame.encode(VSN_2)!;
    expect(encoded.binary).toBe(true);
    expect(clientDecode(toArrayBuffer(encoded.data as Buffer))).toEqual({
      join_ref: null,
      ref: null,
      topic: 'realtime:room',
      event: 'broadcast',
      payload: { type: 'broadcast', event: 'INSERT', payload: { id: 'x', n: [1, 2] }, meta: { id: 'x' } },
    });
    // Encoded once per version: the same object is handed to every socket.
    expect(frame.encode(VSN_2)).toBe(encoded);
  });

  it('encodes vsn 1 broadcasts as objects without join_ref and drops binary payloads for them', () => {
    const json = BroadcastFrame.fromJson('realtime:room', 'ev', { a: 1 });
    expect(JSON.parse(json.encode(VSN_1)!.data as string)).toEqual({
      topic: 'realtime:room',
      event: 'broadcast',
      payload: { type: 'broadcast', event: 'ev', payload: { a: 1 } },
      ref: null,
    });
    const binary = new BroadcastFrame('realtime:room', 'ev', Buffer.from([1, 2]), true);
    expect(binary.encode(VSN_1)).toBeNull();
    const decoded = clientDecode(toArrayBuffer(binary.encode(VSN_2)!.data as Buffer));
    expect([...new Uint8Array((decoded.payload as { payload: ArrayBuffer }).payload)]).toEqual([1, 2]);
  });

  it('falls back to a text array when the topic does not fit the binary header', () => {
    const topic = `realtime:${'t'.repeat(300)}`;
    const encoded = BroadcastFrame.fromJson(topic, 'ev', { a: 1 }).encode(VSN_2)!;
    expect(encoded.binary).toBe(false);
    expect(clientDecode(encoded.data as string)).toMatchObject({
      topic,
      event: 'broadcast',
      payload: { type: 'broadcast', event: 'ev', payload: { a: 1 } },
    });
  });

  it.each<[Vsn, string]>([
    [VSN_2, '["1","2","realtime:a","phx_reply",{"status":"ok","response":{}}]'],
    [VSN_1, '{"topic":"realtime:a","event":"phx_reply","payload":{"status":"ok","response":{}},"ref":"2"}'],
  ])('encodes %s replies', (vsn, expected) => {
    expect(encodeText(vsn, '1', '2', 'realtime:a', 'phx_reply', { status: 'ok', response: {} })).toBe(
      expected,
    );
  });

  it('encodes fan-out frames with null refs, once per version', () => {
    const frame = new FanoutFrame('realtime:a', 'presence_diff', { joins: {}, leaves: {} });
    expect(frame.encode(VSN_2).data).toBe(
      '[null,null,"realtime:a","presence_diff",{"joins":{},"leaves":{}}]',
    );
    expect(frame.encode(VSN_2)).toBe(frame.encode(VSN_2));
  });
});
