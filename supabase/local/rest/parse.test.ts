import { describe, expect, it } from 'vitest';
import { RestError } from './errors';
import { parseFilterValue, parseKey, parseLogicTree, parseOrder } from './parse-filter';
import { parseQuery } from './parse-query';
import { parseSelect } from './parse-select';
import { parsePrefer } from './prefer';

const col = (name: string) => ({ name, json: [] });

describe('parseSelect', () => {
  it.each([
    ['*', [{ kind: 'star' }]],
    [
      'id,name',
      [
        { kind: 'column', field: col('id') },
        { kind: 'column', field: col('name') },
      ],
    ],
    ['n:name', [{ kind: 'column', field: col('name'), alias: 'n' }]],
    ['id::text', [{ kind: 'column', field: col('id'), cast: 'text' }]],
    ['x:id::text', [{ kind: 'column', field: col('id'), alias: 'x', cast: 'text' }]],
    [
      'data->a->>b',
      [
        {
          kind: 'column',
          field: {
            name: 'data',
            json: [
              { arrow: '->', key: 'a' },
              { arrow: '->>', key: 'b' },
            ],
          },
        },
      ],
    ],
    ['arr->0', [{ kind: 'column', field: { name: 'arr', json: [{ arrow: '->', key: 0 }] } }]],
    ['"we,ird"', [{ kind: 'column', field: col('we,ird') }]],
    ['"a\\"b"', [{ kind: 'column', field: col('a"b') }]],
    ['count()', [{ kind: 'count' }]],
    ['amount.sum()', [{ kind: 'column', field: col('amount'), aggregate: 'sum' }]],
    ['', []],
  ])('%s', (text, expected) => {
    expect(parseSelect(text)).toEqual(expected);
  });

  it('parses nested, hinted, aliased embeds', () => {
    expect(
      parseSelect('id,d:directors!films_director_id_fkey!inner(name,awards(*)),...studios(name),tags()'),
    ).toEqual([
      { kind: 'column', field: col('id') },
      {
        kind: 'embed',
        relation: 'directors',
        alias: 'd',
        hint: 'films_director_id_fkey',
        joinType: 'inner',
        spread: false,
        select: [
          { kind: 'column', field: col('name') },
          { kind: 'embed', relation: 'awards', spread: false, select: [{ kind: 'star' }] },
        ],
      },
      { kind: 'embed', relation: 'studios', spread: true, select: [{ kind: 'column', field: col('name') }] },
      { kind: 'embed', relation: 'tags', spread: false, select: [] },
    ]);
  });

  it.each(['id,', 'a(', 'a(b', 'x:', '"open', 'a!b!c!d(*)', 'id.bogus()', 'a)'])(
    'rejects %s with PGRST100',
    (text) => {
      try {
        parseSelect(text);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(RestError);
        expect((e as RestError).code).toBe('PGRST100');
        expect((e as RestError).status).toBe(400);
      }
    },
  );

  it('bounds nesting depth', () => {
    const deep = 'a('.repeat(40) + '*' + ')'.repeat(40);
    expect(() => parseSelect(deep)).toThrow(RestError);
  });
});

describe('parseFilterValue', () => {
  it.each([
    ['eq.5', { op: 'eq', value: '5' }, false],
    ['eq.a.b.c', { op: 'eq', value: 'a.b.c' }, false],
    ['not.eq.5', { op: 'eq', value: '5' }, true],
    ['like.*ab*', { op: 'like', value: '*ab*' }, false],
    ['like(any).{a*,b*}', { op: 'like', value: '{a*,b*}', quantifier: 'any' }, false],
    ['eq(all).{1,2}', { op: 'eq', value: '{1,2}', quantifier: 'all' }, false],
    ['in.(1,2,"a,b","q\\"x")', { op: 'in', values: ['1', '2', 'a,b', 'q"x'] }, false],
    ['in.()', { op: 'in', values: [] }, false],
    ['not.in.(1)', { op: 'in', values: ['1'] }, true],
    ['is.NULL', { op: 'is', value: 'null' }, false],
    ['is.not_null', { op: 'is', value: 'not_null' }, false],
    ['fts(english).cat & dog', { op: 'fts', config: 'english', value: 'cat & dog' }, false],
    ['wfts.cat', { op: 'wfts', config: undefined, value: 'cat' }, false],
    ['cs.{1,2}', { op: 'cs', value: '{1,2}' }, false],
    ['isdistinct.x', { op: 'isdistinct', value: 'x' }, false],
    ['eq.', { op: 'eq', value: '' }, false],
  ])('%s', (text, operation, negate) => {
    expect(parseFilterValue(col('c'), text)).toEqual({ field: col('c'), negate, operation });
  });

  it.each(['5', 'bogus.1', 'is.maybe', 'in.(1', 'is(any).null', 'cs(any).{1}', 'eq(some).1'])(
    'rejects %s',
    (text) => {
      expect(() => parseFilterValue(col('c'), text)).toThrow(RestError);
    },
  );
});

