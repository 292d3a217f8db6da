/**
 * One Realtime channel per topic per tab, shared by every hook that listens to that topic.
 *
 * Why not `supabase.channel(topic)` in each effect: supabase-js returns the *existing* channel object for a
 * topic it already knows, so two components on one topic (a slot grid and the chatbot both watching
 * availability), or React's mount → unmount → mount in development, end up subscribing or removing the
 * same object twice ("tried to subscribe multiple times", or one component's cleanup silently killing the
 * other's channel). The registry owns the channel, counts its users, fans out messages and statuses, and
 * removes the channel shortly after the last user leaves (a grace period, so a re-mount or a page change
 * that keeps the topic does not pay a leave + join).
 *
 * It also heals what supabase-js does not:
 *  - a join refused because the access token expired: refresh the session so the automatic rejoin carries
 *    a fresh token (supabase-js passes TOKEN_REFRESHED to realtime.setAuth);
 *  - a channel the server closed (token expired mid-session, permission re-check): the client reports
 *    CLOSED and never rejoins, so the channel is re-created after refreshing the session — at most
 *    MAX_RECOVERIES per RECOVERY_WINDOW_MS, so a persistent refusal ends as an error, not a loop.
 *  - realtime-js 2.109 corrupts its own presence state on every join/leave (see presence-refs.ts), so
 *    presence channels get their refs preserved;
 *  - SUBSCRIBED arrives before broadcast-from-database is live on the server; the channel asks for the
 *    `replication_ready` system message and reports SUBSCRIBED only then (or after a timeout), so the
 *    snapshot the hooks load on SUBSCRIBED cannot miss a change that has no broadcast.
 */
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import type { TChannelStatus } from '@/lib/realtime';
import { connectionStore } from './connection-store';
import { preservePresenceRefs } from './presence-refs';

/** Keep a channel this long after its last user leaves (re-mounts and page changes reuse it). */
export const CHANNEL_RELEASE_GRACE_MS = 1_000;
/** Server-closed channels are re-created at most this often per window; then the error stands. */
export const MAX_RECOVERIES = 3;
export const RECOVERY_WINDOW_MS = 60_000;
/** Delay before re-creating a closed channel, times the attempt number. */
export const RECOVERY_BACKOFF_MS = 1_000;
/** How long SUBSCRIBED waits for the server's "replication ready" message before reporting anyway. */
export const REPLICATION_READY_TIMEOUT_MS = 3_000;

const EXPIRED_TOKEN = /expired/i;

export interface TChannelListener {
  onStatus?: (status: TChannelStatus, error: Error | null) => void;
  /** Every broadcast on the topic: `{ type, event, payload, meta? }` — unvalidated, parse before use. */
  onBroadcast?: (message: unknown) => void;
  /** Presence state changed (sync); read it with `lease.presenceState()`. */
  onPresenceSync?: () => void;
}

export interface TChannelOptions {
  isPrivate: boolean;
  /** Enables presence with this key (the user id, so a user's tabs collapse into one entry). */
  presenceKey?: string;
}

export interface TChannelLease {
  readonly topic: string;
  status(): TChannelStatus;
  error(): Error | null;
  /** The live channel (it changes when the registry re-creates it); null while being re-created. */
  channel(): RealtimeChannel | null;
  release(): void;
}

type TSystemPayload = { extension?: unknown; status?: unknown; message?: unknown };

function readSystemPayload(payload: unknown): TSystemPayload {
  return typeof payload === 'object' && payload !== null ? (payload as TSystemPayload) : {};
}

const refreshes = new WeakMap<SupabaseClient, Promise<void>>();

/**
 * Refreshes the session once per client at a time and hands the new token to Realtime before anything
 * rejoins (supabase-js also does this on TOKEN_REFRESHED; doing it here removes the ordering doubt).
 * Anonymous visitors have no session: nothing to refresh, and their anon key does not expire.
 */
export function refreshRealtimeAuth(client: SupabaseClient): Promise<void> {
  const pending = refreshes.get(client);
  if (pending) return pending;
  const run = (async () => {
    try {
      const { data } = await client.auth.refreshSession();
      const token = data.session?.access_token;
      if (token) await client.realtime.setAuth(token);
    } catch {
      // A failed refresh surfaces as the channel error that follows; no retry storm from here.
    } finally {
      refreshes.delete(client);
    }
  })();
  refreshes.set(client, run);
  return run;
}

