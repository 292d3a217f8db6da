/**
 * The one connection status of this tab, shared by every realtime hook and the connection indicator.
 *
 * It is module state on purpose: a tab has one socket (the browser Supabase client is a singleton), so
 * "are we live?" is a property of the tab, not of a component. Channels report their statuses here (via
 * the channel registry), the socket state is sampled from `RealtimeClient#connectionState()` (supabase-js
 * offers no public open/close listener that does not replace its own), and the browser's online/offline
 * events feed the network flag. The pure reducer in lib/realtime decides the status.
 */
import {
  connectionReducer,
  initialConnectionState,
  type TChannelStatus,
  type TConnectionEvent,
  type TConnectionState,
  type TSocketState,
} from '@/lib/realtime';

/** How often the socket state is sampled while channels are open. Cheap: it reads a field. */
export const SOCKET_SAMPLE_INTERVAL_MS = 1_000;

/** What the store needs from a realtime client; the real one is `supabase.realtime`. */
export interface TSocketSource {
  connectionState(): string;
}

type TListener = () => void;

/** The UI's wording: like TConnectionStatus, but a tab that was never live yet is "connecting". */
export type TDisplayStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';

function isSocketState(value: string): value is TSocketState {
  return value === 'connecting' || value === 'open' || value === 'closing' || value === 'closed';
}

function browserIsOnline(): boolean {
  return typeof navigator === 'undefined' ? true : navigator.onLine !== false;
}

/** A tab with no channel yet: nothing is missing, so it counts as connected (unless offline). */
function idleState(isOnline: boolean): TConnectionState {
  return connectionReducer(initialConnectionState(isOnline), { type: 'socket', state: 'open' });
}

class ConnectionStore {
  private state: TConnectionState = idleState(browserIsOnline());
  private readonly listeners = new Set<TListener>();
  private socket: TSocketSource | null = null;
  private sampleTimer: ReturnType<typeof setInterval> | null = null;
  private hasNetworkListeners = false;
  private hasBeenLive = false;

  getSnapshot = (): TConnectionState => this.state;

  getDisplayStatus = (): TDisplayStatus => {
    const { status } = this.state;
    return status === 'reconnecting' && !this.hasBeenLive ? 'connecting' : status;
  };

  subscribe = (listener: TListener): (() => void) => {
    this.listeners.add(listener);
    this.ensureNetworkListeners();
    this.dispatch({ type: 'network', isOnline: browserIsOnline() });
    return () => {
      this.listeners.delete(listener);
    };
  };

  /** Registers the tab's realtime client; sampling runs only while at least one channel exists. */
  attachSocket(socket: TSocketSource): void {
    this.socket = socket;
    this.ensureNetworkListeners();
    this.sampleSocket();
  }

  reportChannel(topic: string, status: TChannelStatus): void {
    this.dispatch({ type: 'channel', topic, status });
    this.sampleSocket();
    this.updateSampling();
  }

  removeChannel(topic: string): void {
    this.dispatch({ type: 'channel_removed', topic });
    this.sampleSocket();
    this.updateSampling();
  }

  /** Test hook: back to a fresh tab. */
  reset(): void {
    if (this.sampleTimer) clearInterval(this.sampleTimer);
    this.sampleTimer = null;
    this.socket = null;
    this.hasBeenLive = false;
    this.state = idleState(browserIsOnline());
    this.emit();
  }

  private hasChannels(): boolean {
    return Object.keys(this.state.channels).length > 0;
  }

  private sampleSocket(): void {
    // With no channel there is nothing to be live for: supabase-js even closes an idle socket on
    // purpose, which must not read as "reconnecting" in the header.
    const raw = this.hasChannels() && this.socket ? this.socket.connectionState() : 'open';
    if (isSocketState(raw)) this.dispatch({ type: 'socket', state: raw });
  }

  private updateSampling(): void {
    const shouldSample = this.hasChannels() && this.socket !== null;
    if (shouldSample && !this.sampleTimer) {
      this.sampleTimer = setInterval(() => this.sampleSocket(), SOCKET_SAMPLE_INTERVAL_MS);
    } else if (!shouldSample && this.sampleTimer) {
      clearInterval(this.sampleTimer);
      this.sampleTimer = null;
    }
  }

  private ensureNetworkListeners(): void {
    if (this.hasNetworkListeners || typeof window === 'undefined') return;
    this.hasNetworkListeners = true;
    window.addEventListener('online', () => this.dispatch({ type: 'network', isOnline: true }));
    window.addEventListener('offline', () => this.dispatch({ type: 'network', isOnline: false }));
  }

  private dispatch(event: TConnectionEvent): void {
    const next = connectionReducer(this.state, event);
    if (next === this.state) return;
    this.state = next;
    if (next.status === 'connected' && Object.keys(next.channels).length > 0) this.hasBeenLive = true;
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

export const connectionStore = new ConnectionStore();

/** What server rendering shows: optimistic, so the indicator does not flash "offline" before hydration. */
export const SERVER_CONNECTION_STATE: TConnectionState = idleState(true);
