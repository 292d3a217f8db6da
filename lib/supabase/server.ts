/**
 * Supabase client for Server Components, Server Actions and Route Handlers.
 * A new client per request: it carries that request's cookies, so a module-level instance would leak
 * one user's session into another user's request.
 */
import 'server-only';
import { createServerClient } from '@supabase/ssr';
import type { SupabaseClient } from '@supabase/supabase-js';
import { cookies, headers } from 'next/headers';
import { getServerEnv } from '@/lib/env';
import { createAuthForwardingFetch, endUserAddress } from './auth-forwarding';
import type { Database } from '@/lib/data/database.types';

export async function createClient(): Promise<SupabaseClient<Database>> {
  const cookieStore = await cookies();
  const env = getServerEnv();
  // Auth calls made here (sign-in in a server action) must be rate-limited per end user, not per
  // this server: see auth-forwarding.ts.
  const forwardingFetch = createAuthForwardingFetch({
    supabaseUrl: env.supabaseUrl,
    serverKey: env.serviceRoleKey,
    endUserAddress: endUserAddress((await headers()).get('x-forwarded-for')),
  });
  return createServerClient<Database>(env.supabaseUrl, env.supabaseKey, {
    global: { fetch: forwardingFetch },
    cookies: {
      getAll() {
        return cookieStore.getAll();
      },
      setAll(cookiesToSet) {
        try {
          for (const { name, value, options } of cookiesToSet) cookieStore.set(name, value, options);
        } catch {
          // Server Components may not set cookies. That is fine: the proxy refreshes the session on
          // every request before rendering, so the refreshed tokens reach the browser from there.
        }
      },
    },
  });
}
