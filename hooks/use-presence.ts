'use client';

import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { z } from 'zod';
import { MEMBER_ROLES } from '@/lib/domain/appointments';
import { acquireChannel, type TChannelLease } from './channel-registry';
import { useSupabase } from './use-supabase';

/**
 * Realtime allows a handful of presence updates per client per window (field notes: ≤ 5 track() per 30 s);
 * one every 6 s stays inside it however fast someone clicks around.
 */
export const MIN_TRACK_INTERVAL_MS = 6_000;
/** Navigation settles before we announce it (a burst of route changes becomes one track()). */
export const TRACK_DEBOUNCE_MS = 500;
/** Longest activity text we send or accept. */
export const MAX_ACTIVITY_LENGTH = 120;

export interface TPresenceMeta {
  /** The presence key: one entry per user however many tabs they have open. */
  userId: string;
  name: string;
  role: (typeof MEMBER_ROLES)[number];
  /** What they are looking at, e.g. "Dr. Lee · Tue 24 Nov". */
  activity: string;
}

export interface TPresenceUser extends TPresenceMeta {
  /** When this user's most recently updated tab joined. */
  onlineAt: string;
  /** How many of their tabs are open. */
  tabs: number;
}

/** What other clients put into presence: parsed, never trusted. */
const ZPresencePayload = z.object({
  user_id: z.string().min(1).max(64),
  name: z.string().max(120),
  role: z.enum(MEMBER_ROLES),
  activity: z.string().max(MAX_ACTIVITY_LENGTH),
  online_at: z.string().max(40),
  updated_at: z.number().optional(),
});

/** Collapses presence state (key → metas of every tab) into one entry per user, newest tab's meta winning. */
export function presenceUsers(state: Record<string, readonly unknown[]>): TPresenceUser[] {
  const users: TPresenceUser[] = [];
  for (const metas of Object.values(state)) {
    const parsed = metas
      .map((meta) => ZPresencePayload.safeParse(meta))
      .flatMap((result) => (result.success ? [result.data] : []));
    if (parsed.length === 0) continue;
    const newest = parsed.reduce((a, b) => ((b.updated_at ?? 0) > (a.updated_at ?? 0) ? b : a));
    users.push({
      userId: newest.user_id,
      name: newest.name,
      role: newest.role,
      activity: newest.activity,
      onlineAt: newest.online_at,
      tabs: parsed.length,
    });
  }
  return users.sort((a, b) => a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId));
}

/**
 * Who is online in `room` (the clinic staff topic) with their role and current activity. Tracks `meta`
 * after SUBSCRIBED (again on every re-SUBSCRIBED, since a rejoin starts without presence), keyed by user
 * id so a user's tabs collapse; activity changes are debounced and rate-limited. Returns the list.
 */
export function usePresence(room: string | null | undefined, meta: TPresenceMeta | null): TPresenceUser[] {
  const client = useSupabase();
  const [users, setUsers] = useState<TPresenceUser[]>([]);
  const [onlineAt] = useState(() => new Date().toISOString());
  const userId = meta?.userId ?? null;
  const metaKey = meta ? `${meta.name}\n${meta.role}\n${meta.activity}` : '';

  const latestMeta = useRef(meta);
  useLayoutEffect(() => {
    latestMeta.current = meta;
  });
  const requestTrack = useRef<(delayMs: number) => void>(() => undefined);

  useEffect(() => {
    if (!room || !userId) return;
    let lastTrackAt = Number.NEGATIVE_INFINITY;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let isActive = true;
    const lease: TChannelLease = acquireChannel(
      client,
      room,
      { isPrivate: true, presenceKey: userId },
      {
        onStatus: (status) => {
          if (status === 'SUBSCRIBED') schedule(0);
        },
        onPresenceSync: () => {
          const channel = lease.channel();
          if (channel) setUsers(presenceUsers(channel.presenceState() as Record<string, readonly unknown[]>));
        },
      },
    );
    function track(): void {
      timer = null;
      const current = latestMeta.current;
      const channel = lease.channel();
      if (!isActive || !current || !channel || lease.status() !== 'SUBSCRIBED') return;
      lastTrackAt = Date.now();
      void channel.track({
        user_id: current.userId,
        name: current.name,
        role: current.role,
        activity: current.activity.slice(0, MAX_ACTIVITY_LENGTH),
        online_at: onlineAt,
        updated_at: lastTrackAt,
      });
    }
    function schedule(delayMs: number): void {
      const at = Math.max(Date.now() + delayMs, lastTrackAt + MIN_TRACK_INTERVAL_MS);
      if (timer) clearTimeout(timer);
      timer = setTimeout(track, Math.max(0, at - Date.now()));
    }
    requestTrack.current = schedule;
    return () => {
      isActive = false;
      if (timer) clearTimeout(timer);
      requestTrack.current = () => undefined;
      lease.release();
      setUsers([]);
    };
  }, [client, room, userId, onlineAt]);

  // A new activity (navigation) is announced after it settles, within the rate limit.
  useEffect(() => {
    if (metaKey) requestTrack.current(TRACK_DEBOUNCE_MS);
  }, [metaKey]);

  return users;
}
