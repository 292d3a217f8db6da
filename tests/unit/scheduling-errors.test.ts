import { describe, expect, it } from 'vitest';
import { DOMAIN_ERROR_CODES, SCHEDULING_ERROR_MESSAGES, toSchedulingError } from '@/lib/domain/errors';

describe('toSchedulingError', () => {
  it.each(DOMAIN_ERROR_CODES)('maps P0001 %s with its detail', (code) => {
    const error = { code: 'P0001', message: code, details: 'Specific sentence.', hint: null };
    expect(toSchedulingError(error)).toEqual({ code, message: 'Specific sentence.' });
  });

  it('falls back to the generic message when the database sent no detail', () => {
    expect(toSchedulingError({ code: 'P0001', message: 'slot_taken', details: null })).toEqual({
      code: 'slot_taken',
      message: SCHEDULING_ERROR_MESSAGES.slot_taken,
    });
  });

  it.each([
    [{ code: '42501', message: 'permission denied for function book_appointment' }, 'sign_in_required'],
    [{ code: 'P0001', message: 'something_new' }, 'unexpected'],
    [{ code: '23505', message: 'duplicate key' }, 'unexpected'],
    [new TypeError('fetch failed'), 'unexpected'],
    ['boom', 'unexpected'],
    [null, 'unexpected'],
  ])('maps %j to %s', (error, code) => {
    expect(toSchedulingError(error).code).toBe(code);
  });

  it('has a message for every code', () => {
    for (const code of DOMAIN_ERROR_CODES) expect(SCHEDULING_ERROR_MESSAGES[code].length).toBeGreaterThan(10);
  });
});
