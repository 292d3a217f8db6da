/**
 * One connection status for the UI (connected / reconnecting / offline), derived from the socket state,
 * every channel's subscribe status and the browser's network flag.
 *
 *   offline       navigator.onLine is false — nothing can work until the network returns
 *   connected     socket open and every channel SUBSCRIBED (no channels yet counts as connected)
 *   reconnecting  anything else: socket connecting/closed, a channel joining, errored, timed out or closed
 */

/** `RealtimeClient#connectionState()` values. */
export const SOCKET_STATES = ['connecting', 'open', 'closing', 'closed'] as const;
export type TSocketState = (typeof SOCKET_STATES)[number];

/** supabase-js subscribe callback statuses, plus JOINING for "subscribe() called, no answer yet". */
export const CHANNEL_STATUSES = ['JOINING', 'SUBSCRIBED', 'CHANNEL_ERROR', 'TIMED_OUT', 'CLOSED'] as const;
export type TChannelStatus = (typeof CHANNEL_STATUSES)[number];

export const CONNECTION_STATUSES = ['connected', 'reconnecting', 'offline'] as const;
export type TConnectionStatus = (typeof CONNECTION_STATUSES)[number];

export type TConnectionState = {
  readonly socket: TSocketState;
  readonly channels: Readonly<Record<string, TChannelStatus>>;
  readonly isOnline: boolean;
  readonly status: TConnectionStatus;
};

export type TConnectionEvent =
  | { type: 'socket'; state: TSocketState }
  | { type: 'channel'; topic: string; status: TChannelStatus }
  /** The app removed the channel on purpose (unmount): it no longer counts. */
  | { type: 'channel_removed'; topic: string }
  | { type: 'network'; isOnline: boolean };

export function deriveConnectionStatus(
  input: Pick<TConnectionState, 'socket' | 'channels' | 'isOnline'>,
): TConnectionStatus {
  if (!input.isOnline) return 'offline';
  if (input.socket !== 'open') return 'reconnecting';
  return Object.values(input.channels).every((status) => status === 'SUBSCRIBED')
    ? 'connected'
    : 'reconnecting';
}

export function initialConnectionState(isOnline: boolean): TConnectionState {
  const base = { socket: 'connecting' as const, channels: {}, isOnline };
  return { ...base, status: deriveConnectionStatus(base) };
}

/** Reducer for useReducer; returns the same object when nothing changed. */
export function connectionReducer(state: TConnectionState, event: TConnectionEvent): TConnectionState {
  let next: Omit<TConnectionState, 'status'>;
  switch (event.type) {
    case 'socket':
      if (state.socket === event.state) return state;
      next = { ...state, socket: event.state };
      break;
    case 'channel':
      if (state.channels[event.topic] === event.status) return state;
      next = { ...state, channels: { ...state.channels, [event.topic]: event.status } };
      break;
    case 'channel_removed': {
      if (!(event.topic in state.channels)) return state;
      const { [event.topic]: _removed, ...channels } = state.channels;
      next = { ...state, channels };
      break;
    }
    case 'network':
      if (state.isOnline === event.isOnline) return state;
      next = { ...state, isOnline: event.isOnline };
      break;
  }
  return { ...next, status: deriveConnectionStatus(next) };
}
