import { describe, expect, it } from 'vitest';
import {
  affectedLabel,
  appointmentsAffectedByOverride,
  appointmentsAffectedByTimeOff,
  appointmentsAffectedByWeeklyChange,
  draftFromRules,
  subtractSpans,
  toMinutes,
  validateDayWindows,
  weeklyWrites,
  type TBookedAppointment,
  type TRuleRow,
  type TWindowDraft,
} from '@/components/dentist/availability-model';

const LONDON = 'Europe/London';
const NOW = Date.parse('2026-03-20T12:00:00Z');

function windows(...spans: [string, string][]): TWindowDraft[] {
  return spans.map(([start, end], i) => ({ key: `k${i}`, start, end }));
}

function appointment(
  id: string,
  startsAt: string,
  endsAt: string,
  extra: Partial<TBookedAppointment> = {},
): TBookedAppointment {
  return {
    id,
    patient_id: `patient-${id}`,
    starts_at: startsAt,
    ends_at: endsAt,
    status: 'scheduled',
    ...extra,
  };
}

describe('window validation', () => {
  it.each<[string, [string, string][], (string | null)[]]>([
    ['one valid window', [['09:00', '17:00']], [null]],
    [
      'a lunch break',
      [
        ['09:00', '12:30'],
        ['13:30', '17:00'],
      ],
      [null, null],
    ],
    [
      'touching windows do not overlap',
      [
        ['09:00', '12:00'],
        ['12:00', '17:00'],
      ],
      [null, null],
    ],
    ['end before start', [['17:00', '09:00']], ['end_before_start']],
    ['end equal to start', [['09:00', '09:00']], ['end_before_start']],
    [
      'overlap marks both windows',
      [
        ['09:00', '13:00'],
        ['12:00', '17:00'],
      ],
      ['overlap', 'overlap'],
    ],
    [
      'a window inside another',
      [
        ['08:00', '18:00'],
        ['10:00', '11:00'],
        ['19:00', '20:00'],
      ],
      ['overlap', 'overlap', null],
    ],
    ['an empty time', [['', '17:00']], ['invalid_time']],
    ['24:00 is a valid end', [['18:00', '24:00']], [null]],
  ])('%s', (_name, spans, expected) => {
    expect(validateDayWindows(windows(...spans))).toEqual(expected);
  });

  it.each([
    ['09:30', 570],
    ['09:30:00', 570],
    ['24:00', 1440],
    ['24:30', null],
    ['9:30', null],
    ['12:60', null],
  ])('%s is %s minutes', (time, minutes) => {
    expect(toMinutes(time)).toBe(minutes);
  });
});

describe('span subtraction', () => {
  it.each([
    ['nothing removed', [{ start: 540, end: 1020 }], [{ start: 540, end: 1020 }], []],
    [
      'afternoon removed',
      [{ start: 540, end: 1020 }],
      [{ start: 540, end: 720 }],
      [{ start: 720, end: 1020 }],
    ],
    [
      'middle removed',
      [{ start: 540, end: 1020 }],
      [
        { start: 540, end: 600 },
        { start: 900, end: 1020 },
      ],
      [{ start: 600, end: 900 }],
    ],
    [
      'everything removed',
      [
        { start: 540, end: 720 },
        { start: 780, end: 1020 },
      ],
      [],
      [
        { start: 540, end: 720 },
        { start: 780, end: 1020 },
      ],
    ],
  ])('%s', (_name, before, after, expected) => {
    expect(subtractSpans(before, after)).toEqual(expected);
  });
});

const SAVED: TRuleRow[] = [
  { id: 'mon-am', weekday: 1, start_time: '09:00:00', end_time: '12:30:00' },
  { id: 'mon-pm', weekday: 1, start_time: '13:30:00', end_time: '17:00:00' },
  { id: 'tue', weekday: 2, start_time: '09:00:00', end_time: '17:00:00' },
];

describe('weekly writes', () => {
  it('an untouched plan needs no writes', () => {
    expect(weeklyWrites(SAVED, draftFromRules(SAVED))).toEqual({ deleteIds: [], inserts: [] });
  });

  it('a removed window is deleted, a changed one deleted and re-inserted, a new one inserted', () => {
    const draft = draftFromRules(SAVED);
    draft[1] = draft[1].filter((w) => w.id !== 'mon-pm');
    draft[2] = draft[2].map((w) => ({ ...w, end: '15:00' }));
    draft[3] = windows(['10:00', '14:00']);
    const writes = weeklyWrites(SAVED, draft);
    expect(writes.deleteIds.sort()).toEqual(['mon-pm', 'tue']);
    expect(writes.inserts).toEqual([
      { weekday: 2, start_time: '09:00', end_time: '15:00' },
      { weekday: 3, start_time: '10:00', end_time: '14:00' },
    ]);
  });
});

