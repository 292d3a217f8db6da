/**
 * The app's paths in one place: the proxy, the layouts and the auth actions must agree on which
 * paths need a signed-in user and where people land afterwards.
 */

export const ROUTES = {
  home: '/',
  signIn: '/sign-in',
  signUp: '/sign-up',
  signOut: '/sign-out',
  authCallback: '/auth/callback',
  patient: '/patient',
  dentist: '/dentist',
  admin: '/admin',
} as const;

export type TRole = 'patient' | 'dentist' | 'admin';

/** Each role's portal; every portal requires a signed-in user. */
export const PORTAL_BY_ROLE: Record<TRole, string> = {
  patient: ROUTES.patient,
  dentist: ROUTES.dentist,
  admin: ROUTES.admin,
};

export const PROTECTED_PREFIXES: readonly string[] = Object.values(PORTAL_BY_ROLE);

/** `/admin` and `/admin/board` are protected; `/administrator` is not. */
export function isProtectedPath(pathname: string): boolean {
  return PROTECTED_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

/** Longest `next` value we carry through sign-in; anything longer is not a path we generated. */
const MAX_NEXT_PATH_LENGTH = 512;

/**
 * The `next` query parameter comes from the address bar, so it is accepted only as a same-origin
 * path: `//evil.example` and `/\evil.example` are protocol-relative URLs to browsers and would turn
 * the sign-in page into an open redirect.
 */
export function safeNextPath(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_NEXT_PATH_LENGTH) return null;
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return null;
  if (/[\u0000-\u001f\u007f]/.test(raw)) return null;
  const url = new URL(raw, 'http://same-origin.invalid');
  if (url.origin !== 'http://same-origin.invalid') return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The sign-in page with a way back to where the visitor was going. */
export function signInPathFor(nextPath: string): string {
  const next = safeNextPath(nextPath);
  return next && next !== ROUTES.home ? `${ROUTES.signIn}?next=${encodeURIComponent(next)}` : ROUTES.signIn;
}

/** One-time messages shown as a toast after a redirect (`?notice=signed-out`). */
export const NOTICE_PARAM = 'notice';
export const NOTICES = ['signed-in', 'signed-up', 'signed-out'] as const;
export type TNotice = (typeof NOTICES)[number];

export function isNotice(value: unknown): value is TNotice {
  return typeof value === 'string' && (NOTICES as readonly string[]).includes(value);
}

export function withNotice(path: string, notice: TNotice): string {
  const url = new URL(path, 'http://same-origin.invalid');
  url.searchParams.set(NOTICE_PARAM, notice);
  return `${url.pathname}${url.search}${url.hash}`;
}
