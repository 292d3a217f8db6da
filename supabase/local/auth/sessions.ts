/**
 * Sessions and refresh tokens (auth.sessions, auth.refresh_tokens, auth.mfa_amr_claims), with
 * GoTrue's rotation rules:
 * - every refresh revokes the presented token and issues a child of it;
 * - a revoked token that is the parent of the session's active token gets that active token back
 *   (the client lost the previous response);
 * - any other revoked token is accepted only within the reuse interval after it was revoked;
 *   after that it is treated as stolen: every token of the session is revoked (committed) and the
 *   request fails with `refresh_token_already_used`.
 */
import { randomUUID } from 'node:crypto';
import { CommitThenFail, type Tx } from './auth-db';
import type { AuthDeps, ClientInfo } from './deps';
import { badRequest, internal } from './errors';
import {
  buildAccessTokenClaims,
  generateRefreshToken,
  type AccessTokenResponse,
  type AmrEntry,
} from './tokens';
import { NIL_INSTANCE_ID, findIdentities, findUserById, updateUser, NOW } from './users';
import { toRfc3339, userToJson } from './user-json';

export type AuthenticationMethod = 'password' | 'anonymous';

export interface SessionRow {
  id: string;
  user_id: string;
  not_after: string | null;
  not_after_passed: boolean;
}