describe('who a change affects', () => {
  // Monday 2026-03-23 (GMT) and Monday 2026-03-30 (BST, after the 2026-03-29 change).
  const booked = [
    appointment('mon-morning', '2026-03-23T09:30:00Z', '2026-03-23T10:00:00Z'),
    appointment('mon-afternoon', '2026-03-23T14:00:00Z', '2026-03-23T14:30:00Z'),
    // 15:00–15:30 BST on the next Monday is 14:00Z: local minutes decide, not UTC.
    appointment('mon-afternoon-bst', '2026-03-30T14:00:00Z', '2026-03-30T14:30:00Z', {
      patient_id: 'patient-mon-afternoon',
    }),
    appointment('mon-afternoon-cancelled', '2026-03-23T15:00:00Z', '2026-03-23T15:30:00Z', {
      status: 'cancelled',
    }),
    appointment('past-monday', '2026-03-16T14:00:00Z', '2026-03-16T14:30:00Z'),
    appointment('tuesday', '2026-03-24T14:00:00Z', '2026-03-24T14:30:00Z'),
  ];

  it('removing Monday afternoons counts the upcoming active Monday-afternoon visits in local time', () => {
    const draft = draftFromRules(SAVED);
    draft[1] = draft[1].filter((w) => w.id !== 'mon-pm');
    const affected = appointmentsAffectedByWeeklyChange({
      appointments: booked,
      saved: SAVED,
      draft,
      overrideDates: new Set(),
      timeZone: LONDON,
      now: NOW,
    });
    expect(affected.map((a) => a.id)).toEqual(['mon-afternoon', 'mon-afternoon-bst']);
    expect(affectedLabel(affected)).toBe('1 patient (2 appointments)');
  });

  it('dates with an override keep their own hours', () => {
    const draft = draftFromRules(SAVED);
    draft[1] = [];
    const affected = appointmentsAffectedByWeeklyChange({
      appointments: booked,
      saved: SAVED,
      draft,
      overrideDates: new Set(['2026-03-23']),
      timeZone: LONDON,
      now: NOW,
    });
    expect(affected.map((a) => a.id)).toEqual(['mon-afternoon-bst']);
  });

  it('shortening a window by an hour that has no bookings affects nobody', () => {
    const draft = draftFromRules(SAVED);
    draft[1] = draft[1].map((w) => (w.id === 'mon-pm' ? { ...w, end: '16:00' } : w));
    expect(
      appointmentsAffectedByWeeklyChange({
        appointments: booked,
        saved: SAVED,
        draft,
        overrideDates: new Set(),
        timeZone: LONDON,
        now: NOW,
      }),
    ).toEqual([]);
  });

  it.each<[string, [string, string][], string[]]>([
    ['a day off', [], ['mon-morning', 'mon-afternoon']],
    ['morning only', [['09:00', '12:00']], ['mon-afternoon']],
    ['hours that still hold both', [['09:00', '17:00']], []],
    ['a visit that would no longer fit whole', [['09:45', '17:00']], ['mon-morning']],
  ])('override with %s', (_name, spans, expected) => {
    const affected = appointmentsAffectedByOverride({
      appointments: booked,
      date: '2026-03-23',
      windows: windows(...spans),
      timeZone: LONDON,
      now: NOW,
    });
    expect(affected.map((a) => a.id)).toEqual(expected);
  });

  it.each<[string, string, string, string[]]>([
    ['Monday afternoon', '2026-03-23T12:00', '2026-03-23T18:00', ['mon-afternoon']],
    ['the BST Monday afternoon in local time', '2026-03-30T15:00', '2026-03-30T15:30', ['mon-afternoon-bst']],
    ['ending when a visit starts', '2026-03-23T12:00', '2026-03-23T14:00', []],
    ['a whole week', '2026-03-23T00:00', '2026-03-30T00:00', ['mon-morning', 'mon-afternoon', 'tuesday']],
  ])('time off over %s', (_name, startsLocal, endsLocal, expected) => {
    const affected = appointmentsAffectedByTimeOff({
      appointments: booked,
      startsLocal,
      endsLocal,
      timeZone: LONDON,
      now: NOW,
    });
    expect(affected.map((a) => a.id)).toEqual(expected);
  });
});
