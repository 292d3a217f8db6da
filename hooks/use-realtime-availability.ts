'use client';

import { useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore } from 'react';
import { topics } from '@/lib/domain/realtime';
import {
  affectsWindow,
  fallbackPollDelay,
  parseScheduleMessage,
  REALTIME_EVENTS,
  refetchAtHoldExpiry,
  shouldRefetchOnChannelStatus,
  type TChannelStatus,
  type TSlotsChanged,
} from '@/lib/realtime';
import { acquireChannel } from './channel-registry';
import { connectionStore, SERVER_CONNECTION_STATE } from './connection-store';
import type { TSyncStatus } from './use-realtime-sync';
import { useSupabase } from './use-supabase';

export interface TRealtimeAvailabilityOptions {
  /** Null/undefined disables the hook. */
  clinicId: string | null | undefined;
  /** Only changes for this dentist concern the view (null/undefined: any dentist). */
  dentistId?: string | null;
  /** The window the view shows, [from, to) as ISO instants; without it every change concerns it. */
  from?: string | null;
  to?: string | null;
  enabled?: boolean;
}

export interface TRealtimeAvailabilityCallbacks {
  /** Free time changed inside the view's window (or a hold in it lapsed): re-fetch the slots. */
  onSlotsChanged?: (change: TSlotsChanged) => void;
  /**
   * The view may have missed changes — (re)subscribed, tab visible again, network back, or the fallback
   * poll while realtime is down: re-fetch. Also fires on the first SUBSCRIBED.
   */
  onResync?: () => void;
  onError?: (error: Error) => void;
}

export interface TRealtimeAvailabilityResult {
  status: TSyncStatus;
  isConnected: boolean;
  error: Error | null;
  /** When the last relevant change arrived (ms), for "updated just now" hints. */
  lastChangeAt: number | null;
}

/**
 * Follows the clinic's public availability topic ("slots changed for dentist X between T1 and T2"; no
 * patient data, anon may join) so a slot grid re-fetches only when its own window is affected.
 * A hold frees its slot silently when it lapses, so a change carrying `until` schedules one more
 * signal at that instant.
 */
export function useRealtimeAvailability(
  options: TRealtimeAvailabilityOptions,
  callbacks: TRealtimeAvailabilityCallbacks = {},
): TRealtimeAvailabilityResult {
  const client = useSupabase();
  const { clinicId, dentistId = null, from = null, to = null, enabled = true } = options;
  const isEnabled = enabled && Boolean(clinicId);
  const topic = clinicId ? topics.clinicAvailability(clinicId) : null;

  const [channelStatus, setChannelStatus] = useState<TChannelStatus | null>(null);
  const [hasBeenLive, setHasBeenLive] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [lastChangeAt, setLastChangeAt] = useState<number | null>(null);
  const [lastResyncAt, setLastResyncAt] = useState<number | null>(null);
  const [mountedAt] = useState(() => Date.now());
  const connection = useSyncExternalStore(
    connectionStore.subscribe,
    connectionStore.getSnapshot,
    () => SERVER_CONNECTION_STATE,
  );

  const latest = useRef({ callbacks, dentistId, from, to });
  useLayoutEffect(() => {
    latest.current = { callbacks, dentistId, from, to };
  });

  useEffect(() => {
    if (!isEnabled || !topic) return;
    const expiryTimers = new Set<ReturnType<typeof setTimeout>>();
    let previous: TChannelStatus | undefined;
    const resync = () => {
      setLastResyncAt(Date.now());
      latest.current.callbacks.onResync?.();
    };
    const signal = (change: TSlotsChanged) => {
      setLastChangeAt(Date.now());
      latest.current.callbacks.onSlotsChanged?.(change);
    };
    const lease = acquireChannel(
      client,
      topic,
      { isPrivate: true },
      {
        onStatus: (status, channelError) => {
          const before = previous;
          previous = status;
          setChannelStatus(status);
          setError(status === 'SUBSCRIBED' ? null : channelError);
          if (channelError && status !== 'SUBSCRIBED') latest.current.callbacks.onError?.(channelError);
          if (status === 'SUBSCRIBED') setHasBeenLive(true);
          if (shouldRefetchOnChannelStatus(before, status)) resync();
        },
        onBroadcast: (message) => {
          const parsed = parseScheduleMessage(message);
          if (!parsed.ok) {
            if (parsed.code !== 'unknown_event') resync();
            return;
          }
          if (parsed.event !== REALTIME_EVENTS.slotsChanged) return;
          const change = parsed.payload;
          const view = latest.current;
          const concernsView =
            view.from && view.to
              ? affectsWindow(change, { from: view.from, to: view.to, dentistId: view.dentistId })
              : !view.dentistId || view.dentistId === change.dentist_id;
          if (!concernsView) return;
          signal(change);
          const at = refetchAtHoldExpiry(change, Date.now());
          if (at !== null) {
            const timer = setTimeout(() => {
              expiryTimers.delete(timer);
              signal({ ...change, until: null });
            }, at - Date.now());
            expiryTimers.add(timer);
          }
        },
      },
    );
    const onVisibility = () => {
      if (document.visibilityState === 'visible') resync();
    };
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('online', resync);
    return () => {
      lease.release();
      for (const timer of expiryTimers) clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('online', resync);
      setChannelStatus(null);
    };
  }, [client, topic, isEnabled]);

  let status: TSyncStatus;
  if (!isEnabled) status = 'idle';
  else if (!connection.isOnline) status = 'offline';
  else if (channelStatus === 'SUBSCRIBED') status = 'connected';
  else status = hasBeenLive ? 'reconnecting' : 'connecting';

  // Fallback while realtime is down: ask the view to re-fetch every 30 s.
  useEffect(() => {
    if (status !== 'connecting' && status !== 'reconnecting') return;
    const delay = fallbackPollDelay('reconnecting', lastResyncAt ?? mountedAt, Date.now());
    if (delay === null) return;
    const timer = setTimeout(() => {
      setLastResyncAt(Date.now());
      latest.current.callbacks.onResync?.();
    }, delay);
    return () => clearTimeout(timer);
  }, [status, lastResyncAt, mountedAt]);

  return { status, isConnected: status === 'connected', error, lastChangeAt };
}
