'use client';

import { useEffect, useRef, useState } from 'react';
import type { THold, TShownSlot } from './chat-state';

/** "4:59" from milliseconds left (never negative). */
export function formatCountdown(msLeft: number): string {
  const seconds = Math.max(0, Math.ceil(msLeft / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

const TICK_MS = 1000;

/**
 * The time the patient is holding, with a countdown to the hold's expiry (the database's clock is the
 * truth: book_appointment refuses an expired hold with hold_expired) and the confirm / cancel buttons.
 * The confirm button takes focus when the hold is granted so keyboard users land on the next step.
 */
export function HoldCard({
  hold,
  slot,
  timeZone,
  onConfirm,
  onCancel,
  onExpire,
}: {
  hold: Exclude<THold, { phase: 'holding' }>;
  slot: TShownSlot;
  timeZone: string;
  onConfirm: () => void;
  onCancel: () => void;
  onExpire: () => void;
}) {
  const expiresAt = Date.parse(hold.expiresAt);
  const [now, setNow] = useState(() => Date.now());
  const confirmRef = useRef<HTMLButtonElement>(null);
  const isBooking = hold.phase === 'booking';

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    if (now >= expiresAt && !isBooking) onExpire();
  }, [now, expiresAt, isBooking, onExpire]);

  useEffect(() => {
    confirmRef.current?.focus();
  }, [hold.holdId]);

  return (
    <section aria-label="Confirm your booking" className="border-t border-brand-200 bg-brand-50 px-4 py-3">
      <p className="text-sm font-semibold text-slate-900">
        {slot.serviceName} · {slot.label}
      </p>
      <p className="mt-0.5 text-xs text-slate-600">
        Times in {timeZone}. Reserved for you for{' '}
        <span className="font-semibold tabular-nums" data-testid="hold-countdown">
          {formatCountdown(expiresAt - now)}
        </span>
        .
      </p>
      <div className="mt-2 flex gap-2">
        <button
          ref={confirmRef}
          type="button"
          onClick={onConfirm}
          disabled={isBooking}
          className="inline-grid flex-1 items-center justify-items-center rounded-lg bg-brand-600 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 disabled:cursor-wait disabled:bg-brand-600/70"
        >
          <span className={`col-start-1 row-start-1 ${isBooking ? 'invisible' : ''}`}>Confirm booking</span>
          <span
            aria-hidden={!isBooking}
            className={`col-start-1 row-start-1 inline-flex items-center gap-2 ${isBooking ? '' : 'invisible'}`}
          >
            <span className="size-4 animate-spin rounded-full border-2 border-current border-r-transparent" />
            Booking…
          </span>
        </button>
        <button
          type="button"
          onClick={onCancel}
          disabled={isBooking}
          className="rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-50 disabled:opacity-60"
        >
          Cancel
        </button>
      </div>
    </section>
  );
}
