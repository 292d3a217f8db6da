/**
 * Input PostgreSQL cannot store never turns into an Auth 500: NUL anywhere in a JSON body is a
 * 400 validation_failed, lone UTF-16 surrogates become U+FFFD (as Go's JSON decoder leaves them for
 * GoTrue), and a malformed escape in a path parameter is just a bad id.
 */
import { describe, expect, it } from 'vitest';
import { stackInfo, uniqueEmail } from '../helpers/stack';

async function auth(path: string, body: string | null, key: 'anon' | 'service' = 'anon') {
  const s = stackInfo();
  const token = key === 'anon' ? s.anonKey : s.serviceRoleKey;
  const res = await fetch(`${s.apiUrl}/auth/v1${path}`, {
    method: body === null ? 'GET' : 'POST',
    headers: {
      apikey: token,
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
      'X-Supabase-Api-Version': '2024-01-01',
    },
    body: body ?? undefined,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('NUL in Auth request bodies', () => {
  it.each([
    [
      'a sign-in e-mail',
      '/token?grant_type=password',
      () => '{"email":"a\\u0000@x.test","password":"secret1"}',
    ],
    [
      'sign-up metadata',
      '/signup',
      () => `{"email":"${uniqueEmail('nul')}","password":"secret1","data":{"a":"\\u0000"}}`,
    ],
    [
      'a metadata key',
      '/signup',
      () => `{"email":"${uniqueEmail('nul')}","password":"secret1","data":{"k\\u0000":1}}`,
    ],
  ])('in %s → 400 validation_failed', async (_where, path, body) => {
    const r = await auth(path, body());
    expect(r).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
  });

  it('in admin app_metadata → 400 validation_failed', async () => {
    const body = `{"email":"${uniqueEmail('nul')}","password":"secret1","app_metadata":{"k\\u0000":1}}`;
    const r = await auth('/admin/users', body, 'service');
    expect(r).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
  });
});

describe('other bytes', () => {
  it('stores a lone surrogate in metadata as U+FFFD, like GoTrue', async () => {
    const body = `{"email":"${uniqueEmail('sur')}","password":"secret1","user_metadata":{"x":"a\\ud800b"}}`;
    const r = await auth('/admin/users', body, 'service');
    expect(r.status).toBe(200);
    expect(r.body.user_metadata).toEqual({ x: 'a\uFFFDb' });
  });

  it('answers a malformed escape in a user id like any other bad id', async () => {
    const r = await auth('/admin/users/%E0%A4%A', null, 'service');
    expect(r.status).toBe(404);
    expect(r.body.code).toBe('validation_failed');
  });
});

describe('NUL in Auth query parameters', () => {
  it('in the admin user-list filter → 400 validation_failed', async () => {
    const r = await auth('/admin/users?filter=%00', null, 'service');
    expect(r).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
  });
});
