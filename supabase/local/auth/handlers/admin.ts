/**
 * The admin user API for service-role callers (GoTrue `admin.go`): list with page-number
 * pagination, create, get, update, delete (hard or soft).
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { sendJson } from '../../http';
import { authenticateAdmin } from '../auth-context';
import { withAuthTransaction, type Tx } from '../auth-db';
import {
  DUPLICATE_PHONE_MESSAGE,
  DUPLICATE_EMAIL_MESSAGE,
  badRequest,
  notFound,
  unprocessable,
} from '../errors';
import { paginationHeaders, parsePageParams } from '../pagination';
import { readJson } from '../request';
import { endAllSessions } from '../sessions';
import { userToJson, type IdentityRow, type JsonObject, type UserRow } from '../user-json';
import {
  DEFAULT_AUDIENCE,
  DEFAULT_ROLE,
  NIL_INSTANCE_ID,
  NOW,
  findIdentities,
  findUserById,
  identityClaims,
  insertIdentity,
  insertUser,
  isEmailTaken,
  isPhoneTaken,
  loadUserJson,
  mergeUserMetadata,
  updateIdentityData,
  updateUser,
} from '../users';
import { checkPasswordStrength, validateEmail, validatePhone } from '../validation';
import { dbStep, hashPassword, type AuthRequest } from './common';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const BCRYPT_HASH = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;
const GENERATED_PASSWORD_BYTES = 48;

const ZAdminUser = z.object({
  id: z.string().nullish(),
  aud: z.string().nullish(),
  role: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  password: z.string().nullish(),
  password_hash: z.string().nullish(),
  email_confirm: z.boolean().nullish(),
  phone_confirm: z.boolean().nullish(),
  user_metadata: z.record(z.string(), z.unknown()).nullish(),
  app_metadata: z.record(z.string(), z.unknown()).nullish(),
  ban_duration: z.string().nullish(),
});
type TAdminUser = z.infer<typeof ZAdminUser>;

const ZAdminDelete = z.object({ should_soft_delete: z.boolean().nullish() });

const GO_DURATION_UNITS_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Go's time.ParseDuration (`24h`, `1h30m`, `90s`) in milliseconds; `none` = 0 (unban). */
export function parseBanDuration(value: string): number {
  if (value === 'none') return 0;
  const m = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(value);
  if (!m && value !== '0')
    throw badRequest(
      'validation_failed',
      `invalid format for ban duration: time: invalid duration "${value}"`,
    );
  let total = 0;
  for (const part of value.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g))
    total += Number(part[1]) * GO_DURATION_UNITS_MS[part[2]];
  return value.startsWith('-') ? -total : total;
}

function bannedUntil(durationMs: number, nowMs: number): string | null {
  return durationMs === 0 ? null : new Date(nowMs + durationMs).toISOString();
}

/** GoTrue's soft-delete obfuscation: base64url(sha256(user id + value)). */
function obfuscate(userId: string, value: string): string {
  return createHash('sha256')
    .update(userId + value)
    .digest('base64url');
}

async function loadTargetUser(r: AuthRequest, tx: Tx): Promise<UserRow> {
  const id = r.params.id;
  if (!UUID_PATTERN.test(id)) throw notFound('validation_failed', 'user_id must be an UUID');
  const user = await findUserById(tx, id);
  if (!user) throw notFound('user_not_found', 'User not found');
  return user;
}

export async function handleListUsers(r: AuthRequest): Promise<void> {
  await authenticateAdmin(r.req, r.deps);
  const page = parsePageParams(r.url.searchParams);
  const filter = r.url.searchParams.get('filter') ?? '';
  const { users, total } = await withAuthTransaction(r.deps.pool, async (tx) => {
    const where = `instance_id = $1 and aud = $2 and ($3 = '' or email ilike '%' || $3 || '%' or raw_user_meta_data ->> 'full_name' ilike '%' || $3 || '%')`;
    const base = [NIL_INSTANCE_ID, DEFAULT_AUDIENCE, filter];
    const count = await tx.query<{ n: string }>(`select count(*) as n from auth.users where ${where}`, base);
    const { rows } = await tx.query<UserRow>(
      `select * from auth.users where ${where} order by created_at desc, id desc limit $4 offset $5`,
      [...base, page.perPage, (page.page - 1) * page.perPage],
    );
    const ids = rows.map((u) => u.id);
    const identities = ids.length
      ? (
          await tx.query<IdentityRow>(
            `select id, provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at, email
               from auth.identities where user_id = any($1::uuid[]) order by created_at, id`,
            [ids],
          )
        ).rows
      : [];
    return {
      users: rows.map((u) =>
        userToJson(
          u,
          identities.filter((i) => i.user_id === u.id),
        ),
      ),
      total: Number(count.rows[0].n),
    };
  });
  sendJson(
    r.res,
    200,
    { users, aud: DEFAULT_AUDIENCE },
    paginationHeaders(r.path, r.url.searchParams, page, total),
  );
}

