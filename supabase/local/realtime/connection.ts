/**
 * One websocket. Holds only what every socket needs (serializer version, its channels, the last time
 * it spoke, two rate windows); timers are shared (see the sweep in server.ts).
 */
import type { Socket } from 'node:net';
import type WebSocket from 'ws';
import type { Channel } from './channel';
import { RateWindow } from './limits';
import { encodeText, type EncodedFrame, type Vsn } from './serializer';

const BINARY = { binary: true } as const;
const TEXT = { binary: false } as const;
const WS_OPEN = 1;

/**
 * Write coalescing: the first frame written to a socket in a tick corks its TCP socket, and all
 * corked sockets are uncorked together on the next tick. A burst (many messages parsed from one
 * inbound chunk, each fanned out to the same sockets) then leaves as one writev per socket instead
 * of one syscall per frame; a lone message waits only for the current tick to finish.
 */
let corked: Connection[] = [];
let isFlushScheduled = false;
function flushCorked(): void {
  const batch = corked;
  corked = [];
  isFlushScheduled = false;
  for (const conn of batch) conn.uncork();
}

export interface ConnectionLimits {
  maxJoinsPerSecond: number;
  maxMessagesPerSecond: number;
  sendBufferHighWaterBytes: number;
}

export class Connection {
  readonly channels = new Map<string, Channel>();
  lastSeenAt = Date.now();
  isClosed = false;
  private isCorked = false;
  readonly joins: RateWindow;
  readonly messages: RateWindow;

  constructor(
    readonly id: number,
    readonly ws: WebSocket,
    readonly vsn: Vsn,
    /** The verified `apikey` of the upgrade request: the token of joins that bring none. */
    readonly apiKey: string,
    private readonly limits: ConnectionLimits,
    private readonly onSlowConsumer: (conn: Connection) => void,
  ) {
    this.joins = new RateWindow(limits.maxJoinsPerSecond, 1000);
    this.messages = new RateWindow(limits.maxMessagesPerSecond, 1000);
  }

  /** Writes a frame unless the socket is gone or too far behind; false when nothing was written. */
  sendFrame(frame: EncodedFrame): boolean {
    if (this.isClosed || this.ws.readyState !== WS_OPEN) return false;
    if (this.ws.bufferedAmount > this.limits.sendBufferHighWaterBytes) {
      this.onSlowConsumer(this);
      return false;
    }
    if (!this.isCorked) this.cork();
    this.ws.send(frame.data, frame.binary ? BINARY : TEXT);
    return true;
  }

  /** ws keeps its TCP socket in `_socket`; ws's own cork/uncork pairs nest inside ours. */
  private get tcp(): Socket | undefined {
    return (this.ws as unknown as { _socket?: Socket })._socket;
  }

  private cork(): void {
    const tcp = this.tcp;
    if (!tcp) return;
    tcp.cork();
    this.isCorked = true;
    corked.push(this);
    if (!isFlushScheduled) {
      isFlushScheduled = true;
      process.nextTick(flushCorked);
    }
  }

  uncork(): void {
    if (!this.isCorked) return;
    this.isCorked = false;
    this.tcp?.uncork();
  }

  push(joinRef: string | null, ref: string | null, topic: string, event: string, payload: unknown): boolean {
    return this.sendFrame({ data: encodeText(this.vsn, joinRef, ref, topic, event, payload), binary: false });
  }

  reply(
    joinRef: string | null,
    ref: string | null,
    topic: string,
    status: 'ok' | 'error',
    response: Record<string, unknown>,
  ): boolean {
    return this.push(joinRef, ref, topic, 'phx_reply', { status, response });
  }
}
