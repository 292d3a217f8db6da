'use client';

import { useEffect, useState } from 'react';

const TICK_MS = 1_000;

/**
 * Milliseconds left until `deadline` (epoch ms), re-rendering once a second; null without a deadline.
 * Capped at `maxMs`: between ticks "now" is up to a second old, which must not show 5:01 of a 5:00 hold.
 */
export function useCountdown(deadline: number | null, maxMs = Number.POSITIVE_INFINITY): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (deadline === null) return;
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, [deadline]);
  return deadline === null ? null : Math.max(0, Math.min(maxMs, deadline - now));
}
