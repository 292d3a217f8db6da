/**
 * Supabase client for Server Components, Server Actions and Route Handlers.
 * A new client per request: it carries that request's cookies, so a module-level instance would leak
 * one user's session into another user's request.
 */
import 'server-only';
import { createServerClient } from '@supabase/ssr';
import type { SupabaseClient } from '@supabase/supabase-js';
import { cookies } from 'next/headers';
import { publicEnv } from '@/lib/env';

export async function createClient(): Promise<SupabaseClient> {
  const cookieStore = await cookies();
  return createServerClient(publicEnv.supabaseUrl, publicEnv.supabaseKey, {
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
