'use client';

import { useEffect, useRef } from 'react';

/** First re-check after an outage is noticed; each further one waits twice as long, up to the cap. */
export const FIRST_PROBE_DELAY_MS = 1_000;
export const MAX_PROBE_DELAY_MS = 10_000;
/** ± this share of randomness, so many tabs that lost the backend together do not return in step. */
export const PROBE_JITTER = 0.2;
/** The app's public liveness endpoint: 200 when the database and Realtime answer, 503 otherwise. */
export const HEALTH_PATH = '/api/realtime/health';

/** Delay before probe number `attempt` (0-based): exponential back-off with jitter, capped. */
export function probeDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_PROBE_DELAY_MS, FIRST_PROBE_DELAY_MS * 2 ** Math.max(0, attempt));
  const jitter = 1 + PROBE_JITTER * (2 * random() - 1);
  return Math.round(Math.min(MAX_PROBE_DELAY_MS, base * jitter));
}

/** True when the backend answers its health check; any failure (offline, 503, timeout) is false. */
export async function isBackendReachable(): Promise<boolean> {
  try {
    const response = await fetch(HEALTH_PATH, { cache: 'no-store', headers: { accept: 'application/json' } });
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * While `isActive`, probes the backend with back-off and calls `onReachable` whenever it answers
 * (e.g. router.refresh(): the server then decides afresh). Probing goes on until the caller turns it
 * off or unmounts — a refresh that still meets an outage simply keeps the notice up.
 */
export function useBackendRecovery(isActive: boolean, onReachable: () => void): void {
  const latest = useRef(onReachable);
  useEffect(() => {
    latest.current = onReachable;
  });

  useEffect(() => {
    if (!isActive) return;
    let attempt = 0;
    let isCancelled = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const probe = async () => {
      const isReachable = await isBackendReachable();
      if (isCancelled) return;
      if (isReachable) latest.current();
      timer = setTimeout(() => void probe(), probeDelayMs(++attempt));
    };
    timer = setTimeout(() => void probe(), probeDelayMs(attempt));
    return () => {
      isCancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [isActive]);
}
