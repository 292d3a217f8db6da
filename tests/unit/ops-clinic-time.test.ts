import { describe, expect, it } from 'vitest';
import { clinicDayAndWeek } from '@/lib/ops/clinic-time';

describe('clinicDayAndWeek', () => {
  it.each([
    {
      name: 'London, ordinary Wednesday in winter (GMT)',
      now: '2026-01-14T15:30:00Z',
      tz: 'Europe/London',
      day: ['2026-01-14T00:00:00.000Z', '2026-01-15T00:00:00.000Z'],
      week: ['2026-01-12T00:00:00.000Z', '2026-01-19T00:00:00.000Z'],
    },
    {
      name: 'London, Sunday the clocks go back: a 25-hour day, week from Monday BST to Monday GMT',
      now: '2026-10-25T12:00:00Z',
      tz: 'Europe/London',
      day: ['2026-10-24T23:00:00.000Z', '2026-10-26T00:00:00.000Z'],
      week: ['2026-10-18T23:00:00.000Z', '2026-10-26T00:00:00.000Z'],
    },
    {
      name: 'London, Sunday the clocks go forward: a 23-hour day',
      now: '2026-03-29T10:00:00Z',
      tz: 'Europe/London',
      day: ['2026-03-29T00:00:00.000Z', '2026-03-29T23:00:00.000Z'],
      week: ['2026-03-23T00:00:00.000Z', '2026-03-29T23:00:00.000Z'],
    },
    {
      name: 'Monday just after local midnight belongs to the new week',
      now: '2026-01-11T23:30:00Z',
      tz: 'Europe/Berlin',
      day: ['2026-01-11T23:00:00.000Z', '2026-01-12T23:00:00.000Z'],
      week: ['2026-01-11T23:00:00.000Z', '2026-01-18T23:00:00.000Z'],
    },
    {
      name: 'Kolkata (+05:30): UTC still says Sunday, the clinic is already on Monday',
      now: '2026-01-11T20:00:00Z',
      tz: 'Asia/Kolkata',
      day: ['2026-01-11T18:30:00.000Z', '2026-01-12T18:30:00.000Z'],
      week: ['2026-01-11T18:30:00.000Z', '2026-01-18T18:30:00.000Z'],
    },
    {
      name: 'New York, Saturday evening local is Sunday in UTC; week across a month and year end',
      now: '2027-01-03T02:00:00Z',
      tz: 'America/New_York',
      day: ['2027-01-02T05:00:00.000Z', '2027-01-03T05:00:00.000Z'],
      week: ['2026-12-28T05:00:00.000Z', '2027-01-04T05:00:00.000Z'],
    },
  ])('$name', ({ now, tz, day, week }) => {
    const r = clinicDayAndWeek(new Date(now), tz);
    expect([r.day.start.toISOString(), r.day.end.toISOString()]).toEqual(day);
    expect([r.week.start.toISOString(), r.week.end.toISOString()]).toEqual(week);
    expect(r.day.start.getTime()).toBeLessThanOrEqual(new Date(now).getTime());
    expect(r.day.end.getTime()).toBeGreaterThan(new Date(now).getTime());
  });
});
