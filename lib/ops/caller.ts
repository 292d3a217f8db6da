/**
 * Who is calling, decided from verified claims (getClaims checks the JWT, via the Auth server for
 * HS256 projects) and then from `current_member()`, the same function every RLS policy asks.
 */
import { z } from 'zod';
import { fetchCurrentMember } from '@/lib/data/profiles';
import type { TDb } from '@/lib/data/result';
import type { TMemberRole } from '@/lib/domain/appointments';
import { fromAuthFailure, OpsError, valueOrThrow } from './errors';

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

export interface TCaller {
  userId: string;
  /** From the verified JWT (app_metadata.ops_role); independent of any clinic role. */
  isServerOperator: boolean;
  /** null: signed in, but without a profile (no clinic role at all). */
  role: TMemberRole | null;
  clinicId: string | null;
  dentistId: string | null;
}

/** The signed-in caller, or OpsError `unauthenticated` (401) / `upstream_unavailable` (503). */
export async function resolveCaller(supabase: TDb): Promise<TCaller> {
  const { data, error } = await supabase.auth.getClaims();
  if (error) throw fromAuthFailure(error);
  const userId = data?.claims.sub;
  if (!userId) throw new OpsError('unauthenticated');
  const isServerOperator = isServerOperatorClaims(data?.claims);

  const row = valueOrThrow('current_member()', await fetchCurrentMember(supabase));
  if (!row) return { userId, isServerOperator, role: null, clinicId: null, dentistId: null };
  return { userId, isServerOperator, role: row.role, clinicId: row.clinic_id, dentistId: row.dentist_id };
}

/** Admins of a clinic only: 403 for everyone else who is signed in. */
export function requireClinicAdmin(caller: TCaller): TCaller & { role: 'admin'; clinicId: string } {
  if (caller.role !== 'admin' || !caller.clinicId) throw new OpsError('forbidden');
  return { ...caller, role: 'admin', clinicId: caller.clinicId };
}

/** Server operators only (server-wide figures): 403 for everyone else, clinic admins included. */
export function requireServerOperator(caller: TCaller): TCaller & { isServerOperator: true } {
  if (!caller.isServerOperator) throw new OpsError('forbidden');
  return { ...caller, isServerOperator: true };
}
