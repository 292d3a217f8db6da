import { describe, expect, it } from 'vitest';
import { Channel } from './channel';
import type { Connection } from './connection';
import { BroadcastFrame } from './serializer';

const conn = {} as Connection;

describe('Channel task queue', () => {
  it('runs synchronous work at once and queues work behind a pending database call, in order', async () => {
    const order: string[] = [];
    const ch = new Channel(conn, 'realtime:a', '1', () => order.push('crash'));
    let release!: () => void;
    ch.run(() => void order.push('sync-1'));
    ch.run(
      () =>
        new Promise<void>((resolve) => {
          order.push('async-start');
          release = () => {
            order.push('async-end');
            resolve();
          };
        }),
    );
    ch.run(() => void order.push('queued-1'));
    ch.run(() => void order.push('queued-2'));
    expect(order).toEqual(['sync-1', 'async-start']);
    release();
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['sync-1', 'async-start', 'async-end', 'queued-1', 'queued-2']);
  });

  it('reports a throwing task as a crash and drops work once closed', () => {
    const crashes: unknown[] = [];
    const ch = new Channel(conn, 'realtime:a', '1', (_c, err) => crashes.push(err));
    ch.run(() => {
      throw new Error('boom');
    });
    expect(crashes).toHaveLength(1);
    ch.state = 'closed';
    let ran = false;
    ch.run(() => void (ran = true));
    expect(ran).toBe(false);
  });
});

describe('Channel replay de-duplication', () => {
  it('skips the live copy of a replayed message once, and nothing else', () => {
    const ch = new Channel(conn, 'realtime:a', '1', () => {});
    ch.state = 'joined';
    ch.replayedIds = new Set(['m1']);
    const live = (id?: string) =>
      BroadcastFrame.fromJson('realtime:a', 'e', {}, id === undefined ? undefined : { id });
    expect(ch.canReadBroadcast(live('m2'))).toBe(true);
    expect(ch.canReadBroadcast(live())).toBe(true);
    expect(ch.canReadBroadcast(live('m1'))).toBe(false);
    expect(ch.replayedIds).toBeNull();
    expect(ch.canReadBroadcast(live('m1'))).toBe(true);
  });
});
