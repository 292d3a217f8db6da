/**
 * POST /signup — e-mail + password sign-up (GoTrue `signup.go`) and anonymous sign-in
 * (`anonymous.go`, off by default like the CLI). With auto-confirm on, the answer is a session.
 */
import { z } from 'zod';
import { withAuthTransaction } from '../auth-db';
import { badRequest, unprocessable } from '../errors';
import { readJson } from '../request';
import { startSession } from '../sessions';
import { userToJson } from '../user-json';
import { checkPasswordStrength, validateEmail } from '../validation';
import {
  DEFAULT_AUDIENCE,
  DEFAULT_ROLE,
  NOW,
  findIdentities,
  findUserById,
  findUserByEmail,
  identityClaims,
  insertIdentity,
  insertUser,
  mergeUserMetadata,
  updateUser,
} from '../users';
import { clientInfo, dbStep, hashPassword, type AuthRequest } from './common';
import { sendJson } from '../../http';

const ZSignupBody = z.object({
  email: z.string().nullish(),
  phone: z.string().nullish(),
  password: z.string().nullish(),
  data: z.record(z.string(), z.unknown()).nullish(),
  channel: z.string().nullish(),
  code_challenge: z.string().nullish(),
  code_challenge_method: z.string().nullish(),
});

export async function handleSignup(r: AuthRequest): Promise<void> {
  const { deps } = r;
  const body = await readJson(r.req, ZSignupBody);
  const email = body.email ?? '';
  const phone = body.phone ?? '';
  const data = body.data ?? {};

  if (email === '' && phone === '') return signUpAnonymously(r, data);
  if (deps.options.disableSignup)
    throw unprocessable('signup_disabled', 'Signups not allowed for this instance');

  const password = body.password ?? '';
  if (password === '') throw badRequest('validation_failed', 'Signup requires a valid password');
  checkPasswordStrength(password, deps.options.passwordMinLength);
  if (email !== '' && phone !== '') {
    throw badRequest(
      'validation_failed',
      'Only an email address or phone number should be provided on signup.',
    );
  }
  // The CLI's default `[auth.sms] enable_signup = false`, and there is no SMS provider locally.
  if (phone !== '') throw badRequest('phone_provider_disabled', 'Phone signups are disabled');

  const normalizedEmail = validateEmail(email);
  const passwordHash = await hashPassword(password, deps.options.bcryptCost);
  const client = await clientInfo(r);

  const response = await withAuthTransaction(deps.pool, async (tx) => {
    if (await findUserByEmail(tx, normalizedEmail)) {
      // GoTrue answers this only when auto-confirm is on; otherwise it hides the account's existence.
      throw unprocessable('user_already_exists', 'User already registered');
    }
    const userId = await dbStep('Database error saving new user', () =>
      insertUser(tx, {
        aud: DEFAULT_AUDIENCE,
        email: normalizedEmail,
        phone: null,
        passwordHash,
        appMetadata: { provider: 'email', providers: ['email'] },
        userMetadata: data,
      }),
    );
    await dbStep('Database error updating user', () => updateUser(tx, userId, { role: DEFAULT_ROLE }));
    const claims = identityClaims(userId, { email: normalizedEmail });
    for (const [k, v] of Object.entries(data)) if (!(k in claims)) claims[k] = v;
    await dbStep('Error creating identity', () => insertIdentity(tx, userId, 'email', claims));

    if (!deps.options.mailerAutoconfirm) {
      await dbStep('Database error updating user', () =>
        updateUser(tx, userId, { confirmation_sent_at: NOW }),
      );
      const user = await findUserById(tx, userId);
      return user ? userToJson(user, await findIdentities(tx, userId)) : {};
    }
    await dbStep('Database error updating user', async () => {
      await updateUser(tx, userId, { confirmation_token: '', email_confirmed_at: NOW });
      await mergeUserMetadata(tx, userId, 'raw_user_meta_data', { email_verified: true });
    });
    return dbStep('Database error granting user', () => startSession(tx, deps, userId, 'password', client));
  });
  sendJson(r.res, 200, response);
}

async function signUpAnonymously(r: AuthRequest, data: Record<string, unknown>): Promise<void> {
  const { deps } = r;
  if (!deps.options.anonymousSignInsEnabled) {
    throw unprocessable('anonymous_provider_disabled', 'Anonymous sign-ins are disabled');
  }
  if (deps.options.disableSignup)
    throw unprocessable('signup_disabled', 'Signups not allowed for this instance');
  const client = await clientInfo(r);
  const response = await withAuthTransaction(deps.pool, async (tx) => {
    const userId = await dbStep('Database error creating anonymous user', () =>
      insertUser(tx, {
        aud: DEFAULT_AUDIENCE,
        email: null,
        phone: null,
        passwordHash: '',
        appMetadata: {},
        userMetadata: data,
        isAnonymous: true,
      }),
    );
    await dbStep('Database error updating user', () => updateUser(tx, userId, { role: DEFAULT_ROLE }));
    return dbStep('Database error granting user', () => startSession(tx, deps, userId, 'anonymous', client));
  });
  sendJson(r.res, 200, response);
}
