/**
 * Broadcast through supabase-js over both serializers: self/ack, the REST fallback of `send()`,
 * `httpSend()`, and public/private topic separation.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterEach, describe, expect, it } from 'vitest';
import { EventLog, mintToken, realtimeClient, subscribe, uniqueTopic, VSNS } from './realtime-helpers';

type Received = { event: string; payload: unknown; meta?: unknown };

const clients: SupabaseClient[] = [];
function track(c: SupabaseClient): SupabaseClient {
  clients.push(c);
  return c;
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.removeAllChannels()));
});

describe.each(VSNS)('broadcast over vsn %s', (vsn) => {
  it('delivers to other subscribers and, with self, back to the sender; ack resolves ok', async () => {
    const topic = uniqueTopic('rt-test:bc:');
    const a = track(realtimeClient({ vsn }));
    const b = track(realtimeClient({ vsn }));
    const aLog = new EventLog<Received>();
    const bLog = new EventLog<Received>();
    const chA = a
      .channel(topic, { config: { broadcast: { self: true, ack: true } } })
      .on('broadcast', { event: '*' }, aLog.push);
    const chB = b.channel(topic).on('broadcast', { event: '*' }, bLog.push);
    await subscribe(chB);
    await subscribe(chA);

    expect(await chA.send({ type: 'broadcast', event: 'greet', payload: { n: 1, s: 'hé' } })).toBe('ok');
    const atB = await bLog.waitFor((m) => m.event === 'greet', 'broadcast at B');
    const atA = await aLog.waitFor((m) => m.event === 'greet', 'self broadcast at A');
    for (const m of [atA, atB])
      expect(m).toMatchObject({ type: 'broadcast', event: 'greet', payload: { n: 1, s: 'hé' } });
  });

  it('does not echo to the sender without self', async () => {
    const topic = uniqueTopic('rt-test:bc:');
    const a = track(realtimeClient({ vsn }));
    const b = track(realtimeClient({ vsn }));
    const aLog = new EventLog<Received>();
    const bLog = new EventLog<Received>();
    const chA = a.channel(topic).on('broadcast', { event: '*' }, aLog.push);
    const chB = b.channel(topic).on('broadcast', { event: '*' }, bLog.push);
    await subscribe(chA);
    await subscribe(chB);

    await chA.send({ type: 'broadcast', event: 'from-a', payload: {} });
    await bLog.waitFor((m) => m.event === 'from-a', 'from-a at B');
    await chB.send({ type: 'broadcast', event: 'from-b', payload: {} });
    await aLog.waitFor((m) => m.event === 'from-b', 'from-b at A');
    // from-a was fanned out before from-b was even sent, so A would have seen it first.
    expect(aLog.items.map((m) => m.event)).toEqual(['from-b']);
    expect(bLog.items.map((m) => m.event)).toEqual(['from-a']);
  });

  it('send() before subscribing uses the REST fallback and reaches subscribers', async () => {
    const topic = uniqueTopic('rt-test:rest:');
    const receiver = track(realtimeClient({ vsn }));
    const log = new EventLog<Received>();
    await subscribe(receiver.channel(topic).on('broadcast', { event: 'rest' }, log.push));

    const sender = track(realtimeClient({ vsn }));
    const result = await sender
      .channel(topic)
      .send({ type: 'broadcast', event: 'rest', payload: { via: 'rest' } });
    expect(result).toBe('ok');
    expect(await log.waitFor(() => true, 'REST broadcast')).toMatchObject({
      event: 'rest',
      payload: { via: 'rest' },
    });
  });

  it('httpSend() answers 202 and delivers the JSON payload', async () => {
    const topic = uniqueTopic('rt-test:http:');
    const receiver = track(realtimeClient({ vsn }));
    const log = new EventLog<Received>();
    await subscribe(receiver.channel(topic).on('broadcast', { event: 'ping' }, log.push));

    const sender = track(realtimeClient({ vsn }));
    await expect(sender.channel(topic).httpSend('ping', { at: 42 })).resolves.toEqual({ success: true });
    expect(await log.waitFor(() => true, 'httpSend broadcast')).toMatchObject({
      event: 'ping',
      payload: { at: 42 },
    });
  });

  it('keeps public and private channels with the same name apart', async () => {
    const topic = uniqueTopic('rt-test:open:');
    const token = await mintToken();
    const pub = track(realtimeClient({ vsn }));
    const priv = track(realtimeClient({ vsn, token }));
    const pubLog = new EventLog<Received>();
    const privLog = new EventLog<Received>();
    const pubCh = pub.channel(topic).on('broadcast', { event: '*' }, pubLog.push);
    const privCh = priv
      .channel(topic, { config: { private: true, broadcast: { self: true } } })
      .on('broadcast', { event: '*' }, privLog.push);
    await subscribe(pubCh);
    await subscribe(privCh);

    const pubSender = track(realtimeClient({ vsn }));
    const pubSenderCh = pubSender.channel(topic);
    await subscribe(pubSenderCh);
    await pubSenderCh.send({ type: 'broadcast', event: 'public', payload: {} });
    await pubLog.waitFor((m) => m.event === 'public', 'public broadcast');

    await privCh.send({ type: 'broadcast', event: 'private', payload: {} });
    await privLog.waitFor((m) => m.event === 'private', 'private broadcast');
    expect(privLog.items.map((m) => m.event)).toEqual(['private']);
    expect(pubLog.items.map((m) => m.event)).toEqual(['public']);
  });
});

describe('binary broadcast', () => {
  it('httpSend() with bytes reaches vsn 2 subscribers as an ArrayBuffer', async () => {
    const topic = uniqueTopic('rt-test:bin:');
    const receiver = track(realtimeClient({ vsn: '2.0.0' }));
    const log = new EventLog<Received>();
    await subscribe(receiver.channel(topic).on('broadcast', { event: 'blob' }, log.push));

    const sender = track(realtimeClient({ vsn: '2.0.0' }));
    await expect(sender.channel(topic).httpSend('blob', new Uint8Array([1, 2, 3, 250]))).resolves.toEqual({
      success: true,
    });
    const m = await log.waitFor(() => true, 'binary broadcast');
    expect(m.payload).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(m.payload as ArrayBuffer)]).toEqual([1, 2, 3, 250]);
  });
});
