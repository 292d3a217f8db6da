/**
 * Clients for integration tests: the real supabase-js over the stack started by the global setup.
 * Node 20 has no global WebSocket, so `ws` is passed as the realtime transport.
 */
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import WebSocket from 'ws';

export function stackInfo() {
  return inject('stack');
}

type ClientOptions = { vsn?: '1.0.0' | '2.0.0'; accessToken?: string };

export function anonClient(opts: ClientOptions = {}): SupabaseClient {
  const s = stackInfo();
  return createClient(s.apiUrl, s.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: {
      transport: WebSocket as unknown as typeof globalThis.WebSocket,
      ...(opts.vsn ? { vsn: opts.vsn } : {}),
    } as never,
    global: opts.accessToken ? { headers: { Authorization: `Bearer ${opts.accessToken}` } } : undefined,
  });
}

export function serviceClient(): SupabaseClient {
  const s = stackInfo();
  return createClient(s.apiUrl, s.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket } as never,
  });
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.test`;
}

/** Signs up a fresh user and returns a client signed in as them. */
export async function signedInClient(
  opts: ClientOptions & { email?: string; password?: string; data?: Record<string, unknown> } = {},
): Promise<{ client: SupabaseClient; userId: string; email: string; password: string; accessToken: string }> {
  const client = anonClient(opts);
  const email = opts.email ?? uniqueEmail();
  const password = opts.password ?? 'correct-horse-battery';
  const { data, error } = await client.auth.signUp({ email, password, options: { data: opts.data ?? {} } });
  if (error || !data.session || !data.user)
    throw new Error(`sign-up failed: ${error?.message ?? 'no session'}`);
  return { client, userId: data.user.id, email, password, accessToken: data.session.access_token };
}

/** A superuser connection for fixtures and for asserting database state directly. */
export async function withDb<T>(fn: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = new pg.Client({ connectionString: stackInfo().dbUrl });
  await db.connect();
  try {
    return await fn(db);
  } finally {
    await db.end();
  }
}
