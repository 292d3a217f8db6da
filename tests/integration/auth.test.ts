/**
 * The Auth API (`/auth/v1`) through the real supabase-js client, as apps use it; raw fetch only
 * where supabase-js cannot express the case (missing header, malformed body, wire format checks).
 */
import { randomUUID } from 'node:crypto';
import { createClient, type SupabaseClient, type User } from '@supabase/supabase-js';
import { SignJWT, decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { anonClient, serviceClient, signedInClient, stackInfo, uniqueEmail, withDb } from '../helpers/stack';

const PASSWORD = 'correct-horse-battery';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A supabase-js client with a chosen API key and extra headers (e.g. a client address). */
function clientWith(key: string, headers: Record<string, string> = {}): SupabaseClient {
  return createClient(stackInfo().apiUrl, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket } as never,
    global: { headers },
  });
}

interface RawResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown> | null;
}

async function rawAuth(
  path: string,
  opts: {
    method?: string;
    body?: unknown;
    rawBody?: string;
    token?: string | null;
    headers?: Record<string, string>;
  } = {},
): Promise<RawResponse> {
  const s = stackInfo();
  const headers: Record<string, string> = {
    apikey: s.anonKey,
    'X-Supabase-Api-Version': '2024-01-01',
    ...opts.headers,
  };
  if (opts.token !== null) headers.Authorization = `Bearer ${opts.token ?? s.anonKey}`;
  if (opts.body !== undefined || opts.rawBody !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${s.apiUrl}/auth/v1${path}`, {
    method: opts.method ?? 'GET',
    headers,
    body: opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : null,
  };
}

async function createConfirmedUser(
  data: Record<string, unknown> = {},
): Promise<{ user: User; email: string }> {
  const email = uniqueEmail('auth');
  const { data: created, error } = await serviceClient().auth.admin.createUser({
    email,
    password: PASSWORD,
    email_confirm: true,
    user_metadata: data,
  });
  if (error || !created.user) throw new Error(`createUser failed: ${error?.message}`);
  return { user: created.user, email };
}

async function signIn(email: string, password = PASSWORD, client = anonClient()) {
  const { data, error } = await client.auth.signInWithPassword({ email, password });
  if (error || !data.session) throw new Error(`sign-in failed: ${error?.message}`);
  return { client, session: data.session };
}

const signJwt = (claims: Record<string, unknown>, secret = stackInfo().jwtSecret) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(secret));

const sessionIdOf = (accessToken: string) => decodeJwt(accessToken).session_id as string;

async function refreshTokenRows(sessionId: string) {
  return withDb(async (db) => {
    const { rows } = await db.query<{ token: string; revoked: boolean; parent: string | null }>(
      'select token, revoked, parent from auth.refresh_tokens where session_id = $1 order by id',
      [sessionId],
    );
    return rows;
  });
}

describe('sign-up', () => {
  it('creates a confirmed user with an identity and answers with a session', async () => {
    const email = uniqueEmail('Signup').replace('signup', 'SignUp');
    const { data, error } = await anonClient().auth.signUp({
      email,
      password: PASSWORD,
      options: { data: { full_name: 'Ada Lovelace' } },
    });
    expect(error).toBeNull();
    const user = data.user!;
    expect(data.session).toMatchObject({ token_type: 'bearer', expires_in: 3600 });
    expect(data.session!.refresh_token).toMatch(/^[a-z0-9]{12}$/);
    expect(user).toMatchObject({
      aud: 'authenticated',
      role: 'authenticated',
      email: email.toLowerCase(),
      phone: '',
      app_metadata: { provider: 'email', providers: ['email'] },
      user_metadata: { full_name: 'Ada Lovelace', email_verified: true },
      is_anonymous: false,
    });
    expect(user.email_confirmed_at).toMatch(/Z$/);
    expect(user.confirmed_at).toBe(user.email_confirmed_at);
    expect(user.last_sign_in_at).toBeTruthy();
    for (const absent of ['new_email', 'banned_until', 'deleted_at', 'invited_at', 'phone_confirmed_at']) {
      expect(user).not.toHaveProperty(absent);
    }
    expect(user.identities).toHaveLength(1);
    expect(user.identities![0]).toMatchObject({
      id: user.id,
      user_id: user.id,
      provider: 'email',
      email: email.toLowerCase(),
      identity_data: {
        sub: user.id,
        email: email.toLowerCase(),
        email_verified: false,
        phone_verified: false,
      },
    });
    const rows = await withDb((db) =>
      db.query('select provider, provider_id from auth.identities where user_id = $1', [user.id]),
    );
    expect(rows.rows).toEqual([{ provider: 'email', provider_id: user.id }]);
  });

  it.each([
    [
      'an existing e-mail',
      async (email: string) => (await anonClient().auth.signUp({ email, password: PASSWORD })).error,
      422,
      'user_already_exists',
      'User already registered',
    ],
    [
      'no password',
      async (email: string) => (await anonClient().auth.signUp({ email: `x${email}`, password: '' })).error,
      400,
      'validation_failed',
      'Signup requires a valid password',
    ],
    [
      'a 5-character password',
      async (email: string) =>
        (await anonClient().auth.signUp({ email: `y${email}`, password: '12345' })).error,
      422,
      'weak_password',
      'Password should be at least 6 characters.',
    ],
    [
      'an invalid e-mail',
      async () => (await anonClient().auth.signUp({ email: 'not-an-email', password: PASSWORD })).error,
      400,
      'validation_failed',
      'Unable to validate email address: invalid format',
    ],
    [
      'no e-mail (anonymous sign-in)',
      async () => (await anonClient().auth.signInAnonymously()).error,
      422,
      'anonymous_provider_disabled',
      'Anonymous sign-ins are disabled',
    ],
  ])('rejects %s', async (_case, attempt, status, code, message) => {
    const { email } = await createConfirmedUser();
    const error = await attempt(email);
    expect(error).toMatchObject({ status, code, message });
  });

  it('reports weak passwords with their reasons', async () => {
    const { error } = await anonClient().auth.signUp({ email: uniqueEmail(), password: 'abc' });
    expect(error?.name).toBe('AuthWeakPasswordError');
    expect((error as unknown as { reasons: string[] }).reasons).toEqual(['length']);
  });

  it('fires a security-definer trigger on auth.users, running under supabase_auth_admin', async () => {
    const { userId, email } = await signedInClient({ data: { full_name: 'Trigger Test' } });
    const row = await withDb((db) =>
      db.query('select email, full_name, fired_as from public.auth_trigger_fixture where user_id = $1', [
        userId,
      ]),
    );
    expect(row.rows).toEqual([{ email, full_name: 'Trigger Test', fired_as: 'supabase_auth_admin' }]);
  });

  it('fails like hosted Supabase when an invoker trigger writes a public table', async () => {
    const email = uniqueEmail('invoker');
    const { data, error } = await anonClient().auth.signUp({
      email,
      password: PASSWORD,
      options: { data: { fixture_invoker_probe: true } },
    });
    expect(data.user).toBeNull();
    expect(error?.status).toBe(500);
    const raw = await rawAuth('/signup', {
      method: 'POST',
      body: { email, password: PASSWORD, data: { fixture_invoker_probe: true } },
    });
    expect(raw.status).toBe(500);
    expect(raw.body).toEqual({ code: 'unexpected_failure', message: 'Database error saving new user' });
    const left = await withDb((db) => db.query('select 1 from auth.users where email = $1', [email]));
    expect(left.rowCount).toBe(0);
  });
});

describe('password sign-in', () => {
  it('issues GoTrue access-token claims', async () => {
    const { user, email } = await createConfirmedUser({ full_name: 'Claims' });
    const { session } = await signIn(email.toUpperCase());
    const claims = decodeJwt(session.access_token);
    expect(claims).toMatchObject({
      iss: `${stackInfo().apiUrl}/auth/v1`,
      sub: user.id,
      aud: 'authenticated',
      email,
      phone: '',
      role: 'authenticated',
      aal: 'aal1',
      is_anonymous: false,
      app_metadata: { provider: 'email', providers: ['email'] },
      user_metadata: { full_name: 'Claims', email_verified: true },
    });
    expect(claims.session_id).toMatch(UUID);
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(claims.amr).toEqual([{ method: 'password', timestamp: expect.any(Number) }]);
    expect(session.expires_at).toBe(claims.exp);
  });

  it.each([
    ['a wrong password', (email: string) => ({ email, password: 'wrong-password' })],
    ['an unknown user', () => ({ email: uniqueEmail('nobody'), password: PASSWORD })],
  ])('rejects %s as invalid_credentials', async (_case, credentials) => {
    const { email } = await createConfirmedUser();
    const { data, error } = await anonClient().auth.signInWithPassword(credentials(email));
    expect(data.session).toBeNull();
    expect(error).toMatchObject({
      name: 'AuthApiError',
      status: 400,
      code: 'invalid_credentials',
      message: 'Invalid login credentials',
    });
  });

  it('rejects an unconfirmed e-mail and a banned user', async () => {
    const admin = serviceClient();
    const email = uniqueEmail('unconfirmed');
    await admin.auth.admin.createUser({ email, password: PASSWORD });
    const unconfirmed = await anonClient().auth.signInWithPassword({ email, password: PASSWORD });
    expect(unconfirmed.error).toMatchObject({
      status: 400,
      code: 'email_not_confirmed',
      message: 'Email not confirmed',
    });

    const { user, email: bannedEmail } = await createConfirmedUser();
    const ban = await admin.auth.admin.updateUserById(user.id, { ban_duration: '24h' });
    expect(ban.data.user?.banned_until).toBeTruthy();
    const banned = await anonClient().auth.signInWithPassword({ email: bannedEmail, password: PASSWORD });
    expect(banned.error).toMatchObject({ status: 400, code: 'user_banned', message: 'User is banned' });
  });

  it('answers an unknown grant_type with GoTrue’s error', async () => {
    const res = await rawAuth('/token?grant_type=magic', { method: 'POST', body: {} });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 'invalid_credentials', message: 'unsupported_grant_type' });
  });
});

describe('refresh tokens', () => {
  it('rotates: each refresh revokes the presented token and issues its child', async () => {
    const { client } = await signedInClient();
    const first = (await client.auth.getSession()).data.session!.refresh_token;
    const { data, error } = await client.auth.refreshSession();
    expect(error).toBeNull();
    const second = data.session!.refresh_token;
    expect(second).not.toBe(first);
    const rows = await refreshTokenRows(sessionIdOf(data.session!.access_token));
    expect(rows).toEqual([
      { token: first, revoked: true, parent: null },
      { token: second, revoked: false, parent: first },
    ]);
  });

  it('hands the active child back when its parent is presented again', async () => {
    const { client } = await signedInClient();
    const parent = (await client.auth.getSession()).data.session!.refresh_token;
    const child = (await client.auth.refreshSession()).data.session!.refresh_token;
    const again = await anonClient().auth.refreshSession({ refresh_token: parent });
    expect(again.error).toBeNull();
    expect(again.data.session!.refresh_token).toBe(child);
  });

  it('detects reuse after the reuse interval and revokes the whole session family', async () => {
    const { client } = await signedInClient();
    const a = (await client.auth.getSession()).data.session!.refresh_token;
    await client.auth.refreshSession();
    const { data } = await client.auth.refreshSession();
    const sessionId = sessionIdOf(data.session!.access_token);
    // Pretend `a` was rotated a minute ago, beyond the 10 s reuse interval.
    await withDb((db) =>
      db.query(`update auth.refresh_tokens set updated_at = now() - interval '1 minute' where token = $1`, [
        a,
      ]),
    );
    const reuse = await anonClient().auth.refreshSession({ refresh_token: a });
    expect(reuse.error).toMatchObject({
      name: 'AuthApiError',
      status: 400,
      code: 'refresh_token_already_used',
      message: 'Invalid Refresh Token: Already Used',
    });
    const rows = await refreshTokenRows(sessionId);
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.revoked)).toBe(true);
  });

  it.each([
    [
      'an unknown token',
      'abcdefghijkl',
      'refresh_token_not_found',
      'Invalid Refresh Token: Refresh Token Not Found',
    ],
    ['a malformed token', 'short', 'validation_failed', 'Refresh token is not valid'],
  ])('rejects %s', async (_case, token, code, message) => {
    const { error } = await anonClient().auth.refreshSession({ refresh_token: token });
    expect(error).toMatchObject({ status: 400, code, message });
  });
});

describe('the signed-in user', () => {
  it('round-trips through getUser() and getClaims()', async () => {
    const { client, userId, accessToken } = await signedInClient();
    const { data: got, error } = await client.auth.getUser();
    expect(error).toBeNull();
    expect(got.user?.id).toBe(userId);
    const byJwt = await anonClient().auth.getUser(accessToken);
    expect(byJwt.data.user?.id).toBe(userId);
    const { data: claims, error: claimsError } = await client.auth.getClaims();
    expect(claimsError).toBeNull();
    expect(claims?.claims).toMatchObject({
      sub: userId,
      role: 'authenticated',
      session_id: sessionIdOf(accessToken),
    });
  });

  it('merges data into user_metadata (null deletes a key)', async () => {
    const { client } = await signedInClient({ data: { keep: 1, drop: 'x' } });
    const { data, error } = await client.auth.updateUser({ data: { added: true, drop: null } });
    expect(error).toBeNull();
    expect(data.user!.user_metadata).toEqual({ keep: 1, added: true, email_verified: true });
  });

  it('changes the password and signs out the other sessions', async () => {
    const { client, email } = await signedInClient();
    const other = await signIn(email);
    const { error } = await client.auth.updateUser({ password: 'a-brand-new-password' });
    expect(error).toBeNull();
    expect((await anonClient().auth.signInWithPassword({ email, password: PASSWORD })).error?.code).toBe(
      'invalid_credentials',
    );
    await signIn(email, 'a-brand-new-password');
    expect((await client.auth.getUser()).error).toBeNull();
    const otherUser = await anonClient().auth.getUser(other.session.access_token);
    expect(otherUser.error?.name).toBe('AuthSessionMissingError');
  });

  it('records an e-mail change as pending (new_email) until confirmed', async () => {
    const { client, email } = await signedInClient();
    const next = uniqueEmail('next');
    const { data, error } = await client.auth.updateUser({ email: next });
    expect(error).toBeNull();
    expect(data.user).toMatchObject({ email, new_email: next });
    expect(data.user!.email_change_sent_at).toBeTruthy();
  });

  it.each([
    [
      'the same password',
      async () => ({ password: PASSWORD }),
      422,
      'same_password',
      'New password should be different from the old password.',
    ],
    [
      'a weak password',
      async () => ({ password: '123' }),
      422,
      'weak_password',
      'Password should be at least 6 characters.',
    ],
    [
      'an e-mail another user has',
      async () => ({ email: (await createConfirmedUser()).email }),
      422,
      'email_exists',
      'A user with this email address has already been registered',
    ],
  ])('refuses %s on update', async (_case, attrs, status, code, message) => {
    const { client } = await signedInClient();
    const { error } = await client.auth.updateUser(await attrs());
    expect(error).toMatchObject({ status, code, message });
  });

  it.each([
    [
      'an expired token',
      async (sub: string) =>
        signJwt({
          sub,
          role: 'authenticated',
          aud: 'authenticated',
          exp: Math.floor(Date.now() / 1000) - 60,
        }),
      'invalid JWT: unable to parse or verify signature, token has invalid claims: token is expired',
    ],
    [
      'a token signed with another secret',
      async (sub: string) =>
        signJwt(
          { sub, role: 'authenticated', exp: Math.floor(Date.now() / 1000) + 60 },
          'another-secret-that-is-at-least-32-chars',
        ),
      'invalid JWT: unable to parse or verify signature, token signature is invalid: signature is invalid',
    ],
    ['the anon key (no sub)', async () => stackInfo().anonKey, 'invalid claim: missing sub claim'],
  ])('answers 403 bad_jwt for %s', async (_case, token, message) => {
    const { userId } = await signedInClient();
    const { error } = await anonClient().auth.getUser(await token(userId));
    expect(error).toMatchObject({ name: 'AuthApiError', status: 403, code: 'bad_jwt', message });
  });

  it('answers 401 no_authorization without a bearer token', async () => {
    const res = await rawAuth('/user', { token: null });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      code: 'no_authorization',
      message: 'This endpoint requires a valid Bearer token',
    });
    expect(res.headers.get('x-sb-error-code')).toBe('no_authorization');
    expect(res.headers.get('x-supabase-api-version')).toBe('2024-01-01');
  });

  it('uses the legacy error body without the API-version header', async () => {
    const res = await rawAuth('/user', { token: null, headers: { 'X-Supabase-Api-Version': '' } });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      code: 401,
      error_code: 'no_authorization',
      msg: 'This endpoint requires a valid Bearer token',
    });
    expect(res.headers.get('x-sb-error-code')).toBe('no_authorization');
    expect(res.headers.get('x-supabase-api-version')).toBeNull();
  });

  it('answers 400 bad_json to a malformed body', async () => {
    const res = await rawAuth('/signup', { method: 'POST', rawBody: '{"email": ' });
    expect(res.status).toBe(400);
    expect(res.body?.code).toBe('bad_json');
    expect(String(res.body?.message)).toMatch(/^Could not parse request body as JSON: /);
  });

  it('answers 403 session_not_found once the session is signed out', async () => {
    const { client, accessToken } = await signedInClient();
    expect((await client.auth.signOut()).error).toBeNull();
    const viaClient = await anonClient().auth.getUser(accessToken);
    expect(viaClient.error?.name).toBe('AuthSessionMissingError');
    const raw = await rawAuth('/user', { token: accessToken });
    expect(raw.status).toBe(403);
    expect(raw.body).toEqual({
      code: 'session_not_found',
      message: 'Session from session_id claim in JWT does not exist',
    });
  });

  it('answers 403 user_not_found once the user is deleted', async () => {
    const { userId, accessToken } = await signedInClient();
    expect((await serviceClient().auth.admin.deleteUser(userId)).error).toBeNull();
    const { error } = await anonClient().auth.getUser(accessToken);
    expect(error).toMatchObject({
      status: 403,
      code: 'user_not_found',
      message: 'User from sub claim in JWT does not exist',
    });
  });

  it('makes auth.uid() return the user in RLS context', async () => {
    const { userId, accessToken } = await signedInClient();
    const claims = decodeJwt(accessToken);
    const row = await withDb(async (db) => {
      await db.query('begin');
      try {
        await db.query(`set local role authenticated`);
        await db.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(claims)]);
        return (
          await db.query(
            `select auth.uid()::text as uid, auth.role() as role, auth.jwt() ->> 'session_id' as sid`,
          )
        ).rows[0];
      } finally {
        await db.query('rollback');
      }
    });
    expect(row).toEqual({ uid: userId, role: 'authenticated', sid: claims.session_id });
  });
});

describe('logout scopes', () => {
  it.each([
    ['global', [false, false, false]],
    ['local', [false, true, true]],
    ['others', [true, false, false]],
  ] as const)('scope %s ends the right sessions', async (scope, expectedAlive) => {
    const { email } = await createConfirmedUser();
    const sessions = [await signIn(email), await signIn(email), await signIn(email)];
    const { error } = await sessions[0].client.auth.signOut({ scope });
    expect(error).toBeNull();
    const alive = await Promise.all(
      sessions.map(async ({ session }) => !(await anonClient().auth.getUser(session.access_token)).error),
    );
    expect(alive).toEqual(expectedAlive);
    const rows = await withDb((db) =>
      db.query('select count(*)::int as n from auth.sessions where id = any($1::uuid[])', [
        sessions.map((s) => sessionIdOf(s.session.access_token)),
      ]),
    );
    expect(rows.rows[0].n).toBe(expectedAlive.filter(Boolean).length);
  });
});

describe('admin users', () => {
  it('creates a user with metadata, a chosen id and a confirmed e-mail', async () => {
    const id = randomUUID();
    const email = uniqueEmail('Admin').toUpperCase();
    const { data, error } = await serviceClient().auth.admin.createUser({
      id,
      email,
      password: PASSWORD,
      email_confirm: true,
      user_metadata: { full_name: 'Front Desk' },
      app_metadata: { clinic: 'north' },
    });
    expect(error).toBeNull();
    expect(data.user).toMatchObject({
      id,
      email: email.toLowerCase(),
      role: 'authenticated',
      app_metadata: { provider: 'email', providers: ['email'], clinic: 'north' },
      user_metadata: { full_name: 'Front Desk', email_verified: true },
    });
    expect(data.user!.email_confirmed_at).toBeTruthy();
    await signIn(email);
  });

  it.each([
    [
      'a taken e-mail',
      async (c: SupabaseClient, email: string) =>
        (await c.auth.admin.createUser({ email, password: PASSWORD })).error,
      422,
      'email_exists',
      'A user with this email address has already been registered',
    ],
    [
      'an unknown id',
      async (c: SupabaseClient) => (await c.auth.admin.getUserById(randomUUID())).error,
      404,
      'user_not_found',
      'User not found',
    ],
    [
      'a non-admin key',
      async () => (await anonClient().auth.admin.listUsers()).error,
      403,
      'not_admin',
      'User not allowed',
    ],
    [
      'no e-mail and no phone',
      async (c: SupabaseClient) => (await c.auth.admin.createUser({ password: PASSWORD })).error,
      400,
      'validation_failed',
      'Cannot create a user without either an email or phone',
    ],
    [
      'a user JWT',
      async (_c: SupabaseClient, email: string) =>
        (await clientWith((await signIn(email)).session.access_token).auth.admin.listUsers()).error,
      403,
      'not_admin',
      'User not allowed',
    ],
  ])('rejects %s', async (_case, attempt, status, code, message) => {
    const { email } = await createConfirmedUser();
    const error = await attempt(serviceClient(), email);
    expect(error).toMatchObject({ status, code, message });
  });

  it('updates metadata, e-mail and password', async () => {
    const { user } = await createConfirmedUser({ a: 1 });
    const email = uniqueEmail('moved');
    const { data, error } = await serviceClient().auth.admin.updateUserById(user.id, {
      email,
      password: 'another-password',
      user_metadata: { b: 2 },
      app_metadata: { role_hint: 'dentist' },
    });
    expect(error).toBeNull();
    expect(data.user).toMatchObject({ email, user_metadata: { a: 1, b: 2, email_verified: true } });
    expect(data.user!.app_metadata).toMatchObject({ provider: 'email', role_hint: 'dentist' });
    expect(data.user!.identities![0].identity_data).toMatchObject({ email });
    await signIn(email, 'another-password');
  });

  it('deletes a user (the trigger fixture row cascades)', async () => {
    const { userId } = await signedInClient();
    const admin = serviceClient();
    expect((await admin.auth.admin.deleteUser(userId)).error).toBeNull();
    expect((await admin.auth.admin.getUserById(userId)).error?.code).toBe('user_not_found');
    const rows = await withDb((db) =>
      db.query('select 1 from public.auth_trigger_fixture where user_id = $1', [userId]),
    );
    expect(rows.rowCount).toBe(0);
  });

  it('soft-deletes a user: the row stays, sign-in and sessions end', async () => {
    const { userId, email, accessToken } = await signedInClient();
    const admin = serviceClient();
    expect((await admin.auth.admin.deleteUser(userId, true)).error).toBeNull();
    const { data } = await admin.auth.admin.getUserById(userId);
    expect(data.user?.deleted_at).toBeTruthy();
    expect(data.user?.email).not.toBe(email);
    expect((await anonClient().auth.signInWithPassword({ email, password: PASSWORD })).error?.code).toBe(
      'invalid_credentials',
    );
    expect((await anonClient().auth.getUser(accessToken)).error?.name).toBe('AuthSessionMissingError');
  });

  it('lists users newest first with GoTrue pagination headers', async () => {
    const listPage = async (page: number, perPage: number) => {
      const { data, error } = await serviceClient().auth.admin.listUsers({ page, perPage });
      if (error || !('total' in data)) throw new Error(`listUsers failed: ${error?.message}`);
      return data;
    };
    const created: string[] = [];
    for (let i = 0; i < 3; i++) created.push((await createConfirmedUser()).user.id);
    const everyone = await listPage(1, 1000);
    const order = created.map((id) => everyone.users.findIndex((u) => u.id === id));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => b - a));

    // auth-js reads only the first digit of each page number, so keep the page count below 10
    // even if other test files add users meanwhile.
    const total = everyone.total;
    const perPage = Math.ceil((total + 100) / 5);
    const data = await listPage(1, perPage);
    expect(data.total).toBeGreaterThanOrEqual(total);
    expect(data.lastPage).toBe(Math.ceil(data.total / perPage));
    expect(data.nextPage).toBe(data.lastPage > 1 ? 2 : null);
    expect(data.users.length).toBe(Math.min(perPage, data.total));

    const half = Math.ceil(total / 2);
    const small = await listPage(1, half);
    expect(small).toMatchObject({ nextPage: 2, lastPage: Math.ceil(small.total / half) });
    const beyondTheEnd = await listPage(9, half);
    expect(beyondTheEnd.nextPage).toBeNull();
    expect(beyondTheEnd.users).toEqual([]);

    const raw = await rawAuth(`/admin/users?per_page=${perPage}&page=1`, {
      token: stackInfo().serviceRoleKey,
    });
    const link = raw.headers.get('link') ?? '';
    expect(link).toMatch(
      new RegExp(
        `^(</admin/users\\?page=2&per_page=${perPage}>; rel="next", )?</admin/users\\?page=\\d+&per_page=${perPage}>; rel="last"$`,
      ),
    );
    expect(Number(raw.headers.get('x-total-count'))).toBeGreaterThanOrEqual(total);
    expect(raw.body?.aud).toBe('authenticated');
  });
});

describe('settings and health', () => {
  it('reports the CLI defaults', async () => {
    const settings = await rawAuth('/settings');
    expect(settings.status).toBe(200);
    expect(settings.body).toMatchObject({
      external: { email: true, phone: false, anonymous_users: false, google: false },
      disable_signup: false,
      mailer_autoconfirm: true,
      phone_autoconfirm: false,
    });
    const health = await rawAuth('/health');
    expect(health).toMatchObject({ status: 200, body: { name: 'GoTrue' } });
  });
});
