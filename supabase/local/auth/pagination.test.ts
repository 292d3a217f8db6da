import { describe, expect, it } from 'vitest';
import { AuthApiError } from './errors';
import { goEncodeQuery, paginationHeaders, parsePageParams } from './pagination';

describe('parsePageParams', () => {
  it.each([
    ['', { page: 1, perPage: 50 }],
    ['page=&per_page=', { page: 1, perPage: 50 }],
    ['page=3&per_page=10', { page: 3, perPage: 10 }],
    ['page=0', { page: 1, perPage: 50 }],
  ])('%j → %j', (query, expected) => {
    expect(parsePageParams(new URLSearchParams(query))).toEqual(expected);
  });

  it.each([
    'page=x',
    'per_page=0',
    'per_page=-1',
    // Found by the fuzzer: numbers past a bigint offset were a 500 from Postgres.
    'page=1&per_page=99999999999999999999999',
    'page=99999999999999999999&per_page=10',
    'page=9007199254740991&per_page=9007199254740991',
  ])('rejects %s', (query) => {
    expect(() => parsePageParams(new URLSearchParams(query))).toThrow(AuthApiError);
  });
});

describe('paginationHeaders', () => {
  it.each([
    // total, page, perPage, expected Link
    [0, 1, 50, '</admin/users?page=0&per_page=50>; rel="last"'],
    [50, 1, 50, '</admin/users?page=1&per_page=50>; rel="last"'],
    [
      51,
      1,
      50,
      '</admin/users?page=2&per_page=50>; rel="next", </admin/users?page=2&per_page=50>; rel="last"',
    ],
    [
      120,
      2,
      50,
      '</admin/users?page=3&per_page=50>; rel="next", </admin/users?page=3&per_page=50>; rel="last"',
    ],
  ])('total %i, page %i of %i per page', (total, page, perPage, link) => {
    const query = new URLSearchParams(`per_page=${perPage}&page=${page}`);
    expect(paginationHeaders('/admin/users', query, { page, perPage }, total)).toEqual({
      Link: link,
      'X-Total-Count': String(total),
    });
  });

  it('is parsed by auth-js’s naive splitter into next/last page numbers', () => {
    const { Link } = paginationHeaders(
      '/admin/users',
      new URLSearchParams('page=&per_page=2'),
      { page: 1, perPage: 2 },
      7,
    );
    const parsed: Record<string, number> = {};
    for (const link of Link.split(',')) {
      const page = parseInt(link.split(';')[0].split('=')[1].substring(0, 1));
      const rel = JSON.parse(link.split(';')[1].split('=')[1]) as string;
      parsed[`${rel}Page`] = page;
    }
    expect(parsed).toEqual({ nextPage: 2, lastPage: 4 });
  });

  it('encodes queries like Go (sorted keys, + for spaces, ~ kept)', () => {
    expect(
      goEncodeQuery(
        new URLSearchParams([
          ['z', 'a b'],
          ['a', "x~y!'"],
        ]),
      ),
    ).toBe('a=x~y%21%27&z=a+b');
  });
});
