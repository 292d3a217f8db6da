'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect } from 'react';
import { toast } from 'sonner';
import { isNotice, NOTICE_PARAM, type TNotice } from '@/lib/routes';

const NOTICE_TEXT: Record<TNotice, string> = {
  'signed-in': 'Welcome back — you’re signed in.',
  'signed-up': 'Your account is ready. Welcome!',
  'signed-out': 'You’re signed out. See you soon.',
};

/**
 * Shows the one-time message a server action asked for (`?notice=…`) and then removes the parameter,
 * so a reload or a shared link does not repeat it.
 */
export function NoticeToast() {
  const params = useSearchParams();
  const pathname = usePathname();
  const router = useRouter();
  const notice = params.get(NOTICE_PARAM);

  useEffect(() => {
    if (!isNotice(notice)) return;
    // A fixed id keeps React's development double-effects from showing the toast twice.
    toast.success(NOTICE_TEXT[notice], { id: `notice-${notice}` });
    const rest = new URLSearchParams(params.toString());
    rest.delete(NOTICE_PARAM);
    const query = rest.toString();
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  }, [notice, params, pathname, router]);

  return null;
}
