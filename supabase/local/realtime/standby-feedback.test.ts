import { describe, expect, it } from 'vitest';
import { compareLsn, formatLsn, libraryAckArgument, parseLsn } from './standby-feedback';

describe('LSN arithmetic for exact standby feedback', () => {
  it('parses and formats the X/Y hex form', () => {
    expect(parseLsn('16/B374D848')).toEqual([0x16, 0xb374d848]);
    expect(parseLsn('0/0')).toEqual([0, 0]);
    expect(parseLsn('nope')).toBeNull();
    expect(parseLsn('1/2/3')).toBeNull();
    expect(formatLsn(0x16, 0xb374d848)).toBe('16/B374D848');
  });

  it('orders positions by both halves', () => {
    expect(compareLsn('0/10', '0/F')).toBeGreaterThan(0);
    expect(compareLsn('1/0', '0/FFFFFFFF')).toBeGreaterThan(0);
    expect(compareLsn('A/1', 'A/1')).toBe(0);
  });

  // The library reports the position it is given plus one byte; the walsender needs the exact one.
  it('hands the library one byte less, borrowing across the halves', () => {
    expect(libraryAckArgument('0/10')).toBe('0/F');
    expect(libraryAckArgument('1/0')).toBe('0/FFFFFFFF');
    expect(libraryAckArgument('16/B374D848')).toBe('16/B374D847');
    expect(libraryAckArgument('0/0')).toBeNull();
    expect(libraryAckArgument('garbage')).toBeNull();
  });
});