export async function findSession(tx: Tx, id: string, forUpdate = false): Promise<SessionRow | null> {
  const { rows } = await tx.query<SessionRow>(
    `select id, user_id, not_after, coalesce(not_after < now(), false) as not_after_passed
       from auth.sessions where id = $1 ${forUpdate ? 'for update' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

async function insertRefreshToken(
  tx: Tx,
  userId: string,
  sessionId: string,
  parent: string | null,
): Promise<string> {
  const token = generateRefreshToken();
  await tx.query(
    `insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
     values ($1, $2, $3, false, now(), now(), $4, $5)`,
    [NIL_INSTANCE_ID, token, userId, parent, sessionId],
  );
  return token;
}

/** A new session for a user who just proved who they are: GoTrue's IssueRefreshToken. */
export async function startSession(
  tx: Tx,
  deps: AuthDeps,
  userId: string,
  method: AuthenticationMethod,
  client: ClientInfo,
): Promise<AccessTokenResponse> {
  const sessionId = randomUUID();
  await tx.query(
    `insert into auth.sessions (id, user_id, created_at, updated_at, aal, user_agent, ip)
     values ($1, $2, now(), now(), 'aal1', $3, $4::inet)`,
    [sessionId, userId, client.userAgent, client.ip],
  );
  const refreshToken = await insertRefreshToken(tx, userId, sessionId, null);
  await updateUser(tx, userId, { last_sign_in_at: NOW });
  await tx.query(
    `insert into auth.mfa_amr_claims (id, session_id, created_at, updated_at, authentication_method)
     values ($1, $2, now(), now(), $3)
     on conflict (session_id, authentication_method) do update set updated_at = now()`,
    [randomUUID(), sessionId, method],
  );
  return tokenResponse(tx, deps, userId, sessionId, refreshToken);
}

async function tokenResponse(
  tx: Tx,
  deps: AuthDeps,
  userId: string,
  sessionId: string,
  refreshToken: string,
): Promise<AccessTokenResponse> {
  const user = await findUserById(tx, userId);
  if (!user) throw internal('Database error loading user');
  const { rows: amrRows } = await tx.query<{ method: string; timestamp: string }>(
    `select authentication_method as method, extract(epoch from updated_at)::bigint as timestamp
       from auth.mfa_amr_claims where session_id = $1 order by updated_at desc`,
    [sessionId],
  );
  const amr: AmrEntry[] = amrRows.map((r) => ({ method: r.method, timestamp: Number(r.timestamp) }));
  const issuedAt = Math.floor(deps.options.now() / 1000);
  const claims = buildAccessTokenClaims({
    issuer: deps.issuer,
    user,
    sessionId,
    amr,
    issuedAt,
    expirySeconds: deps.jwtExpiry,
  });
  const accessToken = await deps.jwt.sign(claims);
  const expiresAt = issuedAt + deps.jwtExpiry;
  return {
    access_token: accessToken,
    token_type: 'bearer',
    expires_in: deps.jwtExpiry,
    expires_at: expiresAt,
    refresh_token: refreshToken,
    user: userToJson(user, await findIdentities(tx, userId)),
  };
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const refreshTokenNotFound = () =>
  badRequest('refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');

interface RefreshTokenRow {
  id: string;
  token: string;
  user_id: string | null;
  revoked: boolean | null;
  parent: string | null;
  session_id: string | null;
  reuse_window_passed: boolean;
}

export async function refreshSession(
  tx: Tx,
  deps: AuthDeps,
  presented: string,
  client: ClientInfo,
): Promise<AccessTokenResponse | CommitThenFail> {
  const { rows } = await tx.query<RefreshTokenRow>(
    `select id, token, user_id, revoked, parent, session_id,
            now() > updated_at + make_interval(secs => $2) as reuse_window_passed
       from auth.refresh_tokens where token = $1 for update`,
    [presented, deps.options.refreshTokenReuseIntervalSeconds],
  );
  const token = rows[0];
  if (!token || !token.user_id || !UUID_PATTERN.test(token.user_id)) throw refreshTokenNotFound();
  const user = await findUserById(tx, token.user_id);
  if (!user) throw refreshTokenNotFound();
  if (isBanned(user.banned_until, deps.options.now()))
    throw badRequest('user_banned', 'Invalid Refresh Token: User Banned');

  const session = token.session_id ? await findSession(tx, token.session_id, true) : null;
  if (!session) {
    await tx.query('delete from auth.refresh_tokens where id = $1', [token.id]);
    return new CommitThenFail(
      badRequest('session_not_found', 'Invalid Refresh Token: No Valid Session Found'),
    );
  }
  if (session.not_after_passed) throw badRequest('session_expired', 'Invalid Refresh Token: Session Expired');

  let issued: string | null = null;
  if (token.revoked) {
    const { rows: activeRows } = await tx.query<{ token: string; parent: string | null }>(
      `select token, parent from auth.refresh_tokens
        where session_id = $1 and revoked = false order by updated_at desc, id desc limit 1`,
      [session.id],
    );
    const active = activeRows[0];
    if (active && active.parent === token.token) {
      issued = active.token;
    } else if (token.reuse_window_passed) {
      await tx.query(
        `update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = $1 and revoked = false`,
        [session.id],
      );
      deps.log(`[auth] refresh token reuse detected for session ${session.id}; token family revoked\n`);
      return new CommitThenFail(
        badRequest('refresh_token_already_used', 'Invalid Refresh Token: Already Used'),
      );
    }
  }
  if (!issued) {
    await tx.query(`update auth.refresh_tokens set revoked = true, updated_at = now() where id = $1`, [
      token.id,
    ]);
    issued = await insertRefreshToken(tx, user.id, session.id, token.token);
    await updateUser(tx, user.id, { last_sign_in_at: NOW });
  }
  await tx.query(
    `update auth.sessions
        set refreshed_at = (now() at time zone 'utc'), updated_at = now(),
            user_agent = coalesce($2, user_agent), ip = coalesce($3::inet, ip)
      where id = $1`,
    [session.id, client.userAgent, client.ip],
  );
  return tokenResponse(tx, deps, user.id, session.id, issued);
}

export type LogoutScope = 'global' | 'local' | 'others';

export async function endSessions(
  tx: Tx,
  scope: LogoutScope,
  userId: string,
  sessionId: string | null,
): Promise<void> {
  if (scope === 'local' && sessionId) {
    await tx.query('delete from auth.sessions where id = $1', [sessionId]);
  } else if (scope === 'others' && sessionId) {
    await tx.query('delete from auth.sessions where user_id = $1 and id <> $2', [userId, sessionId]);
  } else {
    await endAllSessions(tx, userId);
  }
}

export async function endAllSessions(tx: Tx, userId: string): Promise<void> {
  await tx.query('delete from auth.refresh_tokens where user_id = $1', [userId]);
  await tx.query('delete from auth.sessions where user_id = $1', [userId]);
}

export function isBanned(bannedUntil: string | null, nowMs: number): boolean {
  if (!bannedUntil) return false;
  const until = Date.parse(toRfc3339(bannedUntil));
  return Number.isFinite(until) && nowMs < until;
}
