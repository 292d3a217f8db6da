'use client';

import { useSyncExternalStore } from 'react';
import type { TConnectionStatus } from '@/lib/realtime';
import { connectionStore, SERVER_CONNECTION_STATE, type TDisplayStatus } from './connection-store';

/**
 * The tab's one realtime status for the UI — connected / reconnecting / offline — from the socket state,
 * every open channel's status and navigator.onLine (reduced by lib/realtime's connection reducer).
 */
export function useConnectionStatus(): TConnectionStatus {
  return useSyncExternalStore(
    connectionStore.subscribe,
    () => connectionStore.getSnapshot().status,
    () => SERVER_CONNECTION_STATE.status,
  );
}

/** The same status worded for people: "connecting" until the tab has been live once (not "reconnecting"). */
export function useConnectionDisplayStatus(): TDisplayStatus {
  return useSyncExternalStore(
    connectionStore.subscribe,
    connectionStore.getDisplayStatus,
    () => SERVER_CONNECTION_STATE.status,
  );
}
