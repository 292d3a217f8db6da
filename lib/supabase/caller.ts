/**
 * Who is calling: the one answer the pages (lib/supabase/session.ts, cached per render) and the ops
 * routes (lib/ops/caller.ts) both build on. First the verified claims (getClaims checks the JWT, via
 * the Auth server for HS256 projects; the cookie-held session alone proves nothing), then
 * `current_member()`, the same function every RLS policy decides through.
 *
 * No `server-only` and no Next imports: it takes the client, so route handlers and tests pass theirs.
 */
import { z } from 'zod';
import { fetchCurrentMember, type TMemberRow } from '@/lib/data/profiles';
import type { TDataResult, TDb } from '@/lib/data/result';
import { classifyAuthFailure } from './auth-state';

/**
 * Server-wide figures (every clinic's realtime traffic) are for whoever runs the server, not for a
 * clinic. Such a person carries `app_metadata.ops_role = "server_operator"` in their JWT. Only the
 * service role can write app_metadata (Auth admin API, or SQL on auth.users), never the user, so the
 * claim is as trustworthy as the token; it is the same on hosted Supabase.
 */
export const SERVER_OPERATOR_ROLE = 'server_operator';

const ZOpsClaims = z.object({
  app_metadata: z.object({ ops_role: z.string().optional() }).passthrough().optional(),
});

/** Whether verified JWT claims mark a server operator (see SERVER_OPERATOR_ROLE). */
export function isServerOperatorClaims(claims: unknown): boolean {
  const parsed = ZOpsClaims.safeParse(claims);
  return parsed.success && parsed.data.app_metadata?.ops_role === SERVER_OPERATOR_ROLE;
}

export interface TSignedInUser {
  id: string;
  email: string;
}

type TSignedInClaims = { status: 'signed-in'; user: TSignedInUser; isServerOperator: boolean };
type TNoClaims = { status: 'signed-out'; authError: unknown } | { status: 'unavailable'; authError: unknown };
/** The verified claims, or why there are none. `authError`: what Auth answered (or threw), for mapping. */
export type TCallerClaims = TSignedInClaims | TNoClaims;

/** The claims plus the caller's `current_member()` row (null: signed in without a profile). */
export type TWhoIsCalling = (TSignedInClaims & { member: TDataResult<TMemberRow | null> }) | TNoClaims;

/** One getClaims round trip; "signed out" versus "cannot reach Auth" decided by classifyAuthFailure. */
export async function readCallerClaims(db: TDb): Promise<TCallerClaims> {
  let result: Awaited<ReturnType<TDb['auth']['getClaims']>>;
  try {
    result = await db.auth.getClaims();
  } catch (error) {
    return { status: classifyAuthFailure(error), authError: error };
  }
  const claims = result.data?.claims;
  if (!result.error && claims?.sub) {
    return {
      status: 'signed-in',
      user: { id: claims.sub, email: typeof claims.email === 'string' ? claims.email : '' },
      isServerOperator: isServerOperatorClaims(claims),
    };
  }
  return { status: classifyAuthFailure(result.error), authError: result.error };
}

/**
 * Who is calling: one getClaims (skipped when `claims` were read already) and, when signed in, one
 * current_member() round trip.
 */
export async function whoIsCalling(db: TDb, claims?: TCallerClaims): Promise<TWhoIsCalling> {
  const known = claims ?? (await readCallerClaims(db));
  if (known.status !== 'signed-in') return known;
  return { ...known, member: await fetchCurrentMember(db) };
}
