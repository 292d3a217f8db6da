'use client';

import type { TDisplayStatus } from '@/hooks/connection-store';
import { useConnectionDisplayStatus } from '@/hooks/use-connection-status';

const PRESENTATION: Record<TDisplayStatus, { label: string; hint: string; dot: string; text: string }> = {
  connecting: {
    label: 'Connecting…',
    hint: 'Starting live updates.',
    dot: 'bg-slate-400 animate-pulse',
    text: 'text-slate-700',
  },
  connected: {
    label: 'Live',
    hint: 'Updates arrive as they happen.',
    dot: 'bg-emerald-500',
    text: 'text-emerald-800',
  },
  reconnecting: {
    label: 'Reconnecting…',
    hint: 'Live updates are paused; we check for changes every 30 seconds until the connection is back.',
    dot: 'bg-amber-500 animate-pulse',
    text: 'text-amber-800',
  },
  offline: {
    label: 'Offline',
    hint: 'No network. Changes will load when you are back online.',
    dot: 'bg-rose-500',
    text: 'text-rose-800',
  },
};

/**
 * The tab's realtime status in words and color (never color alone), announced politely to screen
 * readers when it changes. Fixed width so the header does not shift when the label changes.
 */
export function ConnectionIndicator({ className = '' }: { className?: string }) {
  const status = useConnectionDisplayStatus();
  const view = PRESENTATION[status];
  return (
    <p
      role="status"
      aria-live="polite"
      data-status={status}
      data-testid="connection-indicator"
      title={view.hint}
      className={`inline-flex min-w-[8.5rem] items-center gap-2 rounded-full border border-slate-200 bg-white px-2.5 py-1 text-xs font-medium ${view.text} ${className}`}
    >
      <span aria-hidden className={`size-2 shrink-0 rounded-full ${view.dot}`} />
      <span>{view.label}</span>
      <span className="sr-only">{view.hint}</span>
    </p>
  );
}
