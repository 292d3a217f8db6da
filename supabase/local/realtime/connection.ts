/**
 * One websocket. Holds only what every socket needs (serializer version, its channels, the last time
 * it spoke, two rate windows); timers are shared (see the sweep in server.ts).
 */
import type WebSocket from 'ws';
import type { Channel } from './channel';
import { RateWindow } from './limits';
import { encodeText, type EncodedFrame, type Vsn } from './serializer';

const BINARY = { binary: true } as const;
const TEXT = { binary: false } as const;
const WS_OPEN = 1;

export interface ConnectionLimits {
  maxJoinsPerSecond: number;
  maxMessagesPerSecond: number;
  sendBufferHighWaterBytes: number;
}

export class Connection {
  readonly channels = new Map<string, Channel>();
  lastSeenAt = Date.now();
  isClosed = false;
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
    this.ws.send(frame.data, frame.binary ? BINARY : TEXT);
    return true;
  }

  push(joinRef: string | null, ref: string | null, topic: string, event: string, payload: unknown): boolean {
    return this.sendFrame({ data: encodeText(this.vsn, joinRef, ref, topic, event, payload), binary: false });
  }

  reply(joinRef: string | null, ref: string | null, topic: string, status: 'ok' | 'error', response: Record<string, unknown>): boolean {
    return this.push(joinRef, ref, topic, 'phx_reply', { status, response });
  }
}
