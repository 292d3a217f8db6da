/**
 * Topics and their subscribers. Public and private channels with the same name are different topics
 * (hosted keys them `<tenant>:<name>` and `<tenant>-private:<name>`), so the registry key carries
 * the privacy. Fan-out encodes a message once per serializer version and writes the same frame to
 * every subscriber.
 */
import type { RealtimeMetrics } from './metrics';
import { TopicPresence, type PresenceDiff } from './presence';
import { BroadcastFrame, FanoutFrame, type EncodedFrame, type Vsn } from './serializer';

/** What the registry needs from a channel; implemented by `Channel`. */
export interface Subscriber {
  readonly conn: { readonly vsn: Vsn; sendFrame(frame: EncodedFrame): boolean };
  readonly isPrivate: boolean;
  /** Allowed to read broadcasts, and has not already received this one (a replayed message). */
  canReadBroadcast(frame?: BroadcastFrame): boolean;
  /** Presence enabled on this join (or by a track) and, for private topics, presence read allowed. */
  receivesPresence(): boolean;
}

export class Topic {
  readonly subscribers = new Set<Subscriber>();
  readonly presence = new TopicPresence<Subscriber>();
  /** `realtime:<name>`, the topic string on the wire (the same for public and private). */
  readonly wireTopic: string;
  constructor(
    readonly key: string,
    readonly name: string,
    readonly isPrivate: boolean,
  ) {
    this.wireTopic = `realtime:${name}`;
  }
}

export const topicKey = (name: string, isPrivate: boolean): string =>
  isPrivate ? `private:${name}` : `public:${name}`;

export class TopicRegistry {
  private readonly topics = new Map<string, Topic>();
  constructor(private readonly metrics: RealtimeMetrics) {}

  get size(): number {
    return this.topics.size;
  }

  find(name: string, isPrivate: boolean): Topic | undefined {
    return this.topics.get(topicKey(name, isPrivate));
  }

  subscribe(name: string, isPrivate: boolean, sub: Subscriber): Topic {
    const key = topicKey(name, isPrivate);
    let topic = this.topics.get(key);
    if (!topic) this.topics.set(key, (topic = new Topic(key, name, isPrivate)));
    topic.subscribers.add(sub);
    return topic;
  }

  unsubscribe(topic: Topic, sub: Subscriber): void {
    topic.subscribers.delete(sub);
    if (topic.subscribers.size === 0 && topic.presence.isEmpty) this.topics.delete(topic.key);
  }

  /** Delivers a broadcast to every subscriber allowed to read it; returns the number of sockets written. */
  broadcast(topic: Topic, frame: BroadcastFrame, except: Subscriber | null): number {
    let delivered = 0;
    for (const sub of topic.subscribers) {
      if (sub === except || !sub.canReadBroadcast(frame)) continue;
      const encoded = frame.encode(sub.conn.vsn);
      if (encoded && sub.conn.sendFrame(encoded)) delivered++;
    }
    this.metrics.messagesOut.broadcast += delivered;
    return delivered;
  }

  presenceDiff(topic: Topic, diff: PresenceDiff): void {
    const frame = new FanoutFrame(topic.wireTopic, 'presence_diff', diff);
    let delivered = 0;
    for (const sub of topic.subscribers) {
      if (!sub.receivesPresence()) continue;
      if (sub.conn.sendFrame(frame.encode(sub.conn.vsn))) delivered++;
    }
    this.metrics.messagesOut.presence += delivered;
  }
}
