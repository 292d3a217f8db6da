/**
 * SQL for auth.users and auth.identities. The statements follow GoTrue's sequence (insert, then
 * role, then confirmation as separate updates) so app triggers on auth.users see the same rows
 * and the same UPDATEs they see on hosted Supabase.
 */
import { randomUUID } from 'node:crypto';
import type { Tx } from './auth-db';
import { internal } from './errors';
import { mergeMetadata, userToJson, type IdentityRow, type JsonObject, type UserRow } from './user-json';

/** GoTrue writes the nil UUID into instance_id and only finds users carrying it. */
export const NIL_INSTANCE_ID = '00000000-0000-0000-0000-000000000000';
export const DEFAULT_AUDIENCE = 'authenticated';
export const DEFAULT_ROLE = 'authenticated';

/**
 * Columns GoTrue scans into plain Go strings: a NULL there (typical of hand-written seed SQL) makes
 * hosted GoTrue fail with "Database error querying schema", so it fails here too, loudly.
 */
const NOT_NULL_STRING_COLUMNS = [
  'confirmation_token',
  'recovery_token',
  'email_change_token_new',
  'email_change',
] as const;

export class UserRowUnreadableError extends Error {}

function checkScannable(row: UserRow): UserRow {
  const bad = NOT_NULL_STRING_COLUMNS.filter((c) => row[c] === null);
  if (bad.length > 0) {
    const err = internal('Database error querying schema');
    err.cause = new UserRowUnreadableError(
      `auth.users row ${row.id} has NULL in ${bad.join(', ')}; hosted GoTrue cannot read such rows either — insert '' instead`,
    );
    throw err;
  }
  return row;
}

export async function findUserById(tx: Tx, id: string): Promise<UserRow | null> {
  const { rows } = await tx.query<UserRow>('select * from auth.users where id = $1', [id]);
  return rows[0] ? checkScannable(rows[0]) : null;
}

export async function findUserByEmail(
  tx: Tx,
  email: string,
  aud = DEFAULT_AUDIENCE,
): Promise<UserRow | null> {
  const { rows } = await tx.query<UserRow>(
    `select * from auth.users
      where instance_id = $1 and lower(email) = $2 and aud = $3 and is_sso_user = false`,
    [NIL_INSTANCE_ID, email.toLowerCase(), aud],
  );
  return rows[0] ? checkScannable(rows[0]) : null;
}

export async function isEmailTaken(
  tx: Tx,
  email: string,
  aud: string,
  exceptUserId?: string,
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `select 1 from auth.users
      where instance_id = $1 and lower(email) = $2 and aud = $3 and is_sso_user = false and id is distinct from $4::uuid`,
    [NIL_INSTANCE_ID, email.toLowerCase(), aud, exceptUserId ?? null],
  );
  return (rowCount ?? 0) > 0;
}

export async function isPhoneTaken(
  tx: Tx,
  phone: string,
  aud: string,
  exceptUserId?: string,
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `select 1 from auth.users where phone = $1 and aud = $2 and id is distinct from $3::uuid`,
    [phone, aud, exceptUserId ?? null],
  );
  return (rowCount ?? 0) > 0;
}

export interface NewUser {
  id?: string;
  aud: string;
  email: string | null;
  phone: string | null;
  passwordHash: string;
  appMetadata: JsonObject;
  userMetadata: JsonObject;
  isAnonymous?: boolean;
}

/** The INSERT GoTrue's `tx.Create(user)` issues: empty token strings, role still empty. */
export async function insertUser(tx: Tx, user: NewUser): Promise<string> {
  const id = user.id ?? randomUUID();
  await tx.query(
    `insert into auth.users (
       instance_id, id, aud, role, email, encrypted_password, confirmation_token, recovery_token,
       email_change_token_new, email_change, raw_app_meta_data, raw_user_meta_data, phone,
       phone_change, phone_change_token, email_change_token_current, reauthentication_token,
       is_sso_user, is_anonymous, created_at, updated_at)
     values ($1, $2, $3, '', $4, $5, '', '', '', '', $6, $7, $8, '', '', '', '', false, $9, now(), now())`,
    [
      NIL_INSTANCE_ID,
      id,
      user.aud,
      user.email,
      user.passwordHash,
      JSON.stringify(user.appMetadata),
      JSON.stringify(user.userMetadata),
      user.phone,
      user.isAnonymous ?? false,
    ],
  );
  return id;
}

