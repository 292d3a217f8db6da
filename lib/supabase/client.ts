/**
 * Supabase client for Client Components. The session lives in cookies that the server client and the
 * proxy read too, so a sign-in on either side is seen by both.
 */
import { createBrowserClient } from '@supabase/ssr';
import type { SupabaseClient } from '@supabase/supabase-js';
import { publicEnv } from '@/lib/env';
import type { Database } from '@/lib/data/database.types';

export function createClient(): SupabaseClient<Database> {
  // createBrowserClient keeps one instance per page, so calling this in several components is cheap.
  return createBrowserClient<Database>(publicEnv.supabaseUrl, publicEnv.supabaseKey);
}
