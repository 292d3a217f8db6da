/**
 * When to go back to the database. Realtime events are signals; the database is the truth, and Realtime
 * does not replay what a client missed while it was away, so:
 *  - re-fetch every time a channel becomes SUBSCRIBED (first join and every rejoin after a drop),
 *  - re-fetch when a hidden tab becomes visible (browsers throttle or drop background sockets),
 *  - poll every 30 s as a fallback only while the connection is not healthy, and not while the browser
 *    says it has no network at all (the fetch could only fail; the rejoin re-fetches when it returns).
 */
import type { TChannelStatus, TConnectionStatus } from './connection-status';

export const FALLBACK_POLL_INTERVAL_MS = 30_000;

export type TVisibility = 'visible' | 'hidden';

export function shouldRefetchOnChannelStatus(
  previous: TChannelStatus | undefined,
  next: TChannelStatus,
): boolean {
  return next === 'SUBSCRIBED' && previous !== 'SUBSCRIBED';
}

export function shouldRefetchOnVisibility(previous: TVisibility, next: TVisibility): boolean {
  return previous === 'hidden' && next === 'visible';
}

/**
 * Milliseconds until the next fallback poll, or null for "do not poll". `lastFetchedAt` is when the last
 * fetch (of any cause) was sent, so a rejoin re-fetch also resets the poll clock.
 */
export function fallbackPollDelay(
  status: TConnectionStatus,
  lastFetchedAt: number | null,
  now: number,
): number | null {
  if (status !== 'reconnecting') return null;
  if (lastFetchedAt === null) return 0;
  return Math.max(0, lastFetchedAt + FALLBACK_POLL_INTERVAL_MS - now);
}

type TInstantRange = { from: string | null; to: string | null };

/**
 * Whether a `slots_changed` / `availability_changed` signal concerns a view showing `view` (UTC ISO
 * instants, [from, to)). A null bound means "unbounded" (a weekly rule changed: every week is affected).
 */
export function affectsWindow(
  change: TInstantRange & { dentist_id?: string },
  view: { from: string; to: string; dentistId?: string | null },
): boolean {
  if (view.dentistId && change.dentist_id && change.dentist_id !== view.dentistId) return false;
  const changeFrom = change.from === null ? Number.NEGATIVE_INFINITY : Date.parse(change.from);
  const changeTo = change.to === null ? Number.POSITIVE_INFINITY : Date.parse(change.to);
  return changeFrom < Date.parse(view.to) && Date.parse(view.from) < changeTo;
}

/**
 * A hold lapses silently (expiry writes nothing), so a `slots_changed` carrying `until` asks for one more
 * re-fetch at that instant; returns its epoch ms, or null when none is needed.
 */
export function refetchAtHoldExpiry(change: { until?: string | null }, now: number): number | null {
  if (!change.until) return null;
  const at = Date.parse(change.until);
  return Number.isNaN(at) || at <= now ? null : at;
}