export async function handleGetUserById(r: AuthRequest): Promise<void> {
  await authenticateAdmin(r.req, r.deps);
  const user = await withAuthTransaction(r.deps.pool, async (tx) => {
    const row = await loadTargetUser(r, tx);
    return userToJson(row, await findIdentities(tx, row.id));
  });
  sendJson(r.res, 200, user);
}

interface NormalizedContact {
  email: string;
  phone: string;
  banMs: number | null;
}

function normalizeContact(p: TAdminUser): NormalizedContact {
  return {
    email: p.email ? validateEmail(p.email) : '',
    phone: p.phone ? validatePhone(p.phone) : '',
    banMs: p.ban_duration ? parseBanDuration(p.ban_duration) : null,
  };
}

/** GoTrue's Confirm(): clear the token, stamp the time, record `email_verified` in user metadata. */
async function confirmEmail(tx: Tx, userId: string): Promise<void> {
  await updateUser(tx, userId, { confirmation_token: '', email_confirmed_at: NOW });
  await mergeUserMetadata(tx, userId, 'raw_user_meta_data', { email_verified: true });
}

export async function handleCreateUser(r: AuthRequest): Promise<void> {
  const { deps } = r;
  await authenticateAdmin(r.req, deps);
  const p = await readJson(r.req, ZAdminUser);
  const aud = p.aud || DEFAULT_AUDIENCE;
  if (!p.email && !p.phone)
    throw badRequest('validation_failed', 'Cannot create a user without either an email or phone');
  const { email, phone, banMs } = normalizeContact(p);
  if (p.password && p.password_hash)
    throw badRequest('validation_failed', 'Only a password or a password hash should be provided');
  if (p.id && !UUID_PATTERN.test(p.id))
    throw badRequest('validation_failed', 'ID must conform to the uuid v4 format');
  if (p.id === NIL_UUID) throw badRequest('validation_failed', 'ID cannot be a nil uuid');

  let passwordHash: string;
  if (p.password_hash) {
    if (!BCRYPT_HASH.test(p.password_hash))
      throw badRequest('validation_failed', 'password_hash must be a bcrypt hash');
    passwordHash = p.password_hash;
  } else {
    // Admin-created users without a password get an unguessable one, as in GoTrue.
    const password = p.password || randomBytes(GENERATED_PASSWORD_BYTES).toString('base64url');
    if (Buffer.byteLength(password) > 72)
      throw badRequest('validation_failed', 'bcrypt: password length exceeds 72 bytes');
    passwordHash = await hashPassword(password, deps.options.bcryptCost);
  }
  const providers = [...(email ? ['email'] : []), ...(phone ? ['phone'] : [])];

  const user = await withAuthTransaction(deps.pool, async (tx) => {
    if (email && (await isEmailTaken(tx, email, aud)))
      throw unprocessable('email_exists', DUPLICATE_EMAIL_MESSAGE);
    if (phone && (await isPhoneTaken(tx, phone, aud)))
      throw unprocessable('phone_exists', 'Phone number already registered by another user');
    return dbStep('Database error creating new user', async () => {
      const id = await insertUser(tx, {
        id: p.id || undefined,
        aud,
        email: email || null,
        phone: phone || null,
        passwordHash,
        appMetadata: { provider: providers[0], providers },
        userMetadata: p.user_metadata ?? {},
      });
      if (email) await insertIdentity(tx, id, 'email', identityClaims(id, { email }));
      if (phone) await insertIdentity(tx, id, 'phone', identityClaims(id, { phone }));
      await updateUser(tx, id, { role: p.role || DEFAULT_ROLE });
      if (p.app_metadata) await mergeUserMetadata(tx, id, 'raw_app_meta_data', p.app_metadata);
      if (p.email_confirm) await confirmEmail(tx, id);
      if (p.phone_confirm) await updateUser(tx, id, { phone_confirmed_at: NOW });
      if (banMs !== null) await updateUser(tx, id, { banned_until: bannedUntil(banMs, deps.options.now()) });
      return loadUserJson(tx, id);
    });
  });
  sendJson(r.res, 200, user);
}

