import { describe, expect, it } from 'vitest';
import { APPOINTMENT_STATUSES, type TAppointmentStatus } from '@/lib/domain/appointments';
import { canTransition, isBlockingStatus, isLateCancellation, nextStatuses } from '@/lib/scheduling/status';

describe('appointment workflow', () => {
  it.each<[TAppointmentStatus, TAppointmentStatus[]]>([
    ['scheduled', ['confirmed', 'checked_in', 'cancelled', 'late_cancel', 'no_show']],
    ['confirmed', ['checked_in', 'cancelled', 'late_cancel', 'no_show']],
    ['checked_in', ['in_chair', 'cancelled', 'late_cancel', 'no_show']],
    ['in_chair', ['completed', 'cancelled', 'late_cancel', 'no_show']],
    ['completed', []],
    ['cancelled', []],
    ['late_cancel', []],
    ['no_show', []],
  ])('from %s the next statuses are %j', (from, expected) => {
    expect(nextStatuses(from).sort()).toEqual([...expected].sort());
    for (const to of APPOINTMENT_STATUSES) expect(canTransition(from, to)).toBe(expected.includes(to));
  });

  it.each<[TAppointmentStatus, boolean]>([
    ['scheduled', true],
    ['in_chair', true],
    ['completed', true],
    ['cancelled', false],
    ['late_cancel', false],
    ['no_show', false],
  ])('%s blocks the dentist: %s', (status, blocking) => {
    expect(isBlockingStatus(status)).toBe(blocking);
  });
});

describe('isLateCancellation', () => {
  const start = new Date('2026-03-30T09:00:00Z');
  it.each([
    ['2026-03-29T08:59:59Z', 24, false],
    ['2026-03-29T09:00:00Z', 24, false],
    ['2026-03-29T09:00:01Z', 24, true],
    ['2026-03-30T08:00:00Z', 0, false],
    ['2026-03-30T09:00:01Z', 0, true],
  ])('cancelling at %s with a %ih cutoff → late %s', (now, cutoff, late) => {
    expect(isLateCancellation(start, new Date(now), cutoff)).toBe(late);
  });
});
