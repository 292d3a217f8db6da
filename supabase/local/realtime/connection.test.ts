import { describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { Connection } from './connection';
import { VSN_2 } from './serializer';

function fakeSocket(bufferedAmount: number) {
  const sent: unknown[] = [];
  const ws = {
    readyState: 1,
    bufferedAmount,
    send: (data: unknown) => sent.push(data),
  } as unknown as WebSocket;
  return { ws, sent };
}

describe('Connection send policy', () => {
  it.each([
    ['below the high-water mark', 1_000, true],
    ['above the high-water mark', 10_000, false],
  ])('%s the frame is %s', (_case, buffered, written) => {
    const { ws, sent } = fakeSocket(buffered);
    const slow: Connection[] = [];
    const conn = new Connection(
      1,
      ws,
      VSN_2,
      'key',
      { maxJoinsPerSecond: 1, maxMessagesPerSecond: 1, sendBufferHighWaterBytes: 4_096 },
      (c) => slow.push(c),
    );
    expect(conn.sendFrame({ data: 'x', binary: false })).toBe(written);
    expect(sent).toHaveLength(written ? 1 : 0);
    expect(slow).toHaveLength(written ? 0 : 1);
  });
});
