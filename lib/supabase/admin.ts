/**
 * Service-role client: bypasses row-level security. Only for trusted server code that has already
 * decided the caller may do what it asks (e.g. seeding, background jobs); never for a user's request
 * on their own behalf — use the server client there so RLS applies.
 */
import 'server-only';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { getServerEnv } from '@/lib/env';
import type { Database } from '@/lib/data/database.types';

export function createAdminClient(): SupabaseClient<Database> {
  const env = getServerEnv();
  return createClient<Database>(env.supabaseUrl, env.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
}