/** Columns the Auth service updates; values are bound as parameters, names come from this list only. */
type UpdatableColumn =
  | 'role'
  | 'aud'
  | 'email'
  | 'phone'
  | 'encrypted_password'
  | 'email_confirmed_at'
  | 'phone_confirmed_at'
  | 'confirmation_token'
  | 'confirmation_sent_at'
  | 'recovery_token'
  | 'recovery_sent_at'
  | 'email_change'
  | 'email_change_sent_at'
  | 'email_change_token_new'
  | 'email_change_token_current'
  | 'phone_change'
  | 'phone_change_token'
  | 'phone_change_sent_at'
  | 'reauthentication_token'
  | 'reauthentication_sent_at'
  | 'raw_app_meta_data'
  | 'raw_user_meta_data'
  | 'banned_until'
  | 'deleted_at'
  | 'last_sign_in_at'
  | 'is_anonymous';

export const NOW = Symbol('now');
type ColumnValue = string | boolean | null | JsonObject | typeof NOW;

/** One UPDATE of the given columns plus updated_at (pop's UpdateOnly does the same). */
export async function updateUser(
  tx: Tx,
  id: string,
  values: Partial<Record<UpdatableColumn, ColumnValue>>,
): Promise<void> {
  const sets: string[] = [];
  const params: unknown[] = [id];
  for (const [column, value] of Object.entries(values) as Array<[UpdatableColumn, ColumnValue]>) {
    if (value === NOW) {
      sets.push(`${column} = now()`);
    } else {
      params.push(value !== null && typeof value === 'object' ? JSON.stringify(value) : value);
      sets.push(`${column} = $${params.length}`);
    }
  }
  if (sets.length === 0) return;
  await tx.query(`update auth.users set ${sets.join(', ')}, updated_at = now() where id = $1`, params);
}

export async function findIdentities(tx: Tx, userId: string): Promise<IdentityRow[]> {
  const { rows } = await tx.query<IdentityRow>(
    `select id, provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at, email
       from auth.identities where user_id = $1 order by created_at, id`,
    [userId],
  );
  return rows;
}

export async function insertIdentity(
  tx: Tx,
  userId: string,
  provider: string,
  identityData: JsonObject,
): Promise<void> {
  const data = { ...identityData };
  if (typeof data.email === 'string') data.email = data.email.toLowerCase();
  await tx.query(
    `insert into auth.identities (id, provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
     values ($1, $2, $3, $4, $5, now(), now(), now())`,
    [randomUUID(), String(data.sub), userId, JSON.stringify(data), provider],
  );
}

export async function updateIdentityData(
  tx: Tx,
  userId: string,
  provider: string,
  updates: JsonObject,
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `update auth.identities
        set identity_data = identity_data || $3::jsonb, updated_at = now()
      where user_id = $1 and provider = $2`,
    [userId, provider, JSON.stringify(updates)],
  );
  return (rowCount ?? 0) > 0;
}

/** Identity claims GoTrue stores for e-mail/phone identities (`provider.Claims` via structs.Map). */
export function identityClaims(
  userId: string,
  fields: { email?: string; phone?: string; emailVerified?: boolean; phoneVerified?: boolean },
): JsonObject {
  const claims: JsonObject = { sub: userId };
  if (fields.email) claims.email = fields.email;
  claims.email_verified = fields.emailVerified ?? false;
  if (fields.phone) claims.phone = fields.phone;
  claims.phone_verified = fields.phoneVerified ?? false;
  return claims;
}

export async function loadUserJson(tx: Tx, id: string): Promise<JsonObject> {
  const user = await findUserById(tx, id);
  if (!user) throw internal('Database error loading user');
  return userToJson(user, await findIdentities(tx, id));
}

/** GoTrue's UpdateUserMetaData/UpdateAppMetaData on the row as it is now (triggers may have changed it). */
export async function mergeUserMetadata(
  tx: Tx,
  id: string,
  column: 'raw_user_meta_data' | 'raw_app_meta_data',
  updates: JsonObject,
): Promise<void> {
  const { rows } = await tx.query<{ value: JsonObject | null }>(
    `select ${column} as value from auth.users where id = $1`,
    [id],
  );
  await updateUser(tx, id, { [column]: mergeMetadata(rows[0]?.value ?? null, updates) });
}
