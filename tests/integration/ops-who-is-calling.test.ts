/**
 * The one "who is calling" (lib/supabase/caller.ts) that both the server pages (cached per render in
 * lib/supabase/session.ts) and the ops routes (lib/ops/caller.ts) use: through a real supabase-js
 * client against the stack, it costs at most one Auth round trip (getClaims) and exactly one
 * current_member() call, and none of either when the render already has the claims. Requests are
 * counted by wrapping the client's fetch, which still goes to the real servers.
 */
import { createClient } from '@supabase/supabase-js';
import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Database } from '@/lib/data/database.types';
import { readCallerClaims, whoIsCalling } from '@/lib/supabase/caller';
import { signedInClient, stackInfo, withDb } from '../helpers/stack';
import { createClinic } from './domain-fixtures';

type TCountingClient = { client: ReturnType<typeof createClient<Database>>; requests: string[] };

function countingClient(): TCountingClient {
  const requests: string[] = [];
  const s = stackInfo();
  const client = createClient<Database>(s.apiUrl, s.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    // Never connected here; supabase-js only needs a transport on Node 20.
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
    global: {
      fetch: (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        requests.push(url.pathname);
        return fetch(input, init);
      },
    },
  });
  return { client, requests };
}

const authCalls = (requests: string[]) => requests.filter((p) => p.startsWith('/auth/v1/'));
const memberCalls = (requests: string[]) => requests.filter((p) => p === '/rest/v1/rpc/current_member');

describe('who is calling', () => {
  let email: string;
  let password: string;
  let userId: string;

  beforeAll(async () => {
    const clinic = await withDb((db) => createClinic(db));
    ({ email, password, userId } = await signedInClient({
      data: { clinic_id: clinic.id, full_name: 'Pat Caller' },
    }));
  });

  it('a signed-in member: one getClaims at most and one current_member() round trip', async () => {
    const { client, requests } = countingClient();
    const signIn = await client.auth.signInWithPassword({ email, password });
    expect(signIn.error).toBeNull();
    requests.length = 0;

    const state = await whoIsCalling(client);
    expect(state.status).toBe('signed-in');
    if (state.status !== 'signed-in') return;
    expect(state.user).toEqual({ id: userId, email });
    expect(state.isServerOperator).toBe(false);
    expect(state.member).toEqual({
      ok: true,
      data: expect.objectContaining({ user_id: userId, role: 'patient' }),
    });
    expect(authCalls(requests).length).toBeLessThanOrEqual(1);
    expect(memberCalls(requests)).toHaveLength(1);
  });

  it('with the render’s claims already read, no second Auth round trip', async () => {
    const { client, requests } = countingClient();
    expect((await client.auth.signInWithPassword({ email, password })).error).toBeNull();
    const claims = await readCallerClaims(client);
    requests.length = 0;

    const state = await whoIsCalling(client, claims);
    expect(state.status).toBe('signed-in');
    expect(authCalls(requests)).toEqual([]);
    expect(memberCalls(requests)).toHaveLength(1);
  });

  it('signed out: no current_member() call at all', async () => {
    const { client, requests } = countingClient();
    const state = await whoIsCalling(client);
    expect(state.status).toBe('signed-out');
    expect(memberCalls(requests)).toEqual([]);
  });
});
