import { describe, expect, it } from 'vitest';
import { computeBindingId } from './binding-id';
import { formatCommitTimestamp, parsePgArray, textToJson, type ValueType } from './values';

describe('textToJson (to_jsonb semantics)', () => {
  it.each([
    ['42', { kind: 'number' }, 42],
    ['12.50', { kind: 'number' }, 12.5],
    ['NaN', { kind: 'number' }, 'NaN'],
    ['Infinity', { kind: 'number' }, 'Infinity'],
    ['t', { kind: 'bool' }, true],
    ['f', { kind: 'bool' }, false],
    ['{"a":[1,null]}', { kind: 'json' }, { a: [1, null] }],
    ['2024-05-01 09:30:00.25+00', { kind: 'timestamptz' }, '2024-05-01T09:30:00.25+00:00'],
    ['2024-05-01 09:30:00+05:30', { kind: 'timestamptz' }, '2024-05-01T09:30:00+05:30'],
    ['2024-05-01 09:30:00', { kind: 'timestamp' }, '2024-05-01T09:30:00'],
    ['infinity', { kind: 'timestamptz' }, 'infinity'],
    ['10:00:00-03', { kind: 'timetz' }, '10:00:00-03:00'],
    ['2024-05-01', { kind: 'string' }, '2024-05-01'],
    ['{1,2,NULL}', { kind: 'string', element: 'number' }, [1, 2, null]],
    [
      '{{1,2},{3,4}}',
      { kind: 'string', element: 'number' },
      [
        [1, 2],
        [3, 4],
      ],
    ],
    ['{a,"b c","d,\\"e"}', { kind: 'string', element: 'string' }, ['a', 'b c', 'd,"e']],
    ['{"{\\"k\\": 1}"}', { kind: 'string', element: 'json' }, [{ k: 1 }]],
    ['{}', { kind: 'string', element: 'string' }, []],
  ] as Array<[string, ValueType, unknown]>)('%s as %j', (text, type, expected) => {
    expect(textToJson(text, type)).toEqual(expected);
  });

  it('keeps NULL as null', () => {
    expect(textToJson(null, { kind: 'number' })).toBeNull();
  });

  it('parses explicit bounds and rejects garbage', () => {
    expect(parsePgArray('[0:1]={a,b}')).toEqual(['a', 'b']);
    expect(() => parsePgArray('not an array')).toThrow();
  });
});

describe('formatCommitTimestamp', () => {
  it('truncates microseconds to milliseconds in UTC', () => {
    // 2024-05-01T09:30:00.123999Z in microseconds since the Unix epoch.
    expect(formatCommitTimestamp(1714555800123999n)).toBe('2024-05-01T09:30:00.123Z');
  });
});

describe('computeBindingId', () => {
  it('is stable, independent of key order, and distinguishes filters', () => {
    const a = computeBindingId({ event: 'INSERT', schema: 'public', table: 't', filter: 'id=eq.1' });
    expect(computeBindingId({ filter: 'id=eq.1', table: 't', schema: 'public', event: 'INSERT' })).toBe(a);
    expect(computeBindingId({ event: 'INSERT', schema: 'public', table: 't', filter: 'id=eq.2' })).not.toBe(
      a,
    );
    expect(a).toBeGreaterThanOrEqual(0);
    expect(a).toBeLessThan(2 ** 27);
  });
});
