'use client';

import { useSyncExternalStore } from 'react';
import type { TConnectionStatus } from '@/lib/realtime';
import { connectionStore, SERVER_CONNECTION_STATE } from './connection-store';

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
