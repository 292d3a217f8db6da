/**
 * One joined (or joining) channel of one socket. Channel work runs in arrival order: synchronous
 * handlers (public broadcast, heartbeat-free fast path) run immediately; a handler that needs the
 * database (join, first private send, token refresh) returns a promise and later messages for the
 * same channel queue behind it, as they would in the channel process of the real server.
 */
import type { PgChangesSubscription } from './postgres-changes';
import { emptyPolicies, type Policies } from './authorization';
import type { Connection } from './connection';
import type { Subscriber, Topic } from './registry';
import type { BroadcastFrame } from './serializer';

export const CHANNEL_STATE = { joining: 'joining', joined: 'joined', closed: 'closed' } as const;
export type ChannelState = (typeof CHANNEL_STATE)[keyof typeof CHANNEL_STATE];

/** Messages buffered behind a pending database call before the channel starts dropping them. */
export const MAX_QUEUED_MESSAGES = 1_000;

type Task = () => void | Promise<void>;

export class Channel implements Subscriber {
  state: ChannelState = CHANNEL_STATE.joining;
  isPrivate = false;
  selfBroadcast = false;
  ackBroadcast = false;
  presenceEnabled = false;
  presenceKey = '';
  /** JSON of the currently tracked meta, to make an identical re-track a no-op. */
  trackedJson: string | null = null;
  presenceCalls = 0;
  presenceWindowStart = 0;
  accessToken = '';
  claims: Record<string, unknown> = {};
  expiresAtMs = Number.POSITIVE_INFINITY;
  policies: Policies = emptyPolicies();
  topic: Topic | null = null;
  pg: PgChangesSubscription | null = null;
  /**
   * Ids of the stored messages replayed to this channel at join (at most 25). The same message can
   * still arrive live afterwards (its replication lagged behind the replay query); it is skipped
   * then, as hosted skips ids it replayed. An id is forgotten once its live copy has been skipped.
   */
  replayedIds: Set<string> | null = null;
  private pending: Task[] | null = null;

  constructor(
    readonly conn: Connection,
    /** `realtime:<name>` */
    readonly wireTopic: string,
    readonly joinRef: string | null,
    private readonly onCrash: (channel: Channel, err: unknown) => void,
  ) {}

  get name(): string {
    return this.wireTopic.slice('realtime:'.length);
  }

  get isClosed(): boolean {
    return this.state === CHANNEL_STATE.closed;
  }

  canReadBroadcast(frame?: BroadcastFrame): boolean {
    if (this.state !== CHANNEL_STATE.joined || (this.isPrivate && this.policies.broadcastRead !== true))
      return false;
    if (this.replayedIds && frame?.messageId !== undefined && this.replayedIds.delete(frame.messageId)) {
      if (this.replayedIds.size === 0) this.replayedIds = null;
      return false;
    }
    return true;
  }

  receivesPresence(): boolean {
    return (
      this.state === CHANNEL_STATE.joined &&
      this.presenceEnabled &&
      (!this.isPrivate || this.policies.presenceRead === true)
    );
  }

  /** Runs `task` now, or after the database call in progress for this channel. */
  run(task: Task): void {
    if (this.isClosed) return;
    if (this.pending) {
      if (this.pending.length < MAX_QUEUED_MESSAGES) this.pending.push(task);
      return;
    }
    this.exec(task);
  }

  private exec(task: Task): void {
    let result: void | Promise<void>;
    try {
      result = task();
    } catch (err) {
      this.onCrash(this, err);
      return;
    }
    if (result instanceof Promise) {
      this.pending = [];
      result.catch((err: unknown) => this.onCrash(this, err)).finally(() => this.drain());
    }
  }

  private drain(): void {
    const queue = this.pending ?? [];
    this.pending = null;
    while (queue.length > 0 && !this.isClosed) {
      this.exec(queue.shift()!);
      if (this.pending) {
        // The task went async again: the rest waits behind it, in order.
        (this.pending as Task[]).push(...queue);
        return;
      }
    }
  }
}
