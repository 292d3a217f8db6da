import { describe, expect, it } from 'vitest';
import { anonClient, signedInClient, stackInfo, withDb } from '../helpers/stack';
import { restFetch } from './rest-helpers';

const db = anonClient();

describe('REST rpc: calling and results', () => {
  it.each<[string, Record<string, unknown>, { get?: boolean }, unknown]>([
    ['scalar via POST', { a: 1, b: 2 }, {}, 3],
    ['scalar via GET', { a: 40, b: 2 }, { get: true }, 42],
  ])('%s', async (_l, args, opts, expected) => {
    const { data, error, status } = await db.rpc('rest_add', args, opts);
    expect(error).toBeNull();
    expect(status).toBe(200);
    expect(data).toBe(expected);
  });

  it('uses parameter defaults', async () => {
    expect((await db.rpc('rest_add_default', { a: 1 })).data).toBe(11);
    expect((await db.rpc('rest_add_default', { a: 1, b: 1 })).data).toBe(2);
  });

  it('setof rows with select, filter, order, limit', async () => {
    const { data, error } = await db
      .rpc('rest_films_since', { since: 1950 })
      .select('title,year')
      .gt('year', 1951)
      .order('year', { ascending: false })
      .limit(2);
    expect(error).toBeNull();
    expect(data).toEqual([
      { title: 'Faces Places', year: 2017 },
      { title: 'Cléo from 5 to 7', year: 1962 },
    ]);
  });

  it('setof rows can embed through the row type', async () => {
    const { data, error } = await db
      .rpc('rest_films_since', { since: 2000 })
      .select('title,rest_directors(name)');
    expect(error).toBeNull();
    expect(data).toEqual([{ title: 'Faces Places', rest_directors: { name: 'Agnès Varda' } }]);
  });

  it('single composite → object', async () => {
    const { data } = await db.rpc('rest_first_director');
    expect(data).toEqual({ id: 1, name: 'Agnès Varda' });
  });

  it('returns table → array of objects', async () => {
    const { data } = await db.rpc('rest_squares', { n: 3 });
    expect(data).toEqual([
      { i: 1, sq: 1 },
      { i: 2, sq: 4 },
      { i: 3, sq: 9 },
    ]);
  });

  it('setof scalar → array of values', async () => {
    const { data } = await db.rpc('rest_series', { n: 4 });
    expect(data).toEqual([1, 2, 3, 4]);
  });

  it('void → 204 without body', async () => {
    const { data, error, status } = await db.rpc('rest_noop');
    expect(error).toBeNull();
    expect(status).toBe(204);
    expect(data).toBeNull();
  });

  it('a single unnamed jsonb parameter receives the whole body', async () => {
    const { data } = await db.rpc('rest_echo', { anything: [1, { b: 'c' }] });
    expect(data).toEqual({ anything: [1, { b: 'c' }] });
  });

  it.each<[string, Record<string, unknown>, { get?: boolean }, unknown]>([
    ['array argument via POST', { nums: [1, 2, 3] }, {}, 6],
    ['array argument via GET', { nums: [4, 5] }, { get: true }, 9],
  ])('%s', async (_l, args, opts, expected) => {
    const { data, error } = await db.rpc('rest_sum_array', args, opts);
    expect(error).toBeNull();
    expect(data).toBe(expected);
  });

  it('named jsonb argument', async () => {
    const { data } = await db.rpc('rest_json_arg', { doc: { k: "v'; --" } });
    expect(data).toBe("v'; --");
  });

  it('HEAD with count', async () => {
    const { data, count, status } = await db.rpc('rest_series', { n: 5 }, { head: true, count: 'exact' });
    expect(status).toBe(200);
    expect(data).toBeNull();
    expect(count).toBe(5);
  });

  it('single() on a set-returning function', async () => {
    const { data, error } = await db.rpc('rest_films_since', { since: 2000 }).select('title').single();
    expect(error).toBeNull();
    expect(data).toEqual({ title: 'Faces Places' });
  });

  it('a volatile function writes and returns its composite result', async () => {
    const { data, error } = await db.rpc('rest_add_item', { item_name: 'from rpc' });
    expect(error).toBeNull();
    expect(data).toMatchObject({ name: 'from rpc', qty: 0 });
    const row = await withDb((c) =>
      c.query('select name from rest_items where id = $1', [(data as { id: number }).id]),
    );
    expect(row.rows).toEqual([{ name: 'from rpc' }]);
  });
});