describe('parseLogicTree', () => {
  it('parses nested trees with quoted values and lists', () => {
    expect(
      parseLogicTree('or', false, '(a.eq.1,b.not.in.(x,"y)"),not.and(c.gt.2,d->>k.eq."p,q"),e.cs.{1,2})'),
    ).toEqual({
      kind: 'or',
      negate: false,
      children: [
        { kind: 'filter', filter: { field: col('a'), negate: false, operation: { op: 'eq', value: '1' } } },
        {
          kind: 'filter',
          filter: { field: col('b'), negate: true, operation: { op: 'in', values: ['x', 'y)'] } },
        },
        {
          kind: 'and',
          negate: true,
          children: [
            {
              kind: 'filter',
              filter: { field: col('c'), negate: false, operation: { op: 'gt', value: '2' } },
            },
            {
              kind: 'filter',
              filter: {
                field: { name: 'd', json: [{ arrow: '->>', key: 'k' }] },
                negate: false,
                operation: { op: 'eq', value: 'p,q' },
              },
            },
          ],
        },
        {
          kind: 'filter',
          filter: { field: col('e'), negate: false, operation: { op: 'cs', value: '{1,2}' } },
        },
      ],
    });
  });

  it.each(['a.eq.1', '(a.eq.1', '(a.zz.1)', '()'])('rejects %s', (text) => {
    expect(() => parseLogicTree('or', false, text)).toThrow(RestError);
  });
});

describe('parseOrder / parseKey', () => {
  it('parses terms', () => {
    expect(parseOrder('a.desc.nullslast,b,c.asc.nullsfirst,d(e).desc,f->>g.desc')).toEqual([
      { field: col('a'), direction: 'desc', nulls: 'last' },
      { field: col('b') },
      { field: col('c'), direction: 'asc', nulls: 'first' },
      { relation: 'd', field: col('e'), direction: 'desc' },
      { field: { name: 'f', json: [{ arrow: '->>', key: 'g' }] }, direction: 'desc' },
    ]);
  });
  it('rejects bad directions', () => expect(() => parseOrder('a.sideways')).toThrow(RestError));
  it('splits keys', () => {
    expect(parseKey('a.b.c->>d')).toEqual({
      path: ['a', 'b'],
      field: { name: 'c', json: [{ arrow: '->>', key: 'd' }] },
    });
    expect(parseKey('"x.y"')).toEqual({ path: [], field: col('x.y') });
  });
});

describe('parseQuery', () => {
  it('routes reserved keys, embed paths and function arguments', () => {
    const q = parseQuery(
      new URLSearchParams(
        'select=id,f(*)&id=gt.1&f.limit=2&f.order=id.desc&limit=10&offset=5&or=(a.eq.1)&f.not.and=(b.eq.2)&columns="a","b"&on_conflict=a&x=1',
      ),
      { argNames: new Set(['x']) },
    );
    expect(q.filters).toEqual([
      { path: [], value: { field: col('id'), negate: false, operation: { op: 'gt', value: '1' } } },
    ]);
    expect(q.limit).toEqual([
      { path: ['f'], value: 2 },
      { path: [], value: 10 },
    ]);
    expect(q.offset).toEqual([{ path: [], value: 5 }]);
    expect(q.order).toEqual([{ path: ['f'], value: [{ field: col('id'), direction: 'desc' }] }]);
    expect(q.logic.map((l) => [l.path, l.value.kind, l.value.negate])).toEqual([
      [[], 'or', false],
      [['f'], 'and', true],
    ]);
    expect(q.columns).toEqual(['a', 'b']);
    expect(q.onConflict).toEqual(['a']);
    expect([...q.args]).toEqual([['x', '1']]);
  });

  it.each(['limit=-1', 'offset=x', 'limit=1.5'])('rejects %s', (qs) => {
    expect(() => parseQuery(new URLSearchParams(qs))).toThrow(RestError);
  });
});

describe('parsePrefer', () => {
  it('reads a comma-joined header and ignores junk', () => {
    expect(
      parsePrefer(
        'count=exact, return=representation,resolution=merge-duplicates, missing=default, tx=rollback, max-affected=3, bogus=1, count=weird',
      ),
    ).toEqual({
      count: 'exact',
      return: 'representation',
      resolution: 'merge-duplicates',
      missing: 'default',
      tx: 'rollback',
      maxAffected: 3,
    });
  });
});

describe('quoted names', () => {
  it.each([
    ['"a""b"', 'a"b'],
    ['"a\\"b"', 'a"b'],
    ['"x; drop table y"', 'x; drop table y'],
  ])('%s', (text, name) => {
    expect(parseSelect(text)).toEqual([{ kind: 'column', field: { name, json: [] } }]);
  });
});

describe('values that only start with a quote', () => {
  it('in-list item falls back to the raw text', () => {
    expect(parseFilterValue(col('c'), 'in.("; drop table x; --,other)').operation).toEqual({
      op: 'in',
      values: ['"; drop table x; --', 'other'],
    });
  });
  it('raw keys may contain quotes and semicolons', () => {
    expect(parseKey('co"l; drop')).toEqual({ path: [], field: col('co"l; drop') });
  });
});
