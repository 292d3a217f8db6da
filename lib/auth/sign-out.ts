'use server';

import { redirect } from 'next/navigation';
import { ROUTES, withNotice } from '@/lib/routes';
import { createClient } from '@/lib/supabase/server';

/**
 * Server action behind every sign-out button. It lives in lib/ (not next to the auth pages in app/)
 * because components/ use it too, and only app/ may import from app/.
 */
export async function signOut(): Promise<void> {
  const supabase = await createClient();
  // scope 'local' ends this browser's session only; other devices stay signed in.
  await supabase.auth.signOut({ scope: 'local' });
  redirect(withNotice(ROUTES.signIn, 'signed-out'));
}
