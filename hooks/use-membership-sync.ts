'use client';

import type { SupabaseClient } from '@supabase/supabase-js';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { REALTIME_EVENTS, topics, ZMembershipChanged, type TMembershipChanged } from '@/lib/domain/realtime';
import { PORTAL_BY_ROLE } from '@/lib/routes';
import { acquireChannel, refreshRealtimeAuth } from './channel-registry';
import { useSupabase } from './use-supabase';

type TBroadcast = { event?: unknown; payload?: unknown };

/** The validated change a broadcast on the member topic announces for `userId`, or null. */
export function readMembershipChange(message: unknown, userId: string): TMembershipChanged | null {
  if (typeof message !== 'object' || message === null) return null;
  const { event, payload } = message as TBroadcast;
  if (event !== REALTIME_EVENTS.membershipChanged) return null;
  const parsed = ZMembershipChanged.safeParse(payload);
  return parsed.success && parsed.data.user_id === userId ? parsed.data : null;
}

/** Where a member belongs after the change: the portal of the new role. */
export function portalAfterMembershipChange(change: TMembershipChanged): string {
  return PORTAL_BY_ROLE[change.role];
}

/**
 * Applies a role or clinic change to this tab: a fresh session first (its token goes to Realtime, so
 * hosted re-runs the channel policies now instead of at the next hourly refresh), then the portal of
 * the new role, rendered anew from the server.
 */
export async function applyMembershipChange(
  client: SupabaseClient,
  change: TMembershipChanged,
  navigate: (path: string) => void,
): Promise<void> {
  await refreshRealtimeAuth(client);
  navigate(portalAfterMembershipChange(change));
}

/**
 * Listens on the signed-in user's private membership topic. When an admin changes this user's role
 * or clinic, the database broadcasts `membership_changed`; the session is refreshed and the user is
 * moved to the area of the new role (an admin demoted to patient lands in the patient portal).
 */
export function useMembershipSync(userId: string | null): void {
  const client = useSupabase();
  const router = useRouter();
  useEffect(() => {
    if (!userId) return;
    let isActive = true;
    const lease = acquireChannel(
      client,
      topics.memberMembership(userId),
      { isPrivate: true },
      {
        onBroadcast: (message) => {
          const change = readMembershipChange(message, userId);
          if (!change) return;
          void applyMembershipChange(client, change, (path) => {
            if (!isActive) return;
            router.replace(path);
            router.refresh();
          });
        },
      },
    );
    return () => {
      isActive = false;
      lease.release();
    };
  }, [client, router, userId]);
}
