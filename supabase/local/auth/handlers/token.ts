/**
 * POST /token — `grant_type=password` (with the per-address brute-force limit) and `grant_type=refresh_token`
 * (rotation and reuse detection live in sessions.ts). GoTrue `token.go`, `token_refresh.go`.
 */
import { z } from 'zod';
import { sendJson } from '../../http';
import { withAuthTransaction, withAuthTransactionCommitting } from '../auth-db';
import { AuthApiError, INVALID_LOGIN_MESSAGE, badRequest, unprocessable } from '../errors';
import { readJson } from '../request';
import { isBanned, refreshSession, startSession } from '../sessions';
import { REFRESH_TOKEN_PATTERN } from '../tokens';
import { findUserByEmail } from '../users';
import { checkPasswordStrength } from '../validation';
import { clientInfo, dbStep, verifyPassword, type AuthRequest } from './common';

const ZPasswordGrant = z.object({
  email: z.string().nullish(),
  phone: z.string().nullish(),
  password: z.string().nullish(),
});

const ZRefreshGrant = z.object({ refresh_token: z.string().nullish() });

/** Grants GoTrue has but this local server does not implement (no OAuth/OIDC/PKCE flows). */
const UNIMPLEMENTED_GRANTS = new Set(['id_token', 'pkce', 'web3']);

export async function handleToken(r: AuthRequest): Promise<void> {
  const grantType = r.url.searchParams.get('grant_type') ?? '';
  if (grantType === 'password') return passwordGrant(r);
  if (grantType === 'refresh_token') return refreshGrant(r);
  if (UNIMPLEMENTED_GRANTS.has(grantType)) {
    throw badRequest(
      'validation_failed',
      `grant_type=${grantType} is not supported by the local Auth server`,
    );
  }
  // GoTrue's own answer for an unknown grant: code invalid_credentials, message unsupported_grant_type.
  throw badRequest('invalid_credentials', 'unsupported_grant_type');
}

async function passwordGrant(r: AuthRequest): Promise<void> {
  const { deps } = r;
  const body = await readJson(r.req, ZPasswordGrant);
  const email = body.email ?? '';
  const phone = body.phone ?? '';
  const password = body.password ?? '';
  if (email !== '' && phone !== '') {
    throw badRequest(
      'validation_failed',
      'Only an email address or phone number should be provided on login.',
    );
  }
  if (email === '' && phone !== '')
    throw unprocessable('phone_provider_disabled', 'Phone logins are disabled');
  if (email === '') throw badRequest('validation_failed', 'missing email or phone');

  const client = await clientInfo(r);
  const emailKey = email.toLowerCase();
  const verdict = deps.limiter.check(client.address);
  if (verdict.limited) {
    throw new AuthApiError(
      429,
      'over_request_rate_limit',
      `Request rate limit reached: too many failed sign-in attempts from this client address. Try again in ${verdict.retryAfterSeconds} seconds.`,
      {},
      { 'Retry-After': String(verdict.retryAfterSeconds) },
    );
  }

  const user = await withAuthTransaction(deps.pool, (tx) => findUserByEmail(tx, emailKey));
  const rejectCredentials = (): never => {
    deps.limiter.recordFailure(client.address);
    throw badRequest('invalid_credentials', INVALID_LOGIN_MESSAGE);
  };
  if (!user || !user.encrypted_password) return rejectCredentials();
  if (isBanned(user.banned_until, deps.options.now())) throw badRequest('user_banned', 'User is banned');
  if (!(await verifyPassword(password, user.encrypted_password))) return rejectCredentials();
  if (!user.email_confirmed_at) throw badRequest('email_not_confirmed', 'Email not confirmed');

  // A correct but now-too-weak password still signs in; GoTrue reports it next to the session.
  let weakPassword: { reasons: string[]; message: string } | undefined;
  try {
    checkPasswordStrength(password, deps.options.passwordMinLength);
  } catch (err) {
    if (err instanceof AuthApiError && err.code === 'weak_password')
      weakPassword = { reasons: ['length'], message: err.message };
  }

  const session = await withAuthTransaction(deps.pool, (tx) =>
    dbStep('Database error granting user', () => startSession(tx, deps, user.id, 'password', client)),
  );
  sendJson(r.res, 200, weakPassword ? { ...session, weak_password: weakPassword } : session);
}

async function refreshGrant(r: AuthRequest): Promise<void> {
  const body = await readJson(r.req, ZRefreshGrant);
  const token = body.refresh_token ?? '';
  if (!REFRESH_TOKEN_PATTERN.test(token)) throw badRequest('validation_failed', 'Refresh token is not valid');
  const client = await clientInfo(r);
  const session = await withAuthTransactionCommitting(r.deps.pool, (tx) =>
    refreshSession(tx, r.deps, token, client),
  );
  sendJson(r.res, 200, session);
}
