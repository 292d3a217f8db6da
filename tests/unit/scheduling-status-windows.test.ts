import { describe, expect, it } from 'vitest';
import { APPOINTMENT_STATUSES, type TAppointmentStatus } from '@/lib/domain/appointments';
import {
  DEFAULT_STATUS_WINDOWS,
  isDestructiveStatus,
  isStatusOpen,
  statusOpensAt,
  type TStatusWindows,
} from '@/lib/scheduling/status';

const START = new Date('2026-12-14T10:00:00Z');
const LATE_NO_SHOW: TStatusWindows = { checkInOpensMinutes: 30, noShowAfterMinutes: 15 };

describe('status windows (mirror of private.ensure_status_window)', () => {
  it.each<[TAppointmentStatus, TStatusWindows, string | null]>([
    ['checked_in', DEFAULT_STATUS_WINDOWS, '2026-12-14T09:00:00.000Z'],
    ['in_chair', DEFAULT_STATUS_WINDOWS, '2026-12-14T09:00:00.000Z'],
    ['completed', DEFAULT_STATUS_WINDOWS, '2026-12-14T09:00:00.000Z'],
    ['no_show', DEFAULT_STATUS_WINDOWS, '2026-12-14T10:00:00.000Z'],
    ['checked_in', LATE_NO_SHOW, '2026-12-14T09:30:00.000Z'],
    ['no_show', LATE_NO_SHOW, '2026-12-14T10:15:00.000Z'],
    ['confirmed', DEFAULT_STATUS_WINDOWS, null],
    ['cancelled', DEFAULT_STATUS_WINDOWS, null],
  ])('%s opens at %s with %j', (status, windows, expected) => {
    expect(statusOpensAt(status, START, windows)?.toISOString() ?? null).toBe(expected);
  });

  it.each<[string, TAppointmentStatus, string, boolean]>([
    ['11 days ahead', 'no_show', '2026-12-03T10:00:00Z', false],
    ['11 days ahead', 'checked_in', '2026-12-03T10:00:00Z', false],
    ['one millisecond early', 'checked_in', '2026-12-14T08:59:59.999Z', false],
    ['exactly at the opening', 'checked_in', '2026-12-14T09:00:00Z', true],
    ['just before the start', 'no_show', '2026-12-14T09:59:59Z', false],
    ['at the start', 'no_show', '2026-12-14T10:00:00Z', true],
    ['three days after (no upper bound)', 'no_show', '2026-12-17T10:00:00Z', true],
    ['11 days ahead, no window', 'confirmed', '2026-12-03T10:00:00Z', true],
  ])('%s: %s open = %s', (_case, status, now, open) => {
    expect(isStatusOpen(status, START, new Date(now), DEFAULT_STATUS_WINDOWS)).toBe(open);
  });

  it('only the endings are destructive', () => {
    expect(APPOINTMENT_STATUSES.filter(isDestructiveStatus)).toEqual(['cancelled', 'late_cancel', 'no_show']);
  });
});
