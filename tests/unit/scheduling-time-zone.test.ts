import { describe, expect, it } from 'vitest';
import {
  instantToLocal,
  isValidTimeZone,
  localDayBounds,
  localToInstant,
  offsetMinutes,
} from '@/lib/scheduling/time-zone';

// Expected instants were taken from Postgres: select ('<date> <time>'::timestamp at time zone '<tz>').
describe('localToInstant matches Postgres (date + time) at time zone tz', () => {
  it.each([
    // ordinary days either side of the London spring change
    ['2026-03-28', '09:00', 'Europe/London', '2026-03-28T09:00:00.000Z'],
    ['2026-03-29', '09:00', 'Europe/London', '2026-03-29T08:00:00.000Z'],
    // spring gap: 01:30 does not exist → offset before the jump
    ['2026-03-29', '01:30', 'Europe/London', '2026-03-29T01:30:00.000Z'],
    ['2026-03-08', '02:30', 'America/New_York', '2026-03-08T07:30:00.000Z'],
    ['2026-10-04', '02:30', 'Australia/Sydney', '2026-10-03T16:30:00.000Z'],
    // autumn overlap: 01:30 happens twice → the later instant (offset after the change)
    ['2026-10-25', '01:30', 'Europe/London', '2026-10-25T01:30:00.000Z'],
    ['2026-11-01', '01:30', 'America/New_York', '2026-11-01T06:30:00.000Z'],
    ['2026-04-05', '02:30', 'Australia/Sydney', '2026-04-04T16:30:00.000Z'],
    // half-hour and no-DST zones
    ['2026-07-01', '09:00', 'Asia/Kolkata', '2026-07-01T03:30:00.000Z'],
    ['2026-07-01', '09:00', 'Australia/Adelaide', '2026-06-30T23:30:00.000Z'],
    ['2026-01-15', '24:00', 'UTC', '2026-01-16T00:00:00.000Z'],
  ])('%s %s in %s → %s', (date, time, tz, expected) => {
    expect(localToInstant(date, time, tz).toISOString()).toBe(expected);
  });

  it.each([
    ['2026-3-1', '09:00'],
    ['2026-03-01', '9am'],
  ])('rejects malformed input %s %s', (date, time) => {
    expect(() => localToInstant(date, time, 'UTC')).toThrow(RangeError);
  });
});

describe('instantToLocal', () => {
  it.each([
    ['2026-03-29T08:00:00Z', 'Europe/London', { date: '2026-03-29', time: '09:00', weekday: 0 }],
    ['2026-03-28T23:30:00Z', 'America/New_York', { date: '2026-03-28', time: '19:30', weekday: 6 }],
    ['2026-06-30T23:30:00Z', 'Australia/Adelaide', { date: '2026-07-01', time: '09:00', weekday: 3 }],
  ])('%s in %s', (iso, tz, expected) => {
    expect(instantToLocal(new Date(iso), tz)).toEqual(expected);
  });
});

describe('localDayBounds', () => {
  it.each([
    ['2026-03-29', 'Europe/London', 23],
    ['2026-10-25', 'Europe/London', 25],
    ['2026-06-01', 'Europe/London', 24],
    ['2026-03-08', 'America/New_York', 23],
  ])('%s in %s lasts %i hours', (date, tz, hours) => {
    const { start, end } = localDayBounds(date, tz);
    expect((end.getTime() - start.getTime()) / 3_600_000).toBe(hours);
  });
});

describe('offsetMinutes and isValidTimeZone', () => {
  it.each([
    ['2026-01-15T12:00:00Z', 'Europe/London', 0],
    ['2026-07-15T12:00:00Z', 'Europe/London', 60],
    ['2026-07-15T12:00:00Z', 'America/New_York', -240],
    ['2026-07-15T12:00:00Z', 'Asia/Kathmandu', 345],
  ])('%s in %s is %i', (iso, tz, minutes) => {
    expect(offsetMinutes(new Date(iso), tz)).toBe(minutes);
  });

  it.each([
    ['Europe/London', true],
    ['Mars/Olympus_Mons', false],
  ])('%s valid = %s', (tz, valid) => {
    expect(isValidTimeZone(tz)).toBe(valid);
  });
});