class SharedChannel {
  readonly listeners = new Set<TChannelListener>();
  private current: RealtimeChannel | null = null;
  private generation = 0;
  private state: TChannelStatus = 'JOINING';
  private lastError: Error | null = null;
  private lastSystemError: string | null = null;
  private releaseTimer: ReturnType<typeof setTimeout> | null = null;
  private readyTimer: ReturnType<typeof setTimeout> | null = null;
  private recoveryTimer: ReturnType<typeof setTimeout> | null = null;
  private recoveries: number[] = [];
  private isDisposed = false;

  constructor(
    private readonly client: SupabaseClient,
    readonly topic: string,
    readonly options: TChannelOptions,
    /** Resolves when an earlier channel on this topic is gone (supabase-js would hand it back otherwise). */
    predecessorGone: Promise<void>,
    private readonly onDisposed: (removal: Promise<void>) => void,
  ) {
    connectionStore.attachSocket(client.realtime);
    connectionStore.reportChannel(topic, 'JOINING');
    void predecessorGone.then(() => {
      if (!this.isDisposed) this.open();
    });
  }

  status(): TChannelStatus {
    return this.state;
  }

  error(): Error | null {
    return this.lastError;
  }

  channel(): RealtimeChannel | null {
    return this.current;
  }

  add(listener: TChannelListener): void {
    if (this.releaseTimer) clearTimeout(this.releaseTimer);
    this.releaseTimer = null;
    this.listeners.add(listener);
    // A late joiner must still see SUBSCRIBED once: hooks load their snapshot on it.
    const status = this.state;
    if (status !== 'JOINING')
      queueMicrotask(() => this.listeners.has(listener) && listener.onStatus?.(status, this.lastError));
  }

  remove(listener: TChannelListener): void {
    this.listeners.delete(listener);
    if (this.listeners.size > 0 || this.releaseTimer) return;
    this.releaseTimer = setTimeout(() => {
      this.releaseTimer = null;
      if (this.listeners.size === 0) this.dispose();
    }, CHANNEL_RELEASE_GRACE_MS);
  }

  private open(): void {
    const generation = ++this.generation;
    const isCurrent = () => generation === this.generation && !this.isDisposed;
    const channel = this.client.channel(this.topic, {
      config: {
        private: this.options.isPrivate,
        broadcast: { replication_ready: true },
        ...(this.options.presenceKey ? { presence: { key: this.options.presenceKey, enabled: true } } : {}),
      },
    } as Parameters<SupabaseClient['channel']>[1]);
    this.current = channel;
    channel.on('broadcast', { event: '*' }, (message: unknown) => {
      if (!isCurrent()) return;
      for (const listener of this.listeners) listener.onBroadcast?.(message);
    });
    channel.on('system', {}, (payload: unknown) => {
      if (!isCurrent()) return;
      const system = readSystemPayload(payload);
      if (system.status === 'error' && typeof system.message === 'string')
        this.lastSystemError = system.message;
      if (system.extension === 'system' && system.status === 'ok' && this.readyTimer) this.reportSubscribed();
    });
    if (this.options.presenceKey) {
      // Without this, realtime-js 2.109 keeps stale metas: "2 tabs" after an update, ghosts after a leave.
      preservePresenceRefs(channel);
      channel.on('presence', { event: 'sync' }, () => {
        if (!isCurrent()) return;
        for (const listener of this.listeners) listener.onPresenceSync?.();
      });
    }
    this.setStatus('JOINING', null);
    channel.subscribe((status, error) => {
      if (!isCurrent()) return;
      this.handleStatus(status as TChannelStatus, error ?? null);
    });
  }

  private handleStatus(status: TChannelStatus, error: Error | null): void {
    if (status === 'SUBSCRIBED') {
      this.lastSystemError = null;
      // Wait for "replication ready" (or time out) before telling the hooks to load their snapshot.
      if (this.readyTimer) clearTimeout(this.readyTimer);
      this.readyTimer = setTimeout(() => this.reportSubscribed(), REPLICATION_READY_TIMEOUT_MS);
      return;
    }
    this.clearReadyTimer();
    if (status === 'CHANNEL_ERROR' && error && EXPIRED_TOKEN.test(error.message)) {
      // The client retries the join by itself; make sure the retry carries a fresh token.
      void refreshRealtimeAuth(this.client);
    }
    if (status === 'CLOSED') {
      this.recover(error);
      return;
    }
    this.setStatus(status, error);
  }

  private reportSubscribed(): void {
    this.clearReadyTimer();
    this.recoveries = [];
    this.setStatus('SUBSCRIBED', null);
  }

  private clearReadyTimer(): void {
    if (this.readyTimer) clearTimeout(this.readyTimer);
    this.readyTimer = null;
  }