describe('REST rpc: request context', () => {
  it('sets role, claims, method, path, headers, cookies, timeout and search_path (anon, POST, stable)', async () => {
    const r = await restFetch('rpc/rest_whoami', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Test': 'hello', Cookie: 'a=1; b=2' },
      body: '{}',
    });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      uid: null,
      role: 'anon',
      claims_role: 'anon',
      method: 'POST',
      path: '/rpc/rest_whoami',
      x_test: 'hello',
      cookie_a: '1',
      timeout: '3s',
      read_only: 'on',
      search_path: '"public", "extensions"',
    });
  });

  it('an authenticated user gets their uid and the 8 s timeout', async () => {
    const { client, userId } = await signedInClient();
    const { data, error } = await client.rpc('rest_whoami', {}, { get: true });
    expect(error).toBeNull();
    expect(data).toMatchObject({
      uid: userId,
      role: 'authenticated',
      claims_role: 'authenticated',
      method: 'GET',
      timeout: '8s',
      read_only: 'on',
    });
  });

  it('requests without any auth header run as anon', async () => {
    const s = stackInfo();
    const res = await fetch(`${s.apiUrl}/rest/v1/rpc/rest_whoami`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ role: 'anon' });
  });

  it('functions can set the response status and headers', async () => {
    const r = await restFetch('rpc/rest_set_status', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(r.status).toBe(202);
    expect(r.headers.get('x-custom')).toBe('yes');
    expect(r.json).toBe(1);
  });
});

describe('REST rpc: errors', () => {
  it('unknown function → 404 PGRST202', async () => {
    const { error, status } = await db.rpc('rest_missing', { a: 1, b: 2 });
    expect(status).toBe(404);
    expect(error).toEqual({
      code: 'PGRST202',
      details:
        'Searched for the function public.rest_missing with parameters a, b or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.',
      hint: null,
      message: 'Could not find the function public.rest_missing(a, b) in the schema cache',
    });
  });

  it('wrong argument names → 404 PGRST202', async () => {
    const { error, status } = await db.rpc('rest_add', { x: 1 });
    expect(status).toBe(404);
    expect(error?.message).toBe('Could not find the function public.rest_add(x) in the schema cache');
  });

  it('no arguments → "without parameters"', async () => {
    const { error } = await db.rpc('rest_missing');
    expect(error?.message).toBe(
      'Could not find the function public.rest_missing without parameters in the schema cache',
    );
  });

  it('overloads with the same argument names → 300 PGRST203', async () => {
    const { error, status } = await db.rpc('rest_overloaded', { x: 1 });
    expect(status).toBe(300);
    expect(error?.code).toBe('PGRST203');
    expect(error?.message).toMatch(/^Could not choose the best candidate function between: /);
  });

  it.each<[string, string, { get?: boolean }]>([
    ['STABLE function writing via POST', 'rest_stable_writer', {}],
    ['volatile function writing via GET', 'rest_add_item', { get: true }],
  ])('%s → 405 25006', async (_l, fn, opts) => {
    const args = fn === 'rest_add_item' ? { item_name: 'nope' } : {};
    const { error, status } = await db.rpc(fn, args, opts);
    expect(status).toBe(405);
    expect(error?.code).toBe('25006');
  });

  it('RAISE EXCEPTION → 400 P0001 with detail and hint', async () => {
    const { error, status } = await db.rpc('rest_raise');
    expect(status).toBe(400);
    expect(error).toEqual({
      code: 'P0001',
      details: 'The slot was booked a moment ago',
      hint: 'Pick another slot',
      message: 'slot_taken',
    });
  });

  it('SQLSTATE PTnnn sets the HTTP status', async () => {
    const { error, status } = await db.rpc('rest_raise_custom');
    expect(status).toBe(402);
    expect(error).toMatchObject({ code: 'PT402', message: 'Payment required' });
  });

  it("RAISE SQLSTATE 'PGRST' controls the whole response", async () => {
    const r = await restFetch('rpc/rest_raise_pgrst', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(r.status).toBe(418);
    expect(r.headers.get('x-powered-by')).toBe('teapot');
    expect(r.json).toEqual({ code: '123', details: 'd', hint: 'h', message: 'Custom message' });
  });

  it('wrong argument type → 400 22P02', async () => {
    const { error, status } = await db.rpc('rest_add', { a: 'one', b: 2 });
    expect(status).toBe(400);
    expect(error?.code).toBe('22P02');
  });
});
