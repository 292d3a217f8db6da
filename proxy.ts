/**
 * Next.js 16 proxy (formerly "middleware"): refreshes the Supabase session on every page request
 * and keeps signed-out visitors out of the role portals.
 */
import type { NextRequest } from 'next/server';
import { updateSession } from '@/lib/supabase/proxy';

export async function proxy(request: NextRequest) {
  return updateSession(request);
}

export const config = {
  // Everything except static assets and images: those need no session and must stay cacheable.
  matcher: ['/((?!_next/static|_next/image|favicon.ico|.*\\.(?:svg|png|jpg|jpeg|gif|webp|ico)$).*)'],
};
