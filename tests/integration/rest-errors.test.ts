import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { anonClient, signedInClient, stackInfo, withDb } from '../helpers/stack';
import { expectErrorShape, restFetch } from './rest-helpers';

const db = anonClient();

async function token(claims: Record<string, unknown>, secret = stackInfo().jwtSecret): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(secret));
}
const inOneHour = () => Math.floor(Date.now() / 1000) + 3600;

describe('REST auth', () => {
  it('a bad signature → 401 PGRST301 with WWW-Authenticate', async () => {
    const bad = await token(
      { role: 'authenticated', exp: inOneHour() },
      'another-secret-that-is-at-least-32-characters',
    );
    const r = await restFetch('rest_numbers?limit=1', { headers: { Authorization: `Bearer ${bad}` } });
    expect(r.status).toBe(401);
    expectErrorShape(r.json);
    expect(r.json).toMatchObject({ code: 'PGRST301' });
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
  });

  it('garbage instead of a JWT → 401 PGRST301', async () => {
    const r = await restFetch('rest_numbers?limit=1', { headers: { Authorization: 'Bearer not-a-jwt' } });
    expect(r.status).toBe(401);
    expect(r.json).toMatchObject({ code: 'PGRST301' });
  });

  it('an expired JWT → 401 PGRST303 "JWT expired"', async () => {
    const expired = await token({
      role: 'authenticated',
      sub: randomUUID(),
      exp: Math.floor(Date.now() / 1000) - 10,
    });
    const client = anonClient({ accessToken: expired });
    const { error, status } = await client.from('rest_numbers').select('n').limit(1);
    expect(status).toBe(401);
    expect(error).toEqual({ code: 'PGRST303', details: null, hint: null, message: 'JWT expired' });
  });

  it('an unknown role → 401', async () => {
    const t = await token({ role: 'nobody_role', exp: inOneHour() });
    const r = await restFetch('rest_numbers?limit=1', { headers: { Authorization: `Bearer ${t}` } });
    expect(r.status).toBe(401);
    expect(r.json).toEqual({
      code: '22023',
      details: null,
      hint: null,
      message: 'role "nobody_role" does not exist',
    });
  });

  it('a valid token without a role claim runs as anon', async () => {
    const t = await token({ exp: inOneHour() });
    const r = await restFetch('rpc/rest_whoami', {
      method: 'POST',
      headers: { Authorization: `Bearer ${t}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ role: 'anon', claims_role: 'anon' });
  });

  it('a token minted with the stack secret runs as its role with its sub', async () => {
    const sub = randomUUID();
    const t = await token({ role: 'authenticated', sub, exp: inOneHour() });
    const { data } = await anonClient({ accessToken: t }).rpc('rest_whoami');
    expect(data).toMatchObject({ role: 'authenticated', uid: sub });
  });
});

describe('REST row-level security', () => {
  it('two users see and change only their own rows; anon sees none', async () => {
    const [alice, bob] = await Promise.all([signedInClient(), signedInClient()]);
    const a = await alice.client
      .from('rest_notes')
      .insert({ body: 'alice private' })
      .select('id,owner,body')
      .single();
    expect(a.error).toBeNull();
    expect(a.data?.owner).toBe(alice.userId);
    const b = await bob.client.from('rest_notes').insert({ body: 'bob private' }).select('id').single();
    expect(b.error).toBeNull();

    const aliceView = await alice.client.from('rest_notes').select('body');
    expect(aliceView.data).toEqual([{ body: 'alice private' }]);
    const bobView = await bob.client.from('rest_notes').select('body');
    expect(bobView.data).toEqual([{ body: 'bob private' }]);
    const anonView = await db.from('rest_notes').select('body');
    expect(anonView.data).toEqual([]);

    const hijack = await bob.client
      .from('rest_notes')
      .update({ body: 'bob was here' })
      .eq('id', a.data!.id)
      .select();
    expect(hijack.error).toBeNull();
    expect(hijack.data).toEqual([]);
    const wipe = await bob.client.from('rest_notes').delete().eq('id', a.data!.id).select();
    expect(wipe.data).toEqual([]);
    const still = await withDb((c) => c.query('select body from rest_notes where id = $1', [a.data!.id]));
    expect(still.rows).toEqual([{ body: 'alice private' }]);
  });

  it('inserting a row for someone else → 403 42501', async () => {
    const { client } = await signedInClient();
    const { error, status } = await client.from('rest_notes').insert({ body: 'forged', owner: randomUUID() });
    expect(status).toBe(403);
    expect(error).toMatchObject({
      code: '42501',
      message: 'new row violates row-level security policy for table "rest_notes"',
    });
  });

  it('anon insert denied → 401 42501', async () => {
    const { error, status } = await db.from('rest_notes').insert({ body: 'anon', owner: randomUUID() });
    expect(status).toBe(401);
    expect(error?.code).toBe('42501');
  });
});

describe('REST errors', () => {
  it('unknown table → 404 PGRST205 with a suggestion', async () => {
    const { error, status } = await db.from('rest_numbrs').select();
    expect(status).toBe(404);
    expect(error).toEqual({
      code: 'PGRST205',
      details: null,
      hint: "Perhaps you meant the table 'public.rest_numbers'",
      message: "Could not find the table 'public.rest_numbrs' in the schema cache",
    });
  });

  it('unknown column in select → 400 42703', async () => {
    const { error, status } = await db.from('rest_numbers').select('n,nope');
    expect(status).toBe(400);
    expect(error).toMatchObject({ code: '42703', message: 'column rest_numbers.nope does not exist' });
  });

  it('not an exposed schema → 406 PGRST106', async () => {
    const { error, status } = await db.schema('auth').from('users').select();
    expect(status).toBe(406);
    expect(error).toEqual({
      code: 'PGRST106',
      details: null,
      hint: 'Only the following schemas are exposed: public, graphql_public',
      message: 'Invalid schema: auth',
    });
  });

  it('graphql_public is exposed', async () => {
    const { error, status } = await db.schema('graphql_public').from('rest_numbers').select();
    expect(status).toBe(404);
    expect(error?.message).toBe("Could not find the table 'graphql_public.rest_numbers' in the schema cache");
  });

  it.each<[string, string, RequestInit & { headers?: Record<string, string> }, number, string]>([
    ['malformed select', 'rest_numbers?select=n,(', {}, 400, 'PGRST100'],
    ['unknown operator', 'rest_numbers?n=approx.3', {}, 400, 'PGRST100'],
    ['filter without operator', 'rest_numbers?n=3', {}, 400, 'PGRST100'],
    ['malformed or', 'rest_numbers?or=(n.eq.1', {}, 400, 'PGRST100'],
    ['bad order', 'rest_numbers?order=n.upwards', {}, 400, 'PGRST100'],
    ['bad limit', 'rest_numbers?limit=ten', {}, 400, 'PGRST100'],
    ['invalid cast type', 'rest_numbers?select=n::int;drop', {}, 400, 'PGRST100'],
    ['filter on an embed not in select', 'rest_directors?select=id&rest_films.id=eq.1', {}, 400, 'PGRST108'],
    [
      'non-null op on an embed',
      'rest_directors?select=id,rest_films(id)&rest_films=eq.1',
      {},
      400,
      'PGRST120',
    ],
    [
      'order by a to-many embed',
      'rest_directors?select=id,rest_films(id)&order=rest_films(id)',
      {},
      400,
      'PGRST118',
    ],
    [
      'invalid JSON body',
      'rest_items',
      { method: 'POST', body: '{"sku": ', headers: { 'Content-Type': 'application/json' } },
      400,
      'PGRST102',
    ],
    [
      'empty insert body',
      'rest_items',
      { method: 'POST', body: '', headers: { 'Content-Type': 'application/json' } },
      400,
      'PGRST102',
    ],
    [
      'scalar insert body',
      'rest_items',
      { method: 'POST', body: '42', headers: { 'Content-Type': 'application/json' } },
      400,
      'PGRST102',
    ],
    ['nested path', 'rest_numbers/1', {}, 404, 'PGRST125'],
    ['unsupported method', 'rest_numbers', { method: 'PUT', body: '{}' }, 405, 'PGRST117'],
    ['bad percent-encoding in path', 'rest_%zz', {}, 404, 'PGRST125'],
  ])('%s → %i %s', async (_l, path, init, status, code) => {
    const r = await restFetch(path, init);
    expect(r.status).toBe(status);
    expectErrorShape(r.json);
    expect((r.json as { code: string }).code).toBe(code);
    expect(r.text).not.toMatch(/at .*\.ts:\d+/);
  });

  it('an oversized body → 413 with the error shape', async () => {
    const big = JSON.stringify({ sku: 'x', name: 'y'.repeat(11 * 1024 * 1024) });
    const r = await restFetch('rest_items', {
      method: 'POST',
      body: big,
      headers: { 'Content-Type': 'application/json' },
    });
    expect(r.status).toBe(413);
    expectErrorShape(r.json);
  });

  it('SQL injection through filter values and keys finds nothing and breaks nothing', async () => {
    const { data, error } = await db.from('rest_numbers').select('n').eq('label', "n1' or '1'='1");
    expect(error).toBeNull();
    expect(data).toEqual([]);
    const r = await restFetch(`rest_numbers?${encodeURIComponent('n;drop table rest_numbers')}=eq.1`);
    expect(r.status).toBe(400);
    expectErrorShape(r.json);
    const count = await withDb((c) => c.query('select count(*)::int as n from rest_numbers'));
    expect(count.rows[0].n).toBe(50);
  });
});

describe('REST schema cache', () => {
  it('follows DDL through NOTIFY pgrst (event trigger) without a restart', async () => {
    const name = `rest_tmp_${randomUUID().slice(0, 8)}`;
    await withDb((c) =>
      c.query(
        `create table public.${name} (id int primary key, v text); insert into public.${name} values (1, 'hi');`,
      ),
    );
    const deadline = Date.now() + 10_000;
    let last: { status: number; json: unknown } = { status: 0, json: null };
    while (Date.now() < deadline) {
      last = await restFetch(`${name}?select=v`);
      if (last.status === 200) break;
      await new Promise((r) => setImmediate(r));
    }
    expect(last).toMatchObject({ status: 200, json: [{ v: 'hi' }] });
    await withDb((c) => c.query(`drop table public.${name}`));
  });
});
