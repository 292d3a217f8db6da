'use client';

import { useState } from 'react';
import type { TDb } from '@/lib/data/result';
import { createClient } from '@/lib/supabase/client';

/**
 * The browser Supabase client for a component tree. Created once per mount (never during server
 * rendering of a module), so realtime hooks can list it as a stable effect dependency.
 */
export function useSupabase(): TDb {
  const [client] = useState(createClient);
  return client;
}
