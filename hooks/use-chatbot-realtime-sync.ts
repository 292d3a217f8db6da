'use client';

import { useCallback, useState } from 'react';
import type { TSlotsChanged } from '@/lib/realtime';
import { useRealtimeAvailability } from './use-realtime-availability';

export interface TChatbotRealtimeCallbacks {
  /** The clinic the widget talks about; null/undefined keeps the widget offline. */
  clinicId: string | null | undefined;
  /** Only changes inside this window (ISO instants) concern the slots on screen; omit for any change. */
  from?: string | null;
  to?: string | null;
  dentistId?: string | null;
  /** Slots the chat offered may have vanished or appeared: re-check them. */
  onSlotsChanged?: (change: TSlotsChanged) => void;
  /** Reconnected / tab visible again / fallback poll: re-check the offered slots. */
  onResync?: () => void;
  onError?: (error: Error) => void;
}

export interface TChatbotRealtimeResult {
  isConnected: boolean;
  error: Error | null;
  /** Leaves the channel for good (the widget was closed); mount a new widget to listen again. */
  disconnect: () => void;
}

/**
 * Realtime for the public chatbot widget: the clinic's availability topic, which anonymous visitors may
 * join with the anon key, so slots the bot offered can be re-checked when they change while the chat is
 * open. Carries no patient data.
 */
export function useChatbotRealtimeSync(callbacks: TChatbotRealtimeCallbacks): TChatbotRealtimeResult {
  const [isDisconnected, setIsDisconnected] = useState(false);
  const { isConnected, error } = useRealtimeAvailability(
    {
      clinicId: callbacks.clinicId,
      dentistId: callbacks.dentistId,
      from: callbacks.from,
      to: callbacks.to,
      enabled: !isDisconnected,
    },
    { onSlotsChanged: callbacks.onSlotsChanged, onResync: callbacks.onResync, onError: callbacks.onError },
  );
  const disconnect = useCallback(() => setIsDisconnected(true), []);
  return { isConnected, error, disconnect };
}
