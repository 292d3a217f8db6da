/**
 * Who is signed in, for server pages and layouts: lib/supabase/caller.ts's one "who is calling",
 * wrapped in React cache() so the layout and page of one render share one getClaims and one
 * current_member() round trip (and can never disagree about an outage).
 */
import 'server-only';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { getProfile } from '@/lib/data/profiles';
import { PORTAL_BY_ROLE, ROUTES, signInPathFor, type TRole } from '@/lib/routes';
import { isUnavailableStatus, ServiceUnavailableError } from './auth-state';
import { readCallerClaims, whoIsCalling, type TCallerClaims, type TSignedInUser } from './caller';
import { createClient } from './server';

export type { TSignedInUser } from './caller';

/**
 * The caller's verified claims, once per render. 'unavailable': Auth could not be asked (network
 * failure, 5xx), the session may well be fine. Public pages stop here (no current_member() call).
 */
export type TAuthState = TCallerClaims;
export const getAuthState = cache(async (): Promise<TAuthState> => readCallerClaims(await createClient()));

/** Claims plus current_member(), once per render; reuses getAuthState's claims. */
const getCallerState = cache(async () => whoIsCalling(await createClient(), await getAuthState()));

/** The signed-in user, or null when signed out or when Auth cannot be reached (public pages). */
export async function getSignedInUser(): Promise<TSignedInUser | null> {
  const state = await getAuthState();
  return state.status === 'signed-in' ? state.user : null;
}

/**
 * For protected layouts: the user, a redirect to sign-in when signed out, or 'unavailable' when Auth
 * cannot be reached — then the layout keeps the visitor on the page with the outage notice, instead
 * of sending a signed-in user to sign-in.
 */
export async function checkSignedInUser(currentPath: string): Promise<TSignedInUser | 'unavailable'> {
  const state = await getAuthState();
  if (state.status === 'unavailable') return 'unavailable';
  if (state.status === 'signed-out') redirect(signInPathFor(currentPath));
  return state.user;
}

/**
 * For protected pages: the user, or a redirect to sign-in that comes back here. Throws
 * ServiceUnavailableError when Auth cannot be reached (the error boundary shows the outage state).
 */
export async function requireSignedInUser(currentPath: string): Promise<TSignedInUser> {
  const user = await checkSignedInUser(currentPath);
  if (user === 'unavailable') throw new ServiceUnavailableError();
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
  const profile = await getProfile(supabase, userId);
  const role: unknown = profile.ok ? profile.data?.role : null;
  return isRole(role) ? PORTAL_BY_ROLE[role] : ROUTES.patient;
}

export interface TCurrentMember extends TSignedInUser {
  role: TRole;
  clinicId: string | null;
  /** The caller's row in public.dentists (dentists only). */
  dentistId: string | null;
  /** From the verified JWT (app_metadata.ops_role); independent of the clinic role. */
  isServerOperator: boolean;
}

/**
 * The signed-in user with their role, clinic and dentist id, from `current_member()` (the same
 * function every RLS policy decides through); null when signed out or without a profile, and
 * 'unavailable' when Auth or the database cannot be reached ("no profile" there would send a
 * signed-in member to sign-in on every outage). Shared by the layout and page of one request.
 */
export async function getMemberState(): Promise<TCurrentMember | null | 'unavailable'> {
  const state = await getCallerState();
  if (state.status !== 'signed-in') return state.status === 'unavailable' ? 'unavailable' : null;
  const { member } = state;
  if (!member.ok && member.error.kind === 'request' && isUnavailableStatus(member.error.status))
    return 'unavailable';
  if (!member.ok || !member.data) return null;
  return {
    ...state.user,
    role: member.data.role,
    clinicId: member.data.clinic_id,
    dentistId: member.data.dentist_id,
    isServerOperator: state.isServerOperator,
  };
}

/** getMemberState for pages: throws ServiceUnavailableError on an outage (the error boundary shows it). */
export async function getCurrentMember(): Promise<TCurrentMember | null> {
  const member = await getMemberState();
  if (member === 'unavailable') throw new ServiceUnavailableError();
  return member;
}