  /** The server closed the channel (supabase-js will not rejoin): refresh auth if needed and re-create. */
  private recover(error: Error | null): void {
    const reason = this.lastSystemError;
    const now = Date.now();
    this.recoveries = this.recoveries.filter((at) => now - at < RECOVERY_WINDOW_MS);
    if (this.recoveries.length >= MAX_RECOVERIES) {
      this.setStatus('CLOSED', error ?? new Error(reason ?? 'Realtime closed the channel'));
      return;
    }
    this.recoveries.push(now);
    this.setStatus('CHANNEL_ERROR', error ?? new Error(reason ?? 'Realtime closed the channel'));
    const old = this.current;
    this.current = null;
    this.generation++;
    const attempt = this.recoveries.length;
    this.recoveryTimer = setTimeout(async () => {
      this.recoveryTimer = null;
      if (old) await this.client.removeChannel(old).catch(() => undefined);
      if (reason === null || EXPIRED_TOKEN.test(reason)) await refreshRealtimeAuth(this.client);
      if (!this.isDisposed) this.open();
    }, RECOVERY_BACKOFF_MS * attempt);
  }

  private setStatus(status: TChannelStatus, error: Error | null): void {
    this.state = status;
    this.lastError = error;
    connectionStore.reportChannel(this.topic, status);
    for (const listener of [...this.listeners]) listener.onStatus?.(status, error);
  }

  private dispose(): void {
    this.isDisposed = true;
    this.generation++;
    this.clearReadyTimer();
    if (this.recoveryTimer) clearTimeout(this.recoveryTimer);
    const channel = this.current;
    this.current = null;
    connectionStore.removeChannel(this.topic);
    const removal = channel
      ? this.client.removeChannel(channel).then(
          () => undefined,
          () => undefined,
        )
      : Promise.resolve();
    this.onDisposed(removal);
  }

  /** Drops every listener and the channel now (a re-join with another config replaces it). */
  disposeNow(): TChannelListener[] {
    const listeners = [...this.listeners];
    this.listeners.clear();
    if (this.releaseTimer) clearTimeout(this.releaseTimer);
    this.releaseTimer = null;
    this.dispose();
    return listeners;
  }
}

type TRegistry = {
  channels: Map<string, SharedChannel>;
  /** Topic → removal of its last channel still in flight. */
  removals: Map<string, Promise<void>>;
};

const registries = new WeakMap<SupabaseClient, TRegistry>();

function registryFor(client: SupabaseClient): TRegistry {
  let registry = registries.get(client);
  if (!registry) {
    registry = { channels: new Map(), removals: new Map() };
    registries.set(client, registry);
  }
  return registry;
}

function createShared(
  client: SupabaseClient,
  registry: TRegistry,
  topic: string,
  options: TChannelOptions,
): SharedChannel {
  const predecessorGone = registry.removals.get(topic) ?? Promise.resolve();
  const created: SharedChannel = new SharedChannel(client, topic, options, predecessorGone, (removal) => {
    if (registry.channels.get(topic) === created) registry.channels.delete(topic);
    const tracked = removal.then(() => {
      if (registry.removals.get(topic) === tracked) registry.removals.delete(topic);
    });
    registry.removals.set(topic, tracked);
  });
  registry.channels.set(topic, created);
  return created;
}

/**
 * Joins `topic` (or reuses the tab's channel for it) and delivers its statuses and messages to
 * `listener` until `release()`. Call from an effect; release in its cleanup.
 */
export function acquireChannel(
  client: SupabaseClient,
  topic: string,
  options: TChannelOptions,
  listener: TChannelListener,
): TChannelLease {
  const registry = registryFor(client);
  let shared = registry.channels.get(topic);
  const needsRejoin =
    shared !== undefined &&
    (shared.options.isPrivate !== options.isPrivate ||
      (options.presenceKey !== undefined && shared.options.presenceKey !== options.presenceKey));
  if (shared && needsRejoin) {
    // Same topic, another join config (e.g. presence now wanted): the channel is joined anew and its
    // current users move over to the replacement.
    const moved = shared.disposeNow();
    shared = createShared(client, registry, topic, { ...shared.options, ...options });
    for (const existing of moved) shared.add(existing);
  }
  shared ??= createShared(client, registry, topic, options);
  shared.add(listener);
  const first = shared;
  // The listener may be moved to a replacement channel (another user asked for presence on this
  // topic), so the lease always talks to whichever channel currently holds it.
  const owner = (): SharedChannel => {
    const current = registry.channels.get(topic);
    return current?.listeners.has(listener) ? current : first;
  };
  let isReleased = false;
  return {
    topic,
    status: () => owner().status(),
    error: () => owner().error(),
    channel: () => owner().channel(),
    release: () => {
      if (isReleased) return;
      isReleased = true;
      owner().remove(listener);
    },
  };
}
