/**
 * Rows of auth.users / auth.identities and their JSON form, field for field as GoTrue's
 * `models.User` / `models.Identity` marshal (optional fields omitted when null, e-mail and phone
 * `""` when unset). Pure, so the shape is unit-tested without a database.
 */

export type JsonObject = Record<string, unknown>;

export interface UserRow {
  id: string;
  instance_id: string | null;
  aud: string | null;
  role: string | null;
  email: string | null;
  phone: string | null;
  encrypted_password: string | null;
  email_confirmed_at: string | null;
  invited_at: string | null;
  phone_confirmed_at: string | null;
  confirmation_token: string | null;
  confirmation_sent_at: string | null;
  confirmed_at: string | null;
  recovery_token: string | null;
  recovery_sent_at: string | null;
  email_change_token_new: string | null;
  email_change: string | null;
  email_change_sent_at: string | null;
  phone_change: string | null;
  phone_change_sent_at: string | null;
  reauthentication_sent_at: string | null;
  last_sign_in_at: string | null;
  raw_app_meta_data: JsonObject | null;
  raw_user_meta_data: JsonObject | null;
  created_at: string | null;
  updated_at: string | null;
  banned_until: string | null;
  deleted_at: string | null;
  is_anonymous: boolean;
  is_sso_user: boolean;
}

export interface IdentityRow {
  id: string;
  provider_id: string;
  user_id: string;
  identity_data: JsonObject | null;
  provider: string;
  last_sign_in_at: string | null;
  created_at: string | null;
  updated_at: string | null;
  email: string | null;
}

const PG_TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;
const ZERO_TIME = '0001-01-01T00:00:00Z';

/**
 * Postgres timestamp text (the Auth transactions run with TimeZone UTC) → RFC 3339 as Go prints
 * it: `2024-06-01 10:00:00.120000+00` → `2024-06-01T10:00:00.12Z` (trailing zeros dropped).
 */
export function toRfc3339(value: string): string {
  const m = PG_TIMESTAMP.exec(value);
  if (!m || (m[4] && !/^(Z|\+00(:?00)?)$/.test(m[4]))) return new Date(value).toISOString();
  const fraction = (m[3] ?? '').replace(/0+$/, '');
  return `${m[1]}T${m[2]}${fraction === '.' ? '' : fraction}Z`;
}

const optionalTime = (v: string | null) => (v === null ? undefined : toRfc3339(v));
const optionalText = (v: string | null) => (v === null || v === '' ? undefined : v);

export function identityToJson(row: IdentityRow): JsonObject {
  const data = row.identity_data ?? {};
  return dropUndefined({
    identity_id: row.id,
    id: row.provider_id,
    user_id: row.user_id,
    identity_data: Object.keys(data).length > 0 ? data : undefined,
    provider: row.provider,
    last_sign_in_at: optionalTime(row.last_sign_in_at),
    created_at: row.created_at ? toRfc3339(row.created_at) : ZERO_TIME,
    updated_at: row.updated_at ? toRfc3339(row.updated_at) : ZERO_TIME,
    email: optionalText(row.email),
  });
}

export function userToJson(user: UserRow, identities: IdentityRow[]): JsonObject {
  return dropUndefined({
    id: user.id,
    aud: user.aud ?? '',
    role: user.role ?? '',
    email: user.email ?? '',
    email_confirmed_at: optionalTime(user.email_confirmed_at),
    invited_at: optionalTime(user.invited_at),
    phone: user.phone ?? '',
    phone_confirmed_at: optionalTime(user.phone_confirmed_at),
    confirmation_sent_at: optionalTime(user.confirmation_sent_at),
    confirmed_at: optionalTime(user.confirmed_at),
    recovery_sent_at: optionalTime(user.recovery_sent_at),
    new_email: optionalText(user.email_change),
    email_change_sent_at: optionalTime(user.email_change_sent_at),
    new_phone: optionalText(user.phone_change),
    phone_change_sent_at: optionalTime(user.phone_change_sent_at),
    reauthentication_sent_at: optionalTime(user.reauthentication_sent_at),
    last_sign_in_at: optionalTime(user.last_sign_in_at),
    app_metadata: user.raw_app_meta_data ?? {},
    user_metadata: user.raw_user_meta_data ?? {},
    identities: identities.map(identityToJson),
    created_at: user.created_at ? toRfc3339(user.created_at) : ZERO_TIME,
    updated_at: user.updated_at ? toRfc3339(user.updated_at) : ZERO_TIME,
    banned_until: optionalTime(user.banned_until),
    deleted_at: optionalTime(user.deleted_at),
    is_anonymous: user.is_anonymous,
  });
}

/**
 * GoTrue's metadata merge (`UpdateUserMetaData` / `UpdateAppMetaData`): keys are set, a `null`
 * value deletes the key, nothing else is touched.
 */
export function mergeMetadata(current: JsonObject | null, updates: JsonObject): JsonObject {
  const out: JsonObject = { ...(current ?? {}) };
  for (const [k, v] of Object.entries(updates)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

function dropUndefined(obj: JsonObject): JsonObject {
  for (const k of Object.keys(obj)) if (obj[k] === undefined) delete obj[k];
  return obj;
}
