/**
 * Who is calling: GoTrue's requireAuthentication (bearer JWT → user → session) and
 * requireAdminCredentials (bearer JWT with an admin role), with its status codes and messages.
 */
import type { IncomingMessage } from 'node:http';
import type { JwtClaims, JwtFailure } from '../jwt';
import { withAuthTransaction } from './auth-db';
import type { AuthDeps } from './deps';
import { AuthApiError, badRequest, forbidden } from './errors';
import { bearerToken } from './request';
import { findSession, isBanned, type SessionRow } from './sessions';
import { findUserById } from './users';
import type { UserRow } from './user-json';

export const ADMIN_ROLES = ['service_role', 'supabase_admin'];
const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// golang-jwt's wording, which GoTrue appends to its own prefix.
const JWT_FAILURE_TEXT: Record<JwtFailure, string> = {
  malformed: 'token is malformed: could not base64 decode or parse the token',
  bad_signature: 'token signature is invalid: signature is invalid',
  expired: 'token has invalid claims: token is expired',
  missing_claims: 'token has invalid claims: missing required claims',
};

export interface Caller {
  claims: JwtClaims;
  user: UserRow;
  session: SessionRow | null;
}

async function verifiedClaims(req: IncomingMessage, deps: AuthDeps): Promise<JwtClaims> {
  const token = bearerToken(req);
  if (!token) throw new AuthApiError(401, 'no_authorization', 'This endpoint requires a valid Bearer token');
  const result = await deps.jwt.verify(token);
  if (!result.ok)
    throw forbidden(
      'bad_jwt',
      `invalid JWT: unable to parse or verify signature, ${JWT_FAILURE_TEXT[result.reason]}`,
    );
  return result.claims;
}

export async function authenticateUser(req: IncomingMessage, deps: AuthDeps): Promise<Caller> {
  const claims = await verifiedClaims(req, deps);
  const sub = typeof claims.sub === 'string' ? claims.sub : '';
  if (sub === '') throw forbidden('bad_jwt', 'invalid claim: missing sub claim');
  if (!UUID_PATTERN.test(sub)) throw badRequest('bad_jwt', 'invalid claim: sub claim must be a UUID');
  const sessionId = typeof claims.session_id === 'string' ? claims.session_id : '';
  if (sessionId !== '' && sessionId !== NIL_UUID && !UUID_PATTERN.test(sessionId)) {
    throw forbidden('bad_jwt', 'invalid claim: session_id claim must be a UUID');
  }
  const { user, session } = await withAuthTransaction(deps.pool, async (tx) => ({
    user: await findUserById(tx, sub),
    session: sessionId !== '' && sessionId !== NIL_UUID ? await findSession(tx, sessionId) : null,
  }));
  if (!user) throw forbidden('user_not_found', 'User from sub claim in JWT does not exist');
  if (sessionId !== '' && sessionId !== NIL_UUID && !session) {
    throw forbidden('session_not_found', 'Session from session_id claim in JWT does not exist');
  }
  if (isBanned(user.banned_until, deps.options.now())) throw forbidden('user_banned', 'User is banned');
  return { claims, user, session };
}

export async function authenticateAdmin(req: IncomingMessage, deps: AuthDeps): Promise<JwtClaims> {
  const claims = await verifiedClaims(req, deps);
  if (typeof claims.role !== 'string' || !ADMIN_ROLES.includes(claims.role))
    throw forbidden('not_admin', 'User not allowed');
  return claims;
}

/** The token's audience as GoTrue reads it (string or first array entry). */
export function tokenAudience(claims: JwtClaims): string | null {
  const aud = claims.aud;
  if (typeof aud === 'string') return aud;
  if (Array.isArray(aud) && typeof aud[0] === 'string') return aud[0];
  return null;
}
