/**
 * Who is signed in, decided on the server from verified claims (getClaims validates the JWT; the
 * cookie-held session object alone is not proof of anything).
 */
import 'server-only';
import { redirect } from 'next/navigation';
import { PORTAL_BY_ROLE, ROUTES, signInPathFor, type TRole } from '@/lib/routes';
import { createClient } from './server';

export interface TSignedInUser {
  id: string;
  email: string;
}

export async function getSignedInUser(): Promise<TSignedInUser | null> {
  const supabase = await createClient();
  const { data, error } = await supabase.auth.getClaims();
  const claims = data?.claims;
  if (error || !claims?.sub) return null;
  return { id: claims.sub, email: typeof claims.email === 'string' ? claims.email : '' };
}

/** For protected layouts and pages: the user, or a redirect to sign-in that comes back here. */
export async function requireSignedInUser(currentPath: string): Promise<TSignedInUser> {
  const user = await getSignedInUser();
  if (!user) redirect(signInPathFor(currentPath));
  return user;
}

const ROLES: readonly TRole[] = ['patient', 'dentist', 'admin'];

function isRole(value: unknown): value is TRole {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * The portal a user lands on after signing in. The role is read from `profiles` under RLS (users
 * can read their own row); until that table exists, or if the row is missing, everyone is a patient,
 * which is also what a new sign-up is.
 */
export async function getPortalPath(userId: string): Promise<string> {
  const supabase = await createClient();
  const { data, error } = await supabase.from('profiles').select('role').eq('id', userId).maybeSingle();
  const role: unknown = error ? null : (data as { role?: unknown } | null)?.role;
  return isRole(role) ? PORTAL_BY_ROLE[role] : ROUTES.patient;
}

export interface TCurrentMember extends TSignedInUser {
  role: TRole;
  clinicId: string | null;
  /** The caller's row in public.dentists (dentists only). */
  dentistId: string | null;
}

/**
 * The signed-in user with their role, clinic and dentist id, from `current_member()` (the same
 * function every RLS policy decides through), or null when signed out or without a profile.
 */
export async function getCurrentMember(): Promise<TCurrentMember | null> {
  const user = await getSignedInUser();
  if (!user) return null;
  const supabase = await createClient();
  const { data, error } = await supabase.rpc('current_member').maybeSingle();
  if (error || !data) return null;
  const row = data as { role?: unknown; clinic_id?: unknown; dentist_id?: unknown };
  if (!isRole(row.role)) return null;
  return {
    ...user,
    role: row.role,
    clinicId: typeof row.clinic_id === 'string' ? row.clinic_id : null,
    dentistId: typeof row.dentist_id === 'string' ? row.dentist_id : null,
  };
}
