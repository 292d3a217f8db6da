/**
 * Who is calling an ops route: lib/supabase/caller.ts's one "who is calling" (verified claims, then
 * `current_member()`), mapped to the ops errors: 401 signed out, 503 Auth or the database unreachable.
 */
import type { TDb } from '@/lib/data/result';
import type { TMemberRole } from '@/lib/domain/appointments';
import { whoIsCalling } from '@/lib/supabase/caller';
import { fromAuthFailure, OpsError, valueOrThrow } from './errors';

export { isServerOperatorClaims, SERVER_OPERATOR_ROLE } from '@/lib/supabase/caller';

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
  const state = await whoIsCalling(supabase);
  if (state.status === 'unavailable')
    throw new OpsError('upstream_unavailable', undefined, { cause: state.authError });
  if (state.status === 'signed-out') {
    throw state.authError ? fromAuthFailure(state.authError) : new OpsError('unauthenticated');
  }
  const userId = state.user.id;
  const { isServerOperator } = state;
  const row = valueOrThrow('current_member()', state.member);
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
