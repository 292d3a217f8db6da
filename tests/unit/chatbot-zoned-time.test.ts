import { describe, expect, it } from 'vitest';
import { offsetMinutesAt, toZonedParts, zonedWallTimeToUtc } from '@/lib/chatbot';
import { addDays, startOfLocalDayUtc, startOfWeek, weekdayOf } from '@/lib/chatbot/zoned-time';

describe('zonedWallTimeToUtc', () => {
  it.each([
    // [zone, local date, local time, UTC instant, why]
    ['Europe/London', '2026-03-27', '09:00', '2026-03-27T09:00:00.000Z', 'GMT: wall = UTC'],
    ['Europe/London', '2026-03-30', '09:00', '2026-03-30T08:00:00.000Z', 'BST: 09:00 − 1 h'],
    ['Europe/London', '2026-03-29', '00:30', '2026-03-29T00:30:00.000Z', 'before the 01:00 UTC switch'],
    [
      'Europe/London',
      '2026-03-29',
      '01:30',
      '2026-03-29T01:30:00.000Z',
      'in the gap: shifted forward to 02:30 BST',
    ],
    ['Europe/London', '2026-03-29', '02:00', '2026-03-29T01:00:00.000Z', 'first wall time after the gap'],
    [
      'Europe/London',
      '2026-10-25',
      '01:30',
      '2026-10-25T00:30:00.000Z',
      'repeated hour: the earlier (BST) one',
    ],
    ['Europe/London', '2026-10-25', '02:00', '2026-10-25T02:00:00.000Z', 'after the repeat: GMT'],
    [
      'America/New_York',
      '2026-03-06',
      '21:30',
      '2026-03-07T02:30:00.000Z',
      'EST evening is the next UTC day',
    ],
    ['America/New_York', '2026-03-08', '02:30', '2026-03-08T07:30:00.000Z', 'in the gap: 03:30 EDT'],
    ['America/New_York', '2026-03-09', '09:00', '2026-03-09T13:00:00.000Z', 'EDT: 09:00 + 4 h'],
    [
      'America/New_York',
      '2026-11-01',
      '01:30',
      '2026-11-01T05:30:00.000Z',
      'repeated hour: the earlier (EDT) one',
    ],
    [
      'Pacific/Auckland',
      '2026-04-05',
      '02:30',
      '2026-04-04T13:30:00.000Z',
      'repeated hour: NZDT (+13) first',
    ],
    ['Pacific/Auckland', '2026-04-06', '09:00', '2026-04-05T21:00:00.000Z', 'NZST (+12)'],
    ['Asia/Kolkata', '2026-03-27', '09:00', '2026-03-27T03:30:00.000Z', 'half-hour offset, no DST'],
    [
      'Australia/Lord_Howe',
      '2026-04-05',
      '01:45',
      '2026-04-04T14:45:00.000Z',
      'half-hour DST: +11 before +10:30',
    ],
    ['UTC', '2026-03-29', '01:30', '2026-03-29T01:30:00.000Z', 'UTC has no gaps'],
  ])('%s %s %s → %s (%s)', (zone, date, time, expected) => {
    expect(zonedWallTimeToUtc(date, time, zone).toISOString()).toBe(expected);
  });

  it.each(['Europe/London', 'America/New_York', 'Pacific/Auckland', 'Australia/Lord_Howe', 'Asia/Kolkata'])(
    'round-trips every existing quarter hour of a DST week in %s',
    (zone) => {
      const firstDay =
        zone === 'Europe/London' ? '2026-03-26' : zone === 'America/New_York' ? '2026-03-05' : '2026-04-02';
      for (let day = 0; day < 7; day += 1) {
        const date = addDays(firstDay, day);
        for (let minutes = 0; minutes < 24 * 60; minutes += 15) {
          const time = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
          const instant = zonedWallTimeToUtc(date, time, zone);
          const back = toZonedParts(instant, zone);
          const isGap = back.date !== date || back.time !== time;
          // Only wall times inside a spring-forward gap may come back different, and then exactly later.
          if (isGap) expect(back.date === date && back.time > time).toBe(true);
        }
      }
    },
  );
});

describe('toZonedParts', () => {
  it.each([
    [
      '2026-03-07T02:30:00Z',
      'America/New_York',
      { date: '2026-03-06', time: '21:30', minutes: 1290, weekday: 5 },
    ],
    [
      '2026-03-07T02:30:00Z',
      'Pacific/Auckland',
      { date: '2026-03-07', time: '15:30', minutes: 930, weekday: 6 },
    ],
    ['2026-03-29T00:59:00Z', 'Europe/London', { date: '2026-03-29', time: '00:59', minutes: 59, weekday: 0 }],
    [
      '2026-03-29T01:00:00Z',
      'Europe/London',
      { date: '2026-03-29', time: '02:00', minutes: 120, weekday: 0 },
    ],
    ['2026-03-29T23:30:00Z', 'Europe/London', { date: '2026-03-30', time: '00:30', minutes: 30, weekday: 1 }],
    ['2026-03-26T22:00:00Z', 'Asia/Kolkata', { date: '2026-03-27', time: '03:30', minutes: 210, weekday: 5 }],
  ])('%s in %s', (instant, zone, expected) => {
    expect(toZonedParts(new Date(instant), zone)).toEqual(expected);
  });

  it.each([
    ['2026-03-28T12:00:00Z', 'Europe/London', 0],
    ['2026-03-30T12:00:00Z', 'Europe/London', 60],
    ['2026-03-07T12:00:00Z', 'America/New_York', -300],
    ['2026-03-09T12:00:00Z', 'America/New_York', -240],
    ['2026-04-05T12:00:00Z', 'Australia/Lord_Howe', 630],
  ])('offset at %s in %s is %i min', (instant, zone, expected) => {
    expect(offsetMinutesAt(new Date(instant), zone)).toBe(expected);
  });
});

describe('calendar arithmetic', () => {
  it('the DST Sunday in London is 23 hours long', () => {
    const start = startOfLocalDayUtc('2026-03-29', 'Europe/London').getTime();
    const end = startOfLocalDayUtc('2026-03-30', 'Europe/London').getTime();
    expect((end - start) / 3_600_000).toBe(23);
  });

  it.each([
    ['2026-03-26', '2026-03-23', 4],
    ['2026-03-29', '2026-03-23', 0],
    ['2026-03-30', '2026-03-30', 1],
    ['2026-01-01', '2025-12-29', 4],
  ])('week of %s starts %s (weekday %i)', (date, monday, weekday) => {
    expect(startOfWeek(date)).toBe(monday);
    expect(weekdayOf(date)).toBe(weekday);
  });

  it('adds days over month and year ends', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});
