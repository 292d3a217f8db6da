/**
 * Where email-confirmation links land on projects that require confirmation: the one-time code in
 * the URL is exchanged for a session cookie, then the user continues to their portal.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { ROUTES, safeNextPath, withNotice } from '@/lib/routes';
import { createClient } from '@/lib/supabase/server';
import { getPortalPath } from '@/lib/supabase/session';

export async function GET(request: NextRequest) {
  const code = request.nextUrl.searchParams.get('code');
  if (code) {
    const supabase = await createClient();
    const { data, error } = await supabase.auth.exchangeCodeForSession(code);
    if (!error && data.user) {
      const next =
        safeNextPath(request.nextUrl.searchParams.get('next')) ?? (await getPortalPath(data.user.id));
      return NextResponse.redirect(new URL(withNotice(next, 'signed-up'), request.url));
    }
  }
  return NextResponse.redirect(new URL(ROUTES.signIn, request.url));
}
