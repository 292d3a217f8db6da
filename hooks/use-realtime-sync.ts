'use client';

import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import {
  applySnapshot,
  emptyStore,
  fallbackPollDelay,
  mergeById,
  parseScheduleMessage,
  shouldRefetchOnChannelStatus,
  type TChannelStatus,
  type TDelta,
  type TScheduleEvent,
  type TStoreRow,
  type TStoreState,
} from '@/lib/realtime';
import { acquireChannel } from './channel-registry';
import { connectionStore, SERVER_CONNECTION_STATE } from './connection-store';
import { useSupabase } from './use-supabase';

/** What a view's status reads as: its own channels, plus the tab's network flag. */
export type TSyncStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'offline';

/** What a broadcast turns into for the store: a delta (or several), "go back to the database", or nothing. */
export type TEventOutcome<TRow extends TStoreRow> = TDelta<TRow> | readonly TDelta<TRow>[] | 'refetch' | null;

export interface TRealtimeSyncOptions<TRow extends TStoreRow> {
  /** One topic or several (lib/domain topics); the data is the union. */
  topics: string | readonly string[];
  /** Every topic of this app is private (RLS on realtime.messages); default true. */
  isPrivate?: boolean;
  /** Broadcast events that concern this view; others are ignored. Default: all schedule events. */
  events?: readonly TScheduleEvent['event'][];
  /** Loads the truth from the database. Called after SUBSCRIBED, on every re-SUBSCRIBED, when the tab becomes visible or the network returns, and as the fallback poll. */
  fetchSnapshot: () => Promise<readonly TRow[]>;
  /** Identifies what fetchSnapshot loads (e.g. the visible days); a change drops the data and loads anew. */
  snapshotKey?: string;
  /** Turns a validated event into a store change. Without it every event triggers a re-fetch. */
  toDelta?: (event: TScheduleEvent, receivedAt: number) => TEventOutcome<TRow>;
  /** False: no channel, no fetch (e.g. until the user id is known). Default true. */
  enabled?: boolean;
}

export interface TRealtimeSyncCallbacks {
  /** Every relevant, validated event (for toasts); called after the store has it. */
  onEvent?: (event: TScheduleEvent) => void;
  onError?: (error: Error) => void;
}

export interface TRealtimeSyncResult<TRow extends TStoreRow> {
  /** Rows ordered by start time, then id. */
  data: readonly TRow[];
  status: TSyncStatus;
  error: Error | null;
  /** True until the first snapshot for the current snapshotKey has arrived. */
  isLoading: boolean;
  /** When the last snapshot request was sent (ms). */
  lastFetchedAt: number | null;
  refetch: () => Promise<void>;
}

type TSyncState<TRow extends TStoreRow> = {
  key: string;
  store: TStoreState<TRow>;
  hasSnapshot: boolean;
  error: Error | null;
};

const DEFAULT_KEY = '';

function freshState<TRow extends TStoreRow>(key: string): TSyncState<TRow> {
  return { key, store: emptyStore<TRow>(), hasSnapshot: false, error: null };
}

function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  if (typeof value === 'object' && value !== null && 'message' in value && typeof value.message === 'string')
    return new Error(value.message);
  return new Error('Could not load the latest data');
}

function deriveStatus(
  isEnabled: boolean,
  isOnline: boolean,
  statuses: Readonly<Record<string, TChannelStatus>>,
  topics: readonly string[],
  hasBeenLive: boolean,
): TSyncStatus {
  if (!isEnabled) return 'idle';
  if (!isOnline) return 'offline';
  if (topics.length > 0 && topics.every((topic) => statuses[topic] === 'SUBSCRIBED')) return 'connected';
  return hasBeenLive ? 'reconnecting' : 'connecting';
}

/**
 * The general realtime view hook: subscribes to private topics, loads a snapshot once SUBSCRIBED (and on
 * every re-SUBSCRIBED, when a hidden tab becomes visible and when the network returns), merges live
 * deltas by id/version through lib/realtime, and while the channels are not live polls every 30 s
 * (stopping as soon as realtime is back). Events are signals; the database is the truth.
 */
