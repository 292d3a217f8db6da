/**
 * Who is signed in, decided on the server from verified claims (getClaims validates the JWT; the
 * cookie-held session object alone is not proof of anything).
 */
import 'server-only';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { fetchCurrentMember, getProfile } from '@/lib/data/profiles';
import { PORTAL_BY_ROLE, ROUTES, signInPathFor, type TRole } from '@/lib/routes';
import { classifyAuthFailure, isUnavailableStatus, ServiceUnavailableError } from './auth-state';
import { createClient } from './server';

export interface TSignedInUser {
  id: string;
  email: string;
}

export type TAuthState =
  | { status: 'signed-in'; user: TSignedInUser }
  | { status: 'signed-out' }
  /** Auth could not be asked (network failure, 5xx): the session may well be fine. */
  | { status: 'unavailable' };

/**
 * The caller's session, verified once per request (layout and page render in parallel and share it,
 * so they can never disagree about an outage).
 */
export const getAuthState = cache(async (): Promise<TAuthState> => {
  const supabase = await createClient();
  let result: Awaited<ReturnType<typeof supabase.auth.getClaims>>;
  try {
    result = await supabase.auth.getClaims();
  } catch (error) {
    return { status: classifyAuthFailure(error) };
  }
  const claims = result.data?.claims;
  if (!result.error && claims?.sub) {
    return {
      status: 'signed-in',
      user: { id: claims.sub, email: typeof claims.email === 'string' ? claims.email : '' },
    };
  }
  return { status: classifyAuthFailure(result.error) };
});

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
}

/**
 * The signed-in user with their role, clinic and dentist id, from `current_member()` (the same
 * function every RLS policy decides through); null when signed out or without a profile, and
 * 'unavailable' when Auth or the database cannot be reached ("no profile" there would send a
 * signed-in member to sign-in on every outage). Shared by the layout and page of one request.
 */
export const getMemberState = cache(async (): Promise<TCurrentMember | null | 'unavailable'> => {
  const state = await getAuthState();
  if (state.status !== 'signed-in') return state.status === 'unavailable' ? 'unavailable' : null;
  const supabase = await createClient();
  const member = await fetchCurrentMember(supabase);
  if (!member.ok && member.error.kind === 'request' && isUnavailableStatus(member.error.status))
    return 'unavailable';
  if (!member.ok || !member.data) return null;
  return {
    ...state.user,
    role: member.data.role,
    clinicId: member.data.clinic_id,
    dentistId: member.data.dentist_id,
  };
});

/** getMemberState for pages: throws ServiceUnavailableError on an outage (the error boundary shows it). */
export async function getCurrentMember(): Promise<TCurrentMember | null> {
  const member = await getMemberState();
  if (member === 'unavailable') throw new ServiceUnavailableError();
  return member;
}
