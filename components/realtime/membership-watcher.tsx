'use client';

import { useMembershipSync } from '@/hooks/use-membership-sync';

/** Mounted once per signed-in area: follows role and clinic changes of the signed-in user. */
export function MembershipWatcher({ userId }: { userId: string }) {
  useMembershipSync(userId);
  return null;
}
