/**
 * Bytes PostgreSQL cannot take (NUL, invalid UTF-8) anywhere in a REST request: always a 400 with a
 * stable code — PostgreSQL's own 22021 where PostgREST passes the input on — never a 5xx.
 */
import { describe, expect, it } from 'vitest';
import { expectErrorShape, restFetch } from './rest-helpers';

const NUL_ERROR = { code: '22021', message: 'invalid byte sequence for encoding "UTF8": 0x00' };

describe('NUL in a REST request', () => {
  it.each([
    ['a select column', 'rest_films?select=ti%00tle'],
    ['an embedded select column', 'rest_films?select=title,rest_directors(na%00me)'],
    ['an order column', 'rest_films?order=ti%00tle'],
    ['a filter column', 'rest_films?ti%00tle=eq.x'],
    ['a JSON path key', 'rest_films?data->>a%00=eq.1'],
    ['a filter value', 'rest_films?title=eq.a%00b'],
    ['a logic-tree value', 'rest_films?or=(title.eq.a%00)'],
  ])('in %s → 400 22021', async (_where, path) => {
    const r = await restFetch(path);
    expect(r.status).toBe(400);
    expectErrorShape(r.json);
    expect(r.json).toMatchObject(NUL_ERROR);
  });

  it('as \\u0000 in a JSON body → 400 22P05, as PostgreSQL answers', async () => {
    const r = await restFetch('rest_items', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"sku":"a\\u0000b"}',
    });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ code: '22P05' });
  });
});

describe('invalid UTF-8 in a REST body', () => {
  it('is refused with 400 22021 instead of being stored as U+FFFD', async () => {
    const r = await restFetch('rest_items', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: Buffer.concat([Buffer.from('{"sku":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
    });
    expect(r.status).toBe(400);
    expectErrorShape(r.json);
    expect(r.json).toMatchObject({ code: '22021' });
  });
});

describe('CSV from a function that returns no rows of records', () => {
  it.each([
    ['a scalar', 'rpc/rest_add?a=1&b=2', '3'],
    ['a jsonb object', 'rpc/rest_echo', null],
  ])('renders %s instead of failing with 500', async (_what, path, expected) => {
    const isPost = path === 'rpc/rest_echo';
    const r = await restFetch(path, {
      method: isPost ? 'POST' : 'GET',
      headers: { Accept: 'text/csv', 'Content-Type': 'application/json', Prefer: 'params=single-object' },
      body: isPost ? '{"any":["thing"]}' : undefined,
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
    if (expected !== null) expect(r.text).toBe(expected);
    else expect(r.text).toBe('any\n"[""thing""]"');
  });
});
