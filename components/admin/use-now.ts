'use client';

import { useEffect, useState } from 'react';

/** The current time, re-read every `intervalMs` (the now-line moves; nothing else re-renders for it). */
export function useNow(intervalMs: number): Date | null {
  // Null until mounted: the server's "now" would differ from the browser's and break hydration.
  const [now, setNow] = useState<Date | null>(null);
  useEffect(() => {
    const tick = () => setNow(new Date());
    const first = setTimeout(tick, 0);
    const timer = setInterval(tick, intervalMs);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [intervalMs]);
  return now;
}
