/**
 * preservePresenceRefs against the real server and the real realtime-js: an observer's presence state
 * keeps exactly the metas the server holds — one after a re-track (not the old and the new), and none
 * once every tab of a key has gone (no ghost that only a reload clears).
 */
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import { afterEach, describe, expect, it } from 'vitest';
import { preservePresenceRefs } from '@/hooks/presence-refs';
import { EventLog, realtimeClient, subscribe, uniqueTopic, VSNS } from './realtime-helpers';

type State = Record<string, Array<Record<string, unknown>>>;
type Change = { kind: 'join' | 'leave'; key: string; names: unknown[] };

const clients: SupabaseClient[] = [];
function client(vsn: (typeof VSNS)[number]): SupabaseClient {
  const c = realtimeClient({ vsn });
  clients.push(c);
  return c;
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.removeAllChannels()));
});

/** An observer with its refs preserved, recording every change it applies. */
async function observer(c: SupabaseClient, topic: string) {
  const channel = c.channel(topic, { config: { presence: { key: 'observer' } } });
  expect(preservePresenceRefs(channel)).toBe(true);
  const changes = new EventLog<Change>();
  channel
    .on('presence', { event: 'sync' }, () => undefined)
    .on('presence', { event: 'join' }, ({ key, newPresences }) =>
      changes.push({ kind: 'join', key, names: newPresences.map((p) => p.name) }),
    )
    .on('presence', { event: 'leave' }, ({ key, leftPresences }) =>
      changes.push({ kind: 'leave', key, names: leftPresences.map((p) => p.name) }),
    );
  await subscribe(channel);
  return { channel, changes, state: () => channel.presenceState() as State };
}

async function tab(c: SupabaseClient, topic: string, name: string): Promise<RealtimeChannel> {
  const channel = c.channel(topic, { config: { presence: { key: 'bob' } } });
  await subscribe(channel);
  expect(await channel.track({ name })).toBe('ok');
  return channel;
}

describe.each(VSNS)('presence refs over vsn %s', (vsn) => {
  it('a re-track with a new payload replaces the meta instead of adding a second one', async () => {
    const topic = uniqueTopic('rt-test:refs:');
    const seen = await observer(client(vsn), topic);
    const bob = await tab(client(vsn), topic, 'Board · Mon');
    await seen.changes.waitFor((c) => c.kind === 'join' && c.names.includes('Board · Mon'), 'first meta');

    expect(await bob.track({ name: 'Board · Tue' })).toBe('ok');
    await seen.changes.waitFor((c) => c.kind === 'leave' && c.names.includes('Board · Mon'), 'old meta left');
    expect(seen.state().bob.map((m) => m.name)).toEqual(['Board · Tue']);
  });

  it('two tabs of one key: each leave removes its own meta, and the key is gone after the last', async () => {
    const topic = uniqueTopic('rt-test:refs:');
    const seen = await observer(client(vsn), topic);
    const first = client(vsn);
    const second = client(vsn);
    await tab(first, topic, 'tab 1');
    await seen.changes.waitFor((c) => c.kind === 'join' && c.names.includes('tab 1'), 'tab 1 joined');
    const tab2 = await tab(second, topic, 'tab 2');
    await seen.changes.waitFor((c) => c.kind === 'join' && c.names.includes('tab 2'), 'tab 2 joined');
    expect(
      seen
        .state()
        .bob.map((m) => m.name)
        .sort(),
    ).toEqual(['tab 1', 'tab 2']);

    await second.removeChannel(tab2);
    await seen.changes.waitFor((c) => c.kind === 'leave' && c.names.includes('tab 2'), 'tab 2 left');
    expect(seen.state().bob.map((m) => m.name)).toEqual(['tab 1']);

    // The first tab's socket closes (a closed browser): the server drops its presence at once.
    first.realtime.disconnect();
    await seen.changes.waitFor((c) => c.kind === 'leave' && c.names.includes('tab 1'), 'tab 1 left');
    expect(seen.state()).not.toHaveProperty('bob');
  });
});
