/**
 * Session refresh for every request (called from the root proxy.ts).
 *
 * Server Components cannot write cookies, so an expiring access token is refreshed here, before
 * rendering, and the new cookies are put on both the request (for this render) and the response
 * (for the browser). Visitors without a valid session are sent to sign-in from protected paths.
 * The layouts check again: the proxy is a convenience, not the security boundary.
 *
 * "Cannot reach Auth" is not "signed out": when the check fails for a network error or a 5xx the
 * visitor stays on the page (the layout shows the outage notice and retries); only a verdict from
 * Auth (no session, invalid or revoked token) sends them to sign-in.
 */
import { createServerClient } from '@supabase/ssr';
import { NextResponse, type NextRequest } from 'next/server';
import { getServerEnv } from '@/lib/env';
import { isProtectedPath, signInPathFor } from '@/lib/routes';
import { createAuthForwardingFetch, endUserAddress } from './auth-forwarding';
import { classifyAuthFailure } from './auth-state';
import type { Database } from '@/lib/data/database.types';

export async function updateSession(request: NextRequest): Promise<NextResponse> {
  let response = NextResponse.next({ request });

  const env = getServerEnv();
  // Token refreshes happen here, on the server: Auth must limit them per end user (auth-forwarding.ts).
  const forwardingFetch = createAuthForwardingFetch({
    supabaseUrl: env.supabaseUrl,
    serverKey: env.serviceRoleKey,
    endUserAddress: endUserAddress(request.headers.get('x-forwarded-for')),
  });
  const supabase = createServerClient<Database>(env.supabaseUrl, env.supabaseKey, {
    global: { fetch: forwardingFetch },
    cookies: {
      getAll() {
        return request.cookies.getAll();
      },
      setAll(cookiesToSet, headers) {
        for (const { name, value } of cookiesToSet) request.cookies.set(name, value);
        response = NextResponse.next({ request });
        for (const { name, value, options } of cookiesToSet) response.cookies.set(name, value, options);
        // Responses that carry auth cookies must not be cached by a CDN (the library says which headers).
        for (const [key, value] of Object.entries(headers ?? {})) response.headers.set(key, value);
      },
    },
  });

  // getClaims() verifies the token (and refreshes it when needed); nothing may run between creating
  // the client and this call, or a refresh could be lost and the user signed out at random.
  let isSignedOut: boolean;
  try {
    const { data, error } = await supabase.auth.getClaims();
    isSignedOut = !data?.claims?.sub && classifyAuthFailure(error) === 'signed-out';
  } catch (error) {
    isSignedOut = classifyAuthFailure(error) === 'signed-out';
  }

  const { pathname, search } = request.nextUrl;
  if (isSignedOut && isProtectedPath(pathname)) {
    const target = new URL(signInPathFor(`${pathname}${search}`), request.url);
    const redirect = NextResponse.redirect(target);
    // Keep any cookie changes (e.g. a cleared, invalid session) on the redirect too.
    for (const cookie of response.cookies.getAll()) redirect.cookies.set(cookie);
    return redirect;
  }
  return response;
}
