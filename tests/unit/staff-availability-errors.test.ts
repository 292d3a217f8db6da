/**
 * The availability editors show the message of what went wrong: save_weekly_hours's domain codes
 * and the tables' constraint SQLSTATEs map to the editor's codes, and an error the writes already
 * mapped keeps its code when the editor maps it again (it used to become "unexpected").
 */
import { describe, expect, it } from 'vitest';
import {
  AVAILABILITY_WRITE_MESSAGES,
  AvailabilityWriteError,
  fromDataError,
  toAvailabilityWriteError,
} from '@/components/dentist/availability-data';
import { toDataError } from '@/lib/data/result';

describe('availability write errors', () => {
  it.each([
    ['overlapping_hours', 'overlap'],
    ['invalid_input', 'invalid_input'],
    ['not_allowed', 'not_allowed'],
  ] as const)('the RPC code %s maps to %s', (raised, expected) => {
    const error = fromDataError(toDataError({ code: 'P0001', message: raised, details: 'A sentence.' }, 400));
    expect(error.code).toBe(expected);
    expect(error.message).toBe(AVAILABILITY_WRITE_MESSAGES[expected]);
  });

  it.each([
    ['23P01', 'overlap'],
    ['23514', 'invalid_input'],
    ['42501', 'not_allowed'],
    ['XX000', 'unexpected'],
  ] as const)('the SQLSTATE %s maps to %s', (sqlstate, expected) => {
    expect(fromDataError(toDataError({ code: sqlstate, message: 'raw' }, 400)).code).toBe(expected);
  });

  it.each(['overlap', 'not_allowed', 'invalid_input'] as const)(
    'an already mapped %s error keeps its code when mapped again',
    (code) => {
      expect(toAvailabilityWriteError(new AvailabilityWriteError(code)).code).toBe(code);
    },
  );
});
