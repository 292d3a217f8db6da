import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { SignJWT } from 'jose';
import WebSocket from 'ws';
import type { StackHandle } from './stack-process';

export function benchClient(stack: StackHandle, key = stack.anonKey, accessToken?: string): SupabaseClient {
  return createClient(stack.apiUrl, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: {
      transport: WebSocket as unknown as typeof globalThis.WebSocket,
      ...(accessToken ? { accessToken: async () => accessToken } : {}),
    } as never,
    ...(accessToken ? { accessToken: async () => accessToken } : {}),
  });
}

/** A user access token minted with the stack's JWT secret (the bench does not measure sign-up). */
export async function mintUserToken(stack: StackHandle, sub: string, ttlSeconds = 3600): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sub, role: 'authenticated', aud: 'authenticated', iat: now, exp: now + ttlSeconds })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(stack.jwtSecret));
}
