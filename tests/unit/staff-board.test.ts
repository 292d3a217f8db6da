import { describe, expect, it } from 'vitest';
import { decodeActivity, encodeActivity } from '@/components/dentist/presence-activity';
import { addDays, parseDateParam, startOfWeek, statusActions } from '@/components/dentist/staff-format';
import { clinicFigures, serverFigures } from '@/components/admin/stats-panel';
import { UNAVAILABLE_REALTIME_STATS } from '@/lib/ops/metrics';
import {
  cardBox,
  dayRange,
  hourMarks,
  MIN_CARD_HEIGHT_PX,
  nowLineOffset,
  PX_PER_MINUTE,
} from '@/components/admin/timeline';
import { MAX_ACTIVITY_LENGTH } from '@/hooks/use-presence';

const LONDON = 'Europe/London';
const ID = '5b0e8c1e-1111-4222-8333-444455556666';

describe('board timeline geometry in clinic time', () => {
  it.each([
    // GMT day: 10:00Z is 10:00 local → (600 − 420) × 1.6.
    ['2026-03-28', '2026-03-28T10:00:00Z', '2026-03-28T10:30:00Z', 180 * PX_PER_MINUTE, 30 * PX_PER_MINUTE],
    // BST day after the spring change: 09:00Z is 10:00 local.
    ['2026-03-30', '2026-03-30T09:00:00Z', '2026-03-30T09:30:00Z', 180 * PX_PER_MINUTE, 30 * PX_PER_MINUTE],
    // Autumn change day (clocks back at 02:00 BST): 10:00Z is 10:00 GMT.
    ['2026-10-25', '2026-10-25T10:00:00Z', '2026-10-25T10:05:00Z', 180 * PX_PER_MINUTE, MIN_CARD_HEIGHT_PX],
  ])('on %s a visit %s sits at the local hour', (date, startsAt, endsAt, top, height) => {
    const range = dayRange([], date, LONDON);
    expect(cardBox({ starts_at: startsAt, ends_at: endsAt }, date, LONDON, range)).toEqual({ top, height });
  });

  it('widens the default 07:00–20:00 day to whole hours around early and late visits', () => {
    const items = [
      { starts_at: '2026-03-28T06:30:00Z', ends_at: '2026-03-28T07:00:00Z' },
      { starts_at: '2026-03-28T20:15:00Z', ends_at: '2026-03-28T20:45:00Z' },
    ];
    expect(dayRange(items, '2026-03-28', LONDON)).toEqual({ start: 6 * 60, end: 21 * 60 });
    expect(hourMarks({ start: 6 * 60, end: 8 * 60 }).map((m) => m.label)).toEqual(['06:00', '07:00']);
  });

  it.each([
    ['during the day', new Date('2026-03-30T11:00:00Z'), '2026-03-30', (12 * 60 - 7 * 60) * PX_PER_MINUTE],
    ['on another day', new Date('2026-03-30T11:00:00Z'), '2026-03-31', null],
    ['before the shown hours', new Date('2026-03-30T04:00:00Z'), '2026-03-30', null],
  ])('the now-line %s', (_name, now, date, expected) => {
    expect(nowLineOffset(now, date, LONDON, { start: 7 * 60, end: 20 * 60 })).toBe(expected);
  });
});

describe('presence activity with soft-lock tags', () => {
  it.each([
    [{ text: 'Board · Tue 24 Nov', appointmentId: null, mode: null }],
    [{ text: 'Emma Wilson 10:30 · Dr. Lee', appointmentId: ID, mode: 'editing' as const }],
    [{ text: 'Emma Wilson 10:30 · Dr. Lee', appointmentId: ID, mode: 'viewing' as const }],
  ])('round-trips %j', (activity) => {
    expect(decodeActivity(encodeActivity(activity))).toEqual(activity);
  });

  it('keeps the tag when the text is long, within the presence limit', () => {
    const encoded = encodeActivity({ text: 'x'.repeat(500), appointmentId: ID, mode: 'viewing' });
    expect(encoded.length).toBeLessThanOrEqual(MAX_ACTIVITY_LENGTH);
    expect(decodeActivity(encoded).appointmentId).toBe(ID);
  });

  it('treats text that merely looks like a tag elsewhere as plain text', () => {
    expect(decodeActivity(`⟦editing:${ID}⟧ then more`)).toEqual({
      text: `⟦editing:${ID}⟧ then more`,
      appointmentId: null,
      mode: null,
    });
  });
});

describe('staff helpers', () => {
  it.each([
    ['scheduled', ['confirmed', 'checked_in', 'cancelled', 'no_show']],
    ['in_chair', ['completed', 'cancelled', 'no_show']],
    ['completed', []],
  ] as const)('actions from %s', (status, expected) => {
    expect(statusActions(status)).toEqual(expected);
  });

  it.each([
    ['2026-03-28', '2026-03-28'],
    ['2026-02-30', null],
    ['28/03/2026', null],
    [undefined, null],
  ])('date parameter %s', (raw, expected) => {
    expect(parseDateParam(raw)).toBe(expected);
  });

  it('steps calendar days across the DST change and finds Monday', () => {
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30');
    expect(startOfWeek('2026-03-29')).toBe('2026-03-23');
    expect(startOfWeek('2026-03-30')).toBe('2026-03-30');
  });

  it('shows the clinic’s own figures, and nothing server-wide, on a clinic report', () => {
    const figures = clinicFigures({
      generatedAt: '2030-01-16T12:00:00.000Z',
      scope: 'clinic',
      clinic: { id: ID, timezone: LONDON },
      scheduling: {
        activeHolds: 2,
        bookingsToday: 3,
        bookingsThisWeek: 1_234,
        dayStartsAt: '2030-01-16T00:00:00.000Z',
        weekStartsAt: '2030-01-14T00:00:00.000Z',
      },
    });
    expect(figures).toEqual([
      { label: 'Booked today', value: '3' },
      { label: 'Booked this week', value: '1,234' },
      { label: 'Slots on hold now', value: '2' },
    ]);
  });

  it('shows server counters with dashes where the platform has none', () => {
    const figures = serverFigures({
      generatedAt: '2030-01-16T12:00:00.000Z',
      scope: 'server',
      realtime: UNAVAILABLE_REALTIME_STATS,
    });
    expect(figures.map((f) => f.label)).toContain('Connections');
    expect(new Set(figures.map((f) => f.value))).toEqual(new Set(['—']));
  });
});