export async function handleUpdateUserById(r: AuthRequest): Promise<void> {
  const { deps } = r;
  await authenticateAdmin(r.req, deps);
  const p = await readJson(r.req, ZAdminUser);
  const { email, phone, banMs } = normalizeContact(p);
  const password = p.password ?? null;
  if (password !== null) checkPasswordStrength(password, deps.options.passwordMinLength);
  const passwordHash = password === null ? null : await hashPassword(password, deps.options.bcryptCost);

  const user = await withAuthTransaction(deps.pool, async (tx) => {
    const target = await loadTargetUser(r, tx);
    const id = target.id;
    if (
      email &&
      email !== target.email &&
      (await isEmailTaken(tx, email, target.aud ?? DEFAULT_AUDIENCE, id))
    ) {
      throw unprocessable('email_exists', DUPLICATE_EMAIL_MESSAGE);
    }
    if (
      phone &&
      phone !== target.phone &&
      (await isPhoneTaken(tx, phone, target.aud ?? DEFAULT_AUDIENCE, id))
    ) {
      throw unprocessable('phone_exists', DUPLICATE_PHONE_MESSAGE);
    }
    return dbStep('Error updating user', async () => {
      if (p.role) await updateUser(tx, id, { role: p.role });
      if (p.email_confirm) await confirmEmail(tx, id);
      if (p.phone_confirm) await updateUser(tx, id, { phone_confirmed_at: NOW });
      if (passwordHash !== null) {
        // GoTrue signs the user out everywhere when an admin sets the password.
        await updateUser(tx, id, { encrypted_password: passwordHash });
        await endAllSessions(tx, id);
      }
      if (email) {
        const verified = p.email_confirm ?? false;
        const updated = await updateIdentityData(tx, id, 'email', { email, email_verified: verified });
        if (!updated)
          await insertIdentity(tx, id, 'email', identityClaims(id, { email, emailVerified: verified }));
        await updateUser(
          tx,
          id,
          target.is_anonymous && verified ? { email, is_anonymous: false } : { email },
        );
      }
      if (phone) {
        const verified = p.phone_confirm ?? false;
        const updated = await updateIdentityData(tx, id, 'phone', { phone, phone_verified: verified });
        if (!updated)
          await insertIdentity(tx, id, 'phone', identityClaims(id, { phone, phoneVerified: verified }));
        await updateUser(
          tx,
          id,
          target.is_anonymous && verified ? { phone, is_anonymous: false } : { phone },
        );
      }
      if (p.app_metadata) await mergeUserMetadata(tx, id, 'raw_app_meta_data', p.app_metadata as JsonObject);
      if (p.user_metadata)
        await mergeUserMetadata(tx, id, 'raw_user_meta_data', p.user_metadata as JsonObject);
      if (banMs !== null) await updateUser(tx, id, { banned_until: bannedUntil(banMs, deps.options.now()) });
      return loadUserJson(tx, id);
    });
  });
  sendJson(r.res, 200, user);
}

export async function handleDeleteUser(r: AuthRequest): Promise<void> {
  await authenticateAdmin(r.req, r.deps);
  const p = await readJson(r.req, ZAdminDelete, { allowEmpty: true });
  await withAuthTransaction(r.deps.pool, async (tx) => {
    const target = await loadTargetUser(r, tx);
    if (!p.should_soft_delete) {
      await dbStep('Database error deleting user', () =>
        tx.query('delete from auth.users where id = $1', [target.id]),
      );
      return;
    }
    if (target.deleted_at) return;
    await dbStep('Error soft deleting user', async () => {
      // The row stays (foreign keys keep pointing at it) but can never sign in again.
      await updateUser(tx, target.id, {
        email: obfuscate(target.id, target.email ?? ''),
        phone: obfuscate(target.id, target.phone ?? '').slice(0, 15),
        email_change: obfuscate(target.id, target.email_change ?? ''),
        phone_change: obfuscate(target.id, target.phone_change ?? '').slice(0, 15),
        encrypted_password: null,
        confirmation_token: '',
        recovery_token: '',
        email_change_token_current: '',
        email_change_token_new: '',
        phone_change_token: '',
        deleted_at: NOW,
      });
      await tx.query(
        `update auth.identities
            set identity_data = '{}'::jsonb,
                provider_id = rtrim(translate(encode(sha256(convert_to(user_id::text || provider || ':' || provider_id, 'UTF8')), 'base64'), '+/', '-_'), '='),
                updated_at = now()
          where user_id = $1`,
        [target.id],
      );
      await endAllSessions(tx, target.id);
    });
  });
  sendJson(r.res, 200, {});
}
