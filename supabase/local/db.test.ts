import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './db';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['admin shutdown (fast shutdown ended the session)', pgError('57P01')],
    ['crash shutdown', pgError('57P02')],
    ['cannot connect now (starting up / shutting down)', pgError('57P03')],
    ['connection failure', pgError('08006')],
    ['connection refused', pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['connection reset', pgError('ECONNRESET')],
    ['a dead session', new Error('Connection terminated unexpectedly')],
    [
      'a session that already failed',
      new Error('Client has encountered a connection error and is not queryable'),
    ],
    ['every address refused', new AggregateError([pgError('ECONNREFUSED'), pgError('ECONNREFUSED')])],
  ])('recognises %s', (_what, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it.each([
    ['a unique violation', pgError('23505')],
    ['an RLS violation', pgError('42501')],
    ['a raised exception', pgError('P0001')],
    ['a statement timeout', pgError('57014')],
    ['a plain error', new Error('boom')],
    ['a string', 'Connection terminated'],
    ['nothing', null],
  ])('does not mistake %s for an outage', (_what, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });
});
