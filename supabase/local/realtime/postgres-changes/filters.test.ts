import { describe, expect, it } from 'vitest';
import { PgChangesError } from './errors';
import { evaluateLocally, parseFilter, type ParsedFilter } from './filters';

describe('parseFilter', () => {
  it.each([
    ['', []],
    ['   ', []],
    ['id=eq.5', [{ expression: 'id', column: 'id', op: 'eq', value: '5', negate: false }]],
    [
      'status=not.in.(a,b)',
      [{ expression: 'status', column: 'status', op: 'in', value: '{a,b}', negate: true }],
    ],
    ['name=eq."a,b"', [{ expression: 'name', column: 'name', op: 'eq', value: 'a,b', negate: false }]],
    [
      'name=eq."say \\"hi\\""',
      [{ expression: 'name', column: 'name', op: 'eq', value: 'say "hi"', negate: false }],
    ],
    [
      'id=gt.0,id=lt.100',
      [
        { expression: 'id', column: 'id', op: 'gt', value: '0', negate: false },
        { expression: 'id', column: 'id', op: 'lt', value: '100', negate: false },
      ],
    ],
    [
      'id=in.(1,2,3),name=like.a%',
      [
        { expression: 'id', column: 'id', op: 'in', value: '{1,2,3}', negate: false },
        { expression: 'name', column: 'name', op: 'like', value: 'a%', negate: false },
      ],
    ],
    [
      'meta->>kind=eq.x',
      [{ expression: 'meta->>kind', column: 'meta', jsonKey: 'kind', op: 'eq', value: 'x', negate: false }],
    ],
    [
      'ts=gte.2024-01-01T00:00:00.5Z',
      [{ expression: 'ts', column: 'ts', op: 'gte', value: '2024-01-01T00:00:00.5Z', negate: false }],
    ],
  ] as Array<[string, ParsedFilter[]]>)('%s', (input, expected) => {
    expect(parseFilter(input)).toEqual(expected);
  });

  it.each([
    ['subject=foo.hey', 'Error parsing `filter` params: ["foo", "hey"]'],
    ['undefined', 'Error parsing `filter` params: ["undefined"]'],
    ['id=eq', 'Error parsing `filter` params: ["eq"]'],
    ['id=in.1,2', 'Error parsing `filter` params: `in` filter value must be wrapped by parentheses'],
    [
      'id=eq.1,,id=eq.2',
      'Error parsing `filter` params: filter must not contain empty segments (check for extra commas)',
    ],
  ])('rejects %s', (input, message) => {
    expect(() => parseFilter(input)).toThrow(PgChangesError);
    expect(() => parseFilter(input)).toThrow(message);
  });
});

describe('evaluateLocally (SQL three-valued logic)', () => {
  const f = (op: ParsedFilter['op'], value: string, negate = false): ParsedFilter => ({
    expression: 'c',
    column: 'c',
    op,
    value,
    negate,
  });
  it.each([
    [f('eq', 'a'), 'a', true],
    [f('eq', 'a'), 'b', false],
    [f('eq', 'a'), null, false],
    [f('neq', 'a'), null, false],
    [f('eq', 'a', true), null, false],
    [f('is', 'null'), null, true],
    [f('is', 'null', true), null, false],
    [f('is', 'true'), 't', true],
    [f('is', 'false'), 't', false],
    [f('is', 'unknown'), null, true],
    [f('isdistinct', 'a'), null, true],
    [f('isdistinct', 'a'), 'a', false],
  ] as Array<[ParsedFilter, string | null, boolean]>)('%j on %j → %s', (filter, value, expected) => {
    expect(evaluateLocally(filter, value, true)).toBe(expected);
  });

  it('in with a NULL element is unknown (no match) when nothing equals', () => {
    expect(evaluateLocally(f('in', '{a,NULL}'), 'b', true, ['a', null])).toBe(false);
    expect(evaluateLocally(f('in', '{a,NULL}', true), 'b', true, ['a', null])).toBe(false);
    expect(evaluateLocally(f('in', '{a,b}', true), 'c', true, ['a', 'b'])).toBe(true);
  });

  it('leaves typed comparisons to Postgres', () => {
    expect(evaluateLocally(f('lt', '10'), '9', false)).toBeUndefined();
    expect(evaluateLocally(f('eq', '1.0'), '1', false)).toBeUndefined();
    expect(evaluateLocally(f('like', 'a%'), 'abc', true)).toBeUndefined();
  });
});
