/**
 * GET/PUT /user and POST /logout for the signed-in user (GoTrue `user.go`, `logout.go`).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { sendEmpty, sendJson } from '../../http';
import { ADMIN_ROLES, authenticateUser, tokenAudience } from '../auth-context';
import { withAuthTransaction } from '../auth-db';
import { DUPLICATE_EMAIL_MESSAGE, badRequest, forbidden, unprocessable } from '../errors';
import { readJson } from '../request';
import { endAllSessions, endSessions, type LogoutScope } from '../sessions';
import { userToJson } from '../user-json';
import {
  DEFAULT_AUDIENCE,
  NOW,
  findIdentities,
  isEmailTaken,
  loadUserJson,
  mergeUserMetadata,
  updateUser,
} from '../users';
import { checkPasswordStrength, validateEmail } from '../validation';
import { dbStep, hashPassword, verifyPassword, type AuthRequest } from './common';

export async function handleGetUser(r: AuthRequest): Promise<void> {
  const { claims, user } = await authenticateUser(r.req, r.deps);
  if (tokenAudience(claims) !== DEFAULT_AUDIENCE) {
    throw badRequest('validation_failed', "Token audience doesn't match request audience");
  }
  const identities = await withAuthTransaction(r.deps.pool, (tx) => findIdentities(tx, user.id));
  sendJson(r.res, 200, userToJson(user, identities));
}

const ZUserUpdate = z.object({
  email: z.string().nullish(),
  phone: z.string().nullish(),
  password: z.string().nullish(),
  current_password: z.string().nullish(),
  nonce: z.string().nullish(),
  data: z.record(z.string(), z.unknown()).nullish(),
  app_metadata: z.record(z.string(), z.unknown()).nullish(),
  channel: z.string().nullish(),
  code_challenge: z.string().nullish(),
  code_challenge_method: z.string().nullish(),
});

/** Password changes clear every pending one-time token, as GoTrue's UpdatePassword does. */
const CLEARED_ON_PASSWORD_CHANGE = {
  confirmation_token: '',
  confirmation_sent_at: null,
  recovery_token: '',
  recovery_sent_at: null,
  email_change_token_current: '',
  email_change_token_new: '',
  email_change_sent_at: null,
  phone_change_token: '',
  phone_change_sent_at: null,
  reauthentication_token: '',
  reauthentication_sent_at: null,
} as const;

export async function handleUpdateUser(r: AuthRequest): Promise<void> {
  const { deps } = r;
  const { user, session } = await authenticateUser(r.req, deps);
  const body = await readJson(r.req, ZUserUpdate);

  const email = body.email ? validateEmail(body.email) : '';
  const password = body.password ?? null;
  if (password !== null) checkPasswordStrength(password, deps.options.passwordMinLength);
  if (body.app_metadata && !ADMIN_ROLES.includes(user.role ?? '')) {
    throw forbidden('not_admin', 'Updating app_metadata requires admin privileges');
  }
  if (user.is_anonymous && password && email === '' && !body.phone) {
    throw unprocessable(
      'validation_failed',
      'Updating password of an anonymous user without an email or phone is not allowed',
    );
  }
  if (body.phone && body.phone !== (user.phone ?? '')) {
    throw unprocessable(
      'phone_provider_disabled',
      'Phone changes need an SMS provider, which the local Auth server does not have',
    );
  }
  const changingEmail = email !== '' && email !== (user.email ?? '');

  let passwordHash: string | null = null;
  if (password !== null) {
    if (password !== '' && (await verifyPassword(password, user.encrypted_password))) {
      throw unprocessable('same_password', 'New password should be different from the old password.');
    }
    passwordHash = password === '' ? '' : await hashPassword(password, deps.options.bcryptCost);
  }

  const updated = await withAuthTransaction(deps.pool, async (tx) => {
    if (changingEmail && (await isEmailTaken(tx, email, user.aud ?? DEFAULT_AUDIENCE, user.id))) {
      throw unprocessable('email_exists', DUPLICATE_EMAIL_MESSAGE);
    }
    if (passwordHash !== null) {
      const hash = passwordHash;
      await dbStep('Error during password storage', async () => {
        await updateUser(tx, user.id, { encrypted_password: hash, ...CLEARED_ON_PASSWORD_CHANGE });
        // Other sessions were opened with the old password; only this one survives.
        if (session) await endSessions(tx, 'others', user.id, session.id);
        else await endAllSessions(tx, user.id);
      });
    }
    if (body.data) {
      const data = body.data;
      await dbStep('Error updating user', () => mergeUserMetadata(tx, user.id, 'raw_user_meta_data', data));
    }
    if (body.app_metadata) {
      const appData = body.app_metadata;
      await dbStep('Error updating user', () => mergeUserMetadata(tx, user.id, 'raw_app_meta_data', appData));
    }
    if (changingEmail) {
      await dbStep('Error sending email change email', () =>
        user.is_anonymous && deps.options.mailerAutoconfirm
          ? // An anonymous user has no inbox to confirm from; GoTrue applies the address at once.
            updateUser(tx, user.id, { email, email_confirmed_at: NOW, is_anonymous: false })
          : // Everyone else gets a pending change (`new_email`) that a confirmation link would apply;
            // this server sends no mail, so only the admin API can complete it.
            updateUser(tx, user.id, {
              email_change: email,
              email_change_sent_at: NOW,
              email_change_token_new: randomBytes(28).toString('hex'),
            }),
      );
    }
    return loadUserJson(tx, user.id);
  });
  sendJson(r.res, 200, updated);
}

const LOGOUT_SCOPES: readonly LogoutScope[] = ['global', 'local', 'others'];

export async function handleLogout(r: AuthRequest): Promise<void> {
  const raw = r.url.searchParams.get('scope') ?? '';
  const scope = (raw === '' ? 'global' : raw) as LogoutScope;
  if (!LOGOUT_SCOPES.includes(scope))
    throw badRequest('validation_failed', `Unsupported logout scope "${raw}"`);
  const { user, session } = await authenticateUser(r.req, r.deps);
  await withAuthTransaction(r.deps.pool, (tx) =>
    dbStep('Error logging out user', () => endSessions(tx, scope, user.id, session?.id ?? null)),
  );
  sendEmpty(r.res, 204);
}
