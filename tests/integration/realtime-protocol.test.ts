/**
 * Wire-level behaviour that supabase-js cannot express: connect-time failures, heartbeats,
 * unmatched topics, malformed frames, rejoin/leave framing, the join reply's binding echo, and the
 * metrics endpoint. Raw `ws` clients speak the Phoenix protocol directly.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { stackInfo } from '../helpers/stack';
import { EventLog, mintToken, uniqueTopic, withTimeout, type Vsn } from './realtime-helpers';

type Frame = unknown[] | Record<string, unknown>;

class RawSocket {
  readonly frames = new EventLog<Frame>();
  readonly closed: Promise<number>;
  private ref = 0;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) this.frames.push(JSON.parse(data.toString()) as Frame);
    });
    this.closed = new Promise((resolve) => ws.on('close', (code) => resolve(code)));
  }

  static open(vsn: Vsn = '2.0.0', apikey = stackInfo().anonKey): Promise<RawSocket> {
    const ws = new WebSocket(
      `${stackInfo().apiUrl.replace(/^http/, 'ws')}/realtime/v1/websocket?apikey=${encodeURIComponent(apikey)}&vsn=${vsn}`,
    );
    const socket = new RawSocket(ws);
    return withTimeout(
      new Promise((resolve, reject) => {
        ws.once('open', () => resolve(socket));
        ws.once('error', reject);
      }),
      'websocket open',
    );
  }

  nextRef(): string {
    return String(++this.ref);
  }

  send(data: string | Buffer | Frame): void {
    this.ws.send(typeof data === 'string' || Buffer.isBuffer(data) ? data : JSON.stringify(data));
  }

  waitFor(match: (f: unknown[]) => boolean, what: string): Promise<unknown[]> {
    return this.frames.waitFor((f) => Array.isArray(f) && match(f), what) as Promise<unknown[]>;
  }

  async heartbeat(): Promise<unknown[]> {
    const ref = this.nextRef();
    this.send([null, ref, 'phoenix', 'heartbeat', {}]);
    return this.waitFor((f) => f[1] === ref && f[2] === 'phoenix', 'heartbeat reply');
  }

  async join(
    topic: string,
    payload: Record<string, unknown> = { config: {} },
  ): Promise<{ joinRef: string; reply: unknown[] }> {
    const joinRef = this.nextRef();
    this.send([joinRef, joinRef, topic, 'phx_join', payload]);
    const reply = await this.waitFor(
      (f) => f[1] === joinRef && f[3] === 'phx_reply',
      `join reply for ${topic}`,
    );
    return { joinRef, reply };
  }
}

const sockets: RawSocket[] = [];
async function open(vsn?: Vsn, apikey?: string): Promise<RawSocket> {
  const s = await RawSocket.open(vsn, apikey);
  sockets.push(s);
  return s;
}
afterEach(() => {
  for (const s of sockets.splice(0)) s.ws.terminate();
});

function upgradeFailure(query: string): Promise<{ status: number; body: unknown }> {
  const ws = new WebSocket(`${stackInfo().apiUrl.replace(/^http/, 'ws')}/realtime/v1/websocket?${query}`);
  return withTimeout(
    new Promise((resolve, reject) => {
      ws.on('unexpected-response', (_req, res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      });
      ws.on('open', () => reject(new Error('upgrade unexpectedly succeeded')));
      ws.on('error', () => {});
    }),
    'upgrade failure',
  );
}

describe('connecting', () => {
  it.each([
    ['no apikey', async () => 'vsn=2.0.0', 'API key is missing'],
    ['a non-JWT apikey', async () => 'apikey=not-a-jwt&vsn=2.0.0', 'The token provided is not a valid JWT'],
    [
      'a wrongly signed apikey',
      async () => `apikey=${await mintToken({ secret: 'x'.repeat(40) })}`,
      'Failed to validate JWT signature',
    ],
    [
      'an expired apikey',
      async () => `apikey=${await mintToken({ expiresInSeconds: -10 })}`,
      'Token has expired',
    ],
    [
      'an apikey without exp',
      async () => `apikey=${await mintToken({ omit: ['exp'] })}`,
      'Fields `role` and `exp` are required in JWT',
    ],
  ])('rejects %s with 401 and the hosted message', async (_case, query, message) => {
    await expect(upgradeFailure(await query())).resolves.toEqual({ status: 401, body: { error: message } });
  });
});

describe.each(['1.0.0', '2.0.0'] as const)('Phoenix framing over vsn %s', (vsn) => {
  it('answers heartbeats and reports unmatched topics', async () => {
    const s = await open(vsn);
    if (vsn === '2.0.0') {
      expect(await s.heartbeat()).toEqual([
        null,
        expect.any(String),
        'phoenix',
        'phx_reply',
        { status: 'ok', response: {} },
      ]);
      s.send([
        '9',
        '9',
        'realtime:never-joined',
        'broadcast',
        { type: 'broadcast', event: 'x', payload: {} },
      ]);
      expect(await s.waitFor((f) => f[1] === '9', 'unmatched reply')).toEqual([
        '9',
        '9',
        'realtime:never-joined',
        'phx_reply',
        { status: 'error', response: { reason: 'unmatched topic' } },
      ]);
    } else {
      s.send({ topic: 'phoenix', event: 'heartbeat', payload: {}, ref: '1', join_ref: null });
      const reply = await s.frames.waitFor((f) => !Array.isArray(f) && f.ref === '1', 'v1 heartbeat reply');
      // The V1 serializer sends objects without join_ref.
      expect(reply).toEqual({
        topic: 'phoenix',
        event: 'phx_reply',
        payload: { status: 'ok', response: {} },
        ref: '1',
      });
    }
  });
});

describe('channel framing (vsn 2.0.0)', () => {
  it('rejects an empty topic name', async () => {
    const s = await open();
    const { reply } = await s.join('realtime:');
    expect(reply[4]).toEqual({
      status: 'error',
      response: { reason: 'TopicNameRequired: You must provide a topic name' },
    });
  });

  it('refuses replay on a public channel (realtime-js refuses it before sending)', async () => {
    const s = await open();
    const { reply } = await s.join(`realtime:${uniqueTopic('rt-test:replay:')}`, {
      config: { broadcast: { replay: { since: 0 } }, private: false },
    });
    expect(reply[4]).toEqual({
      status: 'error',
      response: { reason: 'UnableToReplayMessages: Replay is not allowed for public channels' },
    });
  });

  it('echoes postgres_changes bindings in order with stable ids', async () => {
    const s = await open();
    const bindings = [
      { event: 'INSERT', schema: 'public', table: 'rt_nothing' },
      { event: '*', schema: 'public', table: 'rt_nothing', filter: 'id=eq.1' },
      { event: 'INSERT', schema: 'public', table: 'rt_nothing' },
    ];
    const { reply } = await s.join(`realtime:${uniqueTopic('rt-test:pg:')}`, {
      config: { postgres_changes: bindings },
    });
    const echoed = (reply[4] as { response: { postgres_changes: Array<Record<string, unknown>> } }).response
      .postgres_changes;
    expect(echoed.map(({ id: _id, ...rest }) => rest)).toEqual(bindings);
    expect(echoed.every((b) => typeof b.id === 'number')).toBe(true);
    expect(echoed[0].id).toBe(echoed[2].id);
    expect(echoed[0].id).not.toBe(echoed[1].id);
  });

  it('closes the old channel when a joined topic is joined again, and frames leave as reply + phx_close', async () => {
    const s = await open();
    const topic = `realtime:${uniqueTopic('rt-test:rejoin:')}`;
    const first = await s.join(topic);
    const second = await s.join(topic);
    expect(second.reply[4]).toMatchObject({ status: 'ok' });
    expect(s.frames.items).toContainEqual([first.joinRef, first.joinRef, topic, 'phx_close', {}]);

    const leaveRef = s.nextRef();
    s.send([second.joinRef, leaveRef, topic, 'phx_leave', {}]);
    await s.waitFor((f) => f[1] === leaveRef && f[3] === 'phx_reply', 'leave reply');
    await s.waitFor(
      (f) => f[0] === second.joinRef && f[1] === second.joinRef && f[3] === 'phx_close',
      'phx_close after leave',
    );
  });

  it('sends presence_state right after a presence-enabled join', async () => {
    const s = await open();
    const topic = `realtime:${uniqueTopic('rt-test:presence:')}`;
    const { joinRef } = await s.join(topic, { config: { presence: { key: 'k', enabled: true } } });
    expect(await s.waitFor((f) => f[3] === 'presence_state', 'presence_state')).toEqual([
      joinRef,
      null,
      topic,
      'presence_state',
      {},
    ]);
  });
});

describe('malformed input', () => {
  it.each([
    ['text that is not JSON', 'this is not json'],
    ['a JSON object on a vsn 2 socket', JSON.stringify({ topic: 'x', event: 'y' })],
    ['an array of the wrong shape', JSON.stringify([1, 2])],
    ['an empty binary frame', Buffer.alloc(0)],
    ['an unknown binary kind', Buffer.from([9, 1, 2, 3])],
    ['a truncated user broadcast push', Buffer.from([3, 1, 1, 200, 1, 0, 1, 0x31, 0x31])],
    [
      'a join with a non-object config',
      JSON.stringify(['1', '1', 'realtime:bad', 'phx_join', { config: 'yes' }]),
    ],
  ])('survives %s and keeps serving the socket', async (_case, data) => {
    const s = await open();
    s.send(data);
    expect(await s.heartbeat()).toMatchObject([
      null,
      expect.any(String),
      'phoenix',
      'phx_reply',
      { status: 'ok' },
    ]);
  });

  it('drops a user broadcast whose JSON payload is invalid, without forwarding it', async () => {
    const s = await open();
    const topic = `realtime:${uniqueTopic('rt-test:bad:')}`;
    const { joinRef } = await s.join(topic, { config: { broadcast: { self: true, ack: true } } });
    const header = (ref: string, payload: string) =>
      Buffer.concat([
        Buffer.from([3, joinRef.length, ref.length, topic.length, 2, 0, 1]),
        Buffer.from(joinRef + ref + topic + 'ev'),
        Buffer.from(payload),
      ]);
    s.send(header('50', '{not json'));
    const reply = await s.waitFor((f) => f[1] === '50', 'error reply');
    expect(reply[4]).toMatchObject({ status: 'error' });
    s.send(header('51', '{"ok":true}'));
    await s.waitFor((f) => f[1] === '51', 'ack of the valid broadcast');
  });

  it('closes the socket with 1009 when a frame exceeds the frame limit, and the server keeps accepting', async () => {
    const s = await open();
    s.send('x'.repeat(6_000_000));
    expect(await withTimeout(s.closed, 'close')).toBe(1009);
    const again = await open();
    await again.heartbeat();
  });
});

describe('GET /realtime/v1/api/metrics', () => {
  it('is reserved to the service role and reports the counters', async () => {
    const { apiUrl, anonKey, serviceRoleKey } = stackInfo();
    const anon = await fetch(`${apiUrl}/realtime/v1/api/metrics`, { headers: { apikey: anonKey } });
    expect(anon.status).toBe(403);
    const s = await open();
    await s.join(`realtime:${uniqueTopic('rt-test:metrics:')}`);
    const res = await fetch(`${apiUrl}/realtime/v1/api/metrics`, { headers: { apikey: serviceRoleKey } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.connections).toBeGreaterThanOrEqual(1);
    expect(body.channels).toBeGreaterThanOrEqual(1);
    expect(body).toHaveProperty('messages_out.broadcast');
    expect(body).toHaveProperty('db_broadcast_commit_to_send_ms.p99_ms');
  });
});