export function useRealtimeSync<TRow extends TStoreRow>(
  options: TRealtimeSyncOptions<TRow>,
  callbacks: TRealtimeSyncCallbacks = {},
): TRealtimeSyncResult<TRow> {
  const client = useSupabase();
  const { isPrivate = true, enabled = true, snapshotKey = DEFAULT_KEY } = options;
  const topicList = useMemo(
    () => (typeof options.topics === 'string' ? [options.topics] : [...options.topics]),
    [options.topics],
  );
  const topicsKey = topicList.join('\n');
  const eventsKey = options.events ? options.events.join(',') : '*';

  const [state, setState] = useState<TSyncState<TRow>>(() => freshState<TRow>(snapshotKey));
  const emptyView = useMemo(() => freshState<TRow>(snapshotKey), [snapshotKey]);
  const [statuses, setStatuses] = useState<Readonly<Record<string, TChannelStatus>>>({});
  const [hasBeenLive, setHasBeenLive] = useState(false);
  const [lastFetchedAt, setLastFetchedAt] = useState<number | null>(null);
  const [mountedAt] = useState(() => Date.now());
  const connection = useSyncExternalStore(
    connectionStore.subscribe,
    connectionStore.getSnapshot,
    () => SERVER_CONNECTION_STATE,
  );

  // Latest callbacks and inputs for code running inside long-lived effects (no effect re-runs per render).
  const latest = useRef({ options, callbacks, snapshotKey });
  useLayoutEffect(() => {
    latest.current = { options, callbacks, snapshotKey };
  });

  const refetch = useCallback(async (): Promise<void> => {
    const { options: current, snapshotKey: key } = latest.current;
    const requestedAt = Date.now();
    setLastFetchedAt(requestedAt);
    try {
      const rows = await current.fetchSnapshot();
      setState((prev) => {
        if (key !== latest.current.snapshotKey) return prev; // the view moved on while this was in flight
        const base = prev.key === key ? prev : freshState<TRow>(key);
        return {
          ...base,
          store: applySnapshot(base.store, rows, requestedAt),
          hasSnapshot: true,
          error: null,
        };
      });
    } catch (caught) {
      const error = toError(caught);
      setState((prev) =>
        prev.key === key
          ? { ...prev, error, hasSnapshot: true }
          : { ...freshState<TRow>(key), error, hasSnapshot: true },
      );
      latest.current.callbacks.onError?.(error);
    }
  }, []);

  // Channels: one lease per topic for the lifetime of this topic set.
  useEffect(() => {
    if (!enabled) return;
    const topics = topicsKey.split('\n').filter(Boolean);
    const allowed = eventsKey === '*' ? null : new Set(eventsKey.split(','));
    const seen: Record<string, TChannelStatus | undefined> = {};
    const leases = topics.map((topic) =>
      acquireChannel(
        client,
        topic,
        { isPrivate },
        {
          onStatus: (status, error) => {
            const previous = seen[topic];
            seen[topic] = status;
            setStatuses((prev) => (prev[topic] === status ? prev : { ...prev, [topic]: status }));
            if (status === 'SUBSCRIBED') setHasBeenLive(true);
            if (error && status !== 'SUBSCRIBED') latest.current.callbacks.onError?.(error);
            if (shouldRefetchOnChannelStatus(previous, status)) void refetch();
          },
          onBroadcast: (message) => {
            const parsed = parseScheduleMessage(message);
            if (!parsed.ok) {
              // Unknown or malformed: something changed that this client cannot read; ask the database.
              if (parsed.code !== 'unknown_event') void refetch();
              return;
            }
            if (allowed && !allowed.has(parsed.event)) return;
            const event = { event: parsed.event, payload: parsed.payload } as TScheduleEvent;
            const toDelta = latest.current.options.toDelta;
            const outcome = toDelta ? toDelta(event, Date.now()) : 'refetch';
            if (outcome === 'refetch') void refetch();
            else if (outcome !== null) {
              const deltas = Array.isArray(outcome)
                ? (outcome as readonly TDelta<TRow>[])
                : [outcome as TDelta<TRow>];
              setState((prev) => {
                const key = latest.current.snapshotKey;
                let base = prev.key === key ? prev : freshState<TRow>(key);
                for (const delta of deltas) base = { ...base, store: mergeById(base.store, delta) };
                return base;
              });
            }
            latest.current.callbacks.onEvent?.(event);
          },
        },
      ),
    );
    return () => {
      for (const lease of leases) lease.release();
      setStatuses({});
    };
  }, [client, topicsKey, eventsKey, isPrivate, enabled, refetch]);

  // A new snapshotKey on live channels: load it now (otherwise the next SUBSCRIBED does).
  const isLive = topicList.length > 0 && topicList.every((topic) => statuses[topic] === 'SUBSCRIBED');
  const isLiveRef = useRef(isLive);
  useLayoutEffect(() => {
    isLiveRef.current = isLive;
  });
  useEffect(() => {
    if (enabled && isLiveRef.current) void refetch();
  }, [snapshotKey, enabled, refetch]);

  // Browsers throttle or drop sockets of hidden tabs and offline periods: catch up on return.
  useEffect(() => {
    if (!enabled || typeof document === 'undefined') return;
    const onVisibility = () => {
      if (document.visibilityState === 'visible') void refetch();
    };
    const onOnline = () => void refetch();
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('online', onOnline);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('online', onOnline);
    };
  }, [enabled, refetch]);

  const status = deriveStatus(enabled, connection.isOnline, statuses, topicList, hasBeenLive);

  // Fallback poll while the channels are not live; stops as soon as they are.
  useEffect(() => {
    if (status !== 'connecting' && status !== 'reconnecting') return;
    const delay = fallbackPollDelay('reconnecting', lastFetchedAt ?? mountedAt, Date.now());
    if (delay === null) return;
    const timer = setTimeout(() => void refetch(), delay);
    return () => clearTimeout(timer);
  }, [status, lastFetchedAt, mountedAt, refetch]);

  const view = state.key === snapshotKey ? state : emptyView;
  return {
    data: view.store.rows,
    status,
    error: view.error,
    isLoading: enabled && !view.hasSnapshot,
    lastFetchedAt,
    refetch,
  };
}
