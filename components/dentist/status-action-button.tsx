'use client';

import { useId } from 'react';
import type { TAppointmentStatus } from '@/lib/domain/appointments';
import { instantToLocal } from '@/lib/scheduling/time-zone';
import { formatLocalDate, formatTime, STATUS_ACTION_LABELS } from './staff-format';

interface StatusActionButtonProps {
  status: TAppointmentStatus;
  /** Accessible name, e.g. "Check in: Emma Wilson at 10:00". */
  label: string;
  /** When the action becomes possible (the clinic's status window), or null when it is possible now. */
  opensAt: Date | null;
  timeZone: string;
  today: string;
  isPending: boolean;
  size?: 'sm' | 'md';
  onAct: () => void;
}

const SIZES = { sm: 'rounded-md px-2.5 py-1 text-xs', md: 'rounded-lg px-3 py-1.5 text-sm' } as const;

/**
 * One workflow action. Outside its status window it stays focusable but inert (aria-disabled, not
 * disabled, so keyboard and screen-reader users reach it) and says when it opens.
 */
export function StatusActionButton({
  status,
  label,
  opensAt,
  timeZone,
  today,
  isPending,
  size = 'sm',
  onAct,
}: StatusActionButtonProps) {
  const hintId = useId();
  const isLocked = opensAt !== null;
  const isDestructive = status === 'cancelled' || status === 'no_show';
  const opensLocal = opensAt ? instantToLocal(opensAt, timeZone) : null;
  const when = opensLocal
    ? `${opensLocal.date === today ? '' : `${formatLocalDate(opensLocal.date, { day: 'numeric', month: 'short' })}, `}${formatTime(opensAt?.toISOString() ?? '', timeZone)}`
    : '';
  return (
    <span className="inline-flex flex-col items-start gap-0.5">
      <button
        type="button"
        disabled={isPending}
        aria-disabled={isLocked || undefined}
        aria-describedby={isLocked ? hintId : undefined}
        aria-label={label}
        onClick={() => {
          if (!isLocked) onAct();
        }}
        className={`${SIZES[size]} font-semibold disabled:cursor-wait disabled:opacity-60 aria-disabled:cursor-not-allowed aria-disabled:opacity-50 ${
          isDestructive
            ? 'border border-red-300 text-red-700 hover:bg-red-50 aria-disabled:hover:bg-transparent'
            : 'bg-brand-600 text-white hover:bg-brand-700 aria-disabled:hover:bg-brand-600'
        }`}
      >
        {STATUS_ACTION_LABELS[status]}
      </button>
      {isLocked ? (
        <span id={hintId} className="text-[11px] text-slate-500">
          Opens {when}
        </span>
      ) : null}
    </span>
  );
}
