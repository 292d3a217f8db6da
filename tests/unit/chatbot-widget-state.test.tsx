import { describe, expect, it } from 'vitest';
import { parseChatbotRequest, type TFreeSlot } from '@/lib/chatbot';
import {
  chatReducer,
  checkResults,
  initialChatState,
  mergeWithMemory,
  planRecheck,
  slotKey,
  slotsAffectedBy,
  type TChatAction,
  type TChatState,
  type TShownSlot,
} from '@/components/chatbot/chat-state';
import type { TWidgetContext } from '@/components/chatbot/clinic-context';
import { describeSearch, planTurn } from '@/components/chatbot/conversation';
import { formatCountdown } from '@/components/chatbot/hold-card';
import { toOpeningHours } from '@/components/chatbot/opening-hours';
import { clampRange } from '@/components/chatbot/slot-search';

/** Monday 23 March 2026, 09:00 GMT (London is on GMT until Sunday 29 March). */
const MONDAY = new Date('2026-03-23T09:00:00Z');

const CONTEXT: TWidgetContext = {
  clinicId: 'clinic',
  clinicName: 'Bright Smile Dental',
  timeZone: 'Europe/London',
  minNoticeMinutes: 120,
  holdMinutes: 5,
  services: [
    { id: 's-check', name: 'Check-up', durationMinutes: 30 },
    { id: 's-clean', name: 'Cleaning', durationMinutes: 45 },
  ],
  dentists: [
    { id: 'd-lee', name: 'Dr. Jordan Lee' },
    { id: 'd-okafor', name: 'Dr. Chidi Okafor' },
  ],
  openingHours: {
    1: [{ start: '09:00', end: '17:00' }],
    2: [{ start: '09:00', end: '17:00' }],
    3: [{ start: '09:00', end: '17:00' }],
    4: [{ start: '09:00', end: '17:00' }],
    5: [{ start: '09:00', end: '17:00' }],
  },
  viewer: { kind: 'anonymous' },
};

function parse(text: string) {
  return parseChatbotRequest(text, {
    now: MONDAY,
    timeZone: CONTEXT.timeZone,
    openingHours: CONTEXT.openingHours,
    services: CONTEXT.services,
    dentists: CONTEXT.dentists,
  });
}

function free(start: string, dentist = 'd-lee', minutes = 30): TFreeSlot {
  const end = new Date(Date.parse(start) + minutes * 60_000).toISOString();
  return {
    start,
    end,
    dentist_id: dentist,
    dentist_name: dentist === 'd-lee' ? 'Dr. Jordan Lee' : 'Dr. Chidi Okafor',
  };
}

function shown(
  start: string,
  dentist = 'd-lee',
  serviceId = 's-check',
  status: TShownSlot['status'] = 'available',
): TShownSlot {
  const slot = free(start, dentist);
  return {
    ...slot,
    label: start,
    serviceId,
    serviceName: 'Check-up',
    key: slotKey(serviceId, dentist, start),
    status,
  };
}

function run(actions: TChatAction[], from: TChatState = initialChatState): TChatState {
  return actions.reduce(chatReducer, from);
}

const offer = (starts: string[], dentist = 'd-lee'): TChatAction => ({
  type: 'slots_offered',
  text: 'Here are the openings:',
  slots: starts.map((start) => ({
    ...free(start, dentist),
    label: start,
    serviceId: 's-check',
    serviceName: 'Check-up',
  })),
  memory: parse('a check-up tomorrow'),
});

describe('chatReducer: transcript and offered slots', () => {
  it('numbers messages, shows thinking until the reply, and keeps one status per slot across offers', () => {
    const state = run([{ type: 'user_said', text: 'a check-up tomorrow' }]);
    expect(state.isThinking).toBe(true);
    const after = run(
      [
        offer(['2026-03-24T10:00:00+00:00', '2026-03-24T10:15:00+00:00']),
        offer(['2026-03-24T10:00:00.000Z']),
      ],
      state,
    );
    expect(after.isThinking).toBe(false);
    expect(after.messages.map((m) => m.id)).toEqual(['m1', 'm2', 'm3']);
    // "+00:00" from PostgREST and "Z" from the browser are the same instant: one slot, listed twice.
    expect(Object.keys(after.slots)).toHaveLength(2);
    expect(after.messages[2]).toMatchObject({
      kind: 'slots',
      slotKeys: [slotKey('s-check', 'd-lee', '2026-03-24T10:00:00Z')],
    });
  });

  it('marks re-checked slots in place without removing any message or slot', () => {
    const offered = run([offer(['2026-03-24T10:00:00Z', '2026-03-24T11:00:00Z'])]);
    const [first, second] = Object.keys(offered.slots);
    const checked = chatReducer(offered, {
      type: 'slots_rechecked',
      checks: [
        { key: first, status: 'taken' },
        { key: second, status: 'available' },
      ],
    });
    expect(checked.slots[first].status).toBe('taken');
    expect(checked.slots[second].status).toBe('available');
    expect(checked.messages).toEqual(offered.messages);
    // A released hold brings a slot back.
    expect(
      chatReducer(checked, { type: 'slots_rechecked', checks: [{ key: first, status: 'available' }] }).slots[
        first
      ].status,
    ).toBe('available');
  });

  it('returns the same state when a re-check changes nothing (no re-render)', () => {
    const offered = run([offer(['2026-03-24T10:00:00Z'])]);
    const key = Object.keys(offered.slots)[0];
    expect(chatReducer(offered, { type: 'slots_rechecked', checks: [{ key, status: 'available' }] })).toBe(
      offered,
    );
  });

  it("never marks the patient's own held slot as taken (the engine hides it from others only)", () => {
    const key = slotKey('s-check', 'd-lee', '2026-03-24T10:00:00Z');
    const held = run([
      offer(['2026-03-24T10:00:00Z']),
      { type: 'hold_requested', slotKey: key },
      {
        type: 'hold_granted',
        slotKey: key,
        holdId: 'h1',
        expiresAt: '2026-03-23T09:05:00Z',
        idempotencyKey: 'k',
      },
    ]);
    expect(
      chatReducer(held, { type: 'slots_rechecked', checks: [{ key, status: 'taken' }] }).slots[key].status,
    ).toBe('available');
  });
});

describe('chatReducer: hold → confirm → book', () => {
  const key = slotKey('s-check', 'd-lee', '2026-03-24T10:00:00Z');
  const offered = run([offer(['2026-03-24T10:00:00Z'])]);
  const granted: TChatAction = {
    type: 'hold_granted',
    slotKey: key,
    holdId: 'h1',
    expiresAt: '2026-03-23T09:05:00Z',
    idempotencyKey: 'k1',
  };

  it('goes holding → held → booking → booked and clears the hold', () => {
    const holding = chatReducer(offered, { type: 'hold_requested', slotKey: key });
    expect(holding.hold).toEqual({ phase: 'holding', slotKey: key });
    const held = chatReducer(holding, granted);
    expect(held.hold).toMatchObject({ phase: 'held', holdId: 'h1', idempotencyKey: 'k1' });
    const booking = chatReducer(held, { type: 'booking_requested' });
    expect(booking.hold?.phase).toBe('booking');
    const booked = chatReducer(booking, { type: 'booked', text: "You're booked" });
    expect(booked.hold).toBeNull();
    expect(booked.messages.at(-1)).toMatchObject({ kind: 'booked', text: "You're booked" });
  });

  it('ignores a second hold request while one is in flight, and a grant for another slot', () => {
    const holding = chatReducer(offered, { type: 'hold_requested', slotKey: key });
    expect(chatReducer(holding, { type: 'hold_requested', slotKey: 'other' })).toBe(holding);
    expect(chatReducer(holding, { ...granted, slotKey: 'other' })).toBe(holding);
  });

  it.each([
    ['slot_taken', 'taken'],
    ['too_soon', 'too_late'],
    ['in_past', 'too_late'],
  ] as const)('a hold refused with %s marks the slot %s and says why', (code, status) => {
    const failed = run(
      [
        { type: 'hold_requested', slotKey: key },
        { type: 'hold_failed', slotKey: key, error: { code, message: `because ${code}` } },
      ],
      offered,
    );
    expect(failed.slots[key].status).toBe(status);
    expect(failed.hold).toBeNull();
    expect(failed.messages.at(-1)).toMatchObject({ kind: 'text', tone: 'error', text: `because ${code}` });
  });

  it.each(['not_allowed', 'unexpected', 'sign_in_required'] as const)(
    'a hold refused with %s leaves the slot available',
    (code) => {
      const failed = run(
        [
          { type: 'hold_requested', slotKey: key },
          { type: 'hold_failed', slotKey: key, error: { code, message: 'no' } },
        ],
        offered,
      );
      expect(failed.slots[key].status).toBe('available');
    },
  );

  it('a booking that fails with hold_expired drops the hold, keeps the slot, and explains', () => {
    const failed = run(
      [
        { type: 'hold_requested', slotKey: key },
        granted,
        { type: 'booking_requested' },
        { type: 'booking_failed', error: { code: 'hold_expired', message: 'ran out' } },
      ],
      offered,
    );
    expect(failed.hold).toBeNull();
    expect(failed.slots[key].status).toBe('available');
    expect(failed.messages.at(-1)).toMatchObject({ tone: 'error', text: 'ran out' });
  });

  it('expiry ends a held slot but not a booking already on its way', () => {
    const held = run([{ type: 'hold_requested', slotKey: key }, granted], offered);
    expect(chatReducer(held, { type: 'hold_expired' }).hold).toBeNull();
    const booking = chatReducer(held, { type: 'booking_requested' });
    expect(chatReducer(booking, { type: 'hold_expired' }).hold?.phase).toBe('booking');
  });
});

describe('mergeWithMemory: follow-ups', () => {
  const first = parse('a check-up with Dr. Lee tomorrow afternoon');

  it.each([
    ['any dentist', { service: 'Check-up', dentist: 'any', day: '2026-03-24', window: '12:00' }],
    ['next week', { service: 'Check-up', dentist: 'Dr. Jordan Lee', day: '2026-03-30', window: null }],
    ['a cleaning', { service: 'Cleaning', dentist: 'Dr. Jordan Lee', day: '2026-03-24', window: '12:00' }],
    [
      'with Dr. Okafor on Friday morning',
      { service: 'Check-up', dentist: 'Dr. Chidi Okafor', day: '2026-03-27', window: '09:00' },
    ],
  ])('"%s" after "a check-up with Dr. Lee tomorrow afternoon"', (text, expected) => {
    const merged = mergeWithMemory(parse(text), first);
    expect(merged.service?.name).toBe(expected.service);
    expect(merged.dentist?.kind === 'named' ? merged.dentist.name : merged.dentist?.kind).toBe(
      expected.dentist,
    );
    expect(merged.dateRange?.from).toBe(expected.day);
    expect(merged.timeWindow?.start ?? null).toBe(expected.window);
  });

  it('without memory the query is unchanged', () => {
    const query = parse('next week');
    expect(mergeWithMemory(query, null)).toBe(query);
  });
});

describe('planTurn: what the assistant does with a message', () => {
  it('searches when it knows the treatment', () => {
    const plan = planTurn('any check-up tomorrow afternoon?', CONTEXT, null, MONDAY);
    expect(plan.kind).toBe('search');
    if (plan.kind === 'search')
      expect(plan.query).toMatchObject({
        service: { id: 's-check' },
        dateRange: { from: '2026-03-24' },
        timeWindow: { start: '12:00', end: '17:00' },
      });
  });

  it('asks for the treatment with one chip per service, remembering the time', () => {
    const plan = planTurn('Tomorrow morning', CONTEXT, null, MONDAY);
    expect(plan).toMatchObject({ kind: 'ask', quickReplies: ['Check-up', 'Cleaning'] });
    const next = planTurn('Check-up', CONTEXT, plan.kind === 'ask' ? plan.memory : null, MONDAY);
    expect(next.kind).toBe('search');
    if (next.kind === 'search')
      expect(next.query).toMatchObject({
        dateRange: { from: '2026-03-24' },
        timeWindow: { start: '09:00', end: '12:00' },
      });
  });

  it('offers dentist names after an unknown dentist, and the answer keeps the treatment and day', () => {
    const plan = planTurn('a cleaning with Dr. Smith on Thursday', CONTEXT, null, MONDAY);
    expect(plan).toMatchObject({ kind: 'ask', quickReplies: ['Dr. Jordan Lee', 'Dr. Chidi Okafor'] });
    const next = planTurn('Dr. Jordan Lee', CONTEXT, plan.kind === 'ask' ? plan.memory : null, MONDAY);
    expect(next.kind === 'search' && next.query).toMatchObject({
      service: { id: 's-clean' },
      dentist: { kind: 'named', id: 'd-lee' },
      dateRange: { from: '2026-03-26' },
    });
  });

  it('turns an ambiguous hour on a named day into chips that keep the day', () => {
    const context = {
      ...CONTEXT,
      openingHours: { ...CONTEXT.openingHours, 4: [{ start: '08:00', end: '23:00' }] },
    };
    const plan = planTurn('a check-up at 9 on Thursday', context, null, MONDAY);
    expect(plan).toMatchObject({ kind: 'ask', quickReplies: ['09:00 on 26 March', '21:00 on 26 March'] });
    const next = planTurn('21:00 on 26 March', context, plan.kind === 'ask' ? plan.memory : null, MONDAY);
    expect(next.kind === 'search' && next.query).toMatchObject({
      exactTime: '21:00',
      dateRange: { from: '2026-03-26' },
    });
  });

  it('answers small talk with the example and keeps the previous search in memory', () => {
    const memory = parse('a check-up tomorrow');
    const plan = planTurn('hello', CONTEXT, memory, MONDAY);
    expect(plan).toMatchObject({ kind: 'ask', memory });
  });
});

describe('describeSearch', () => {
  const query = { ...parse('a check-up tomorrow at 10'), service: { id: 's-check', name: 'Check-up' } };

  it('offers the asked time as a button tagged with its service', () => {
    const outcome = describeSearch(
      query,
      [free('2026-03-24T10:00:00+00:00'), free('2026-03-24T11:00:00+00:00')],
      MONDAY,
    );
    expect(outcome).toMatchObject({
      kind: 'slots',
      slots: [{ start: '2026-03-24T10:00:00+00:00', serviceId: 's-check', serviceName: 'Check-up' }],
    });
  });

  it('offers the nearest alternatives when the asked time is taken', () => {
    const outcome = describeSearch(
      query,
      [free('2026-03-24T14:00:00Z'), free('2026-03-24T10:30:00Z'), free('2026-03-25T10:00:00Z')],
      MONDAY,
    );
    expect(outcome.kind).toBe('slots');
    if (outcome.kind === 'slots') {
      expect(outcome.text).toMatch(/nearest openings/);
      expect(outcome.slots.map((s) => s.start)).toEqual([
        '2026-03-24T10:30:00Z',
        '2026-03-24T14:00:00Z',
        '2026-03-25T10:00:00Z',
      ]);
    }
  });

  it('says so, without buttons, when nothing is free', () => {
    expect(describeSearch(query, [], MONDAY)).toMatchObject({
      kind: 'text',
      text: expect.stringMatching(/no openings/),
    });
  });
});

describe('live re-checks', () => {
  const slots = Object.fromEntries(
    [
      shown('2026-03-24T10:00:00Z'),
      shown('2026-03-24T16:00:00Z'),
      shown('2026-03-24T10:00:00Z', 'd-okafor'),
      shown('2026-03-25T10:00:00Z', 'd-lee', 's-clean'),
    ].map((s) => [s.key, s]),
  );

  it.each([
    [
      'a booking right on the slot',
      { dentist_id: 'd-lee', from: '2026-03-24T10:00:00Z', to: '2026-03-24T10:35:00Z' },
      ['2026-03-24T10:00:00Z'],
    ],
    [
      'a booking 90 min later (buffers can reach it)',
      { dentist_id: 'd-lee', from: '2026-03-24T12:00:00Z', to: '2026-03-24T12:30:00Z' },
      ['2026-03-24T10:00:00Z'],
    ],
    [
      'another dentist',
      { dentist_id: 'd-garcia', from: '2026-03-24T10:00:00Z', to: '2026-03-24T10:30:00Z' },
      [],
    ],
    [
      'a weekly rule (unbounded)',
      { dentist_id: 'd-lee', from: null, to: null },
      ['2026-03-24T10:00:00Z', '2026-03-24T16:00:00Z', '2026-03-25T10:00:00Z'],
    ],
    [
      'the next day, far away',
      { dentist_id: 'd-lee', from: '2026-03-26T10:00:00Z', to: '2026-03-26T10:30:00Z' },
      [],
    ],
  ])('%s', (_name, change, starts) => {
    expect(
      slotsAffectedBy(slots, change)
        .map((s) => s.start)
        .sort(),
    ).toEqual([...starts].sort());
  });

  it('plans one query per service, from the earliest start to just after the latest', () => {
    const plans = planRecheck(Object.values(slots));
    expect(plans).toEqual([
      {
        serviceId: 's-check',
        from: '2026-03-24T10:00:00.000Z',
        to: '2026-03-24T16:01:00.000Z',
        keys: expect.any(Array),
      },
      {
        serviceId: 's-clean',
        from: '2026-03-25T10:00:00.000Z',
        to: '2026-03-25T10:01:00.000Z',
        keys: [slotKey('s-clean', 'd-lee', '2026-03-25T10:00:00Z')],
      },
    ]);
    expect(plans[0].keys).toHaveLength(3);
  });

  it('marks missing slots taken, or too late once inside the notice period', () => {
    const [plan] = planRecheck(Object.values(slots));
    const stillFree = [{ start: '2026-03-24T16:00:00+00:00', dentist_id: 'd-lee' }];
    const now = Date.parse('2026-03-24T08:30:00Z'); // 10:00 is inside 120 min notice now
    const checks = checkResults(plan, slots, stillFree, { now, minNoticeMinutes: 120 });
    expect(
      Object.fromEntries(checks.map((c) => [slots[c.key].dentist_id + ' ' + slots[c.key].start, c.status])),
    ).toEqual({
      'd-lee 2026-03-24T10:00:00Z': 'too_late',
      'd-lee 2026-03-24T16:00:00Z': 'available',
      'd-okafor 2026-03-24T10:00:00Z': 'too_late',
    });
    const earlier = checkResults(plan, slots, stillFree, { now: MONDAY.getTime(), minNoticeMinutes: 120 });
    expect(earlier.filter((c) => c.status === 'taken')).toHaveLength(2);
  });
});

describe('opening hours from clinic_opening_hours rows', () => {
  it('groups rows per weekday in opening order and trims seconds', () => {
    expect(
      toOpeningHours([
        { weekday: 3, opens_at: '14:00:00', closes_at: '24:00:00' },
        { weekday: 1, opens_at: '09:00:00', closes_at: '18:00:00' },
        { weekday: 3, opens_at: '08:00:00', closes_at: '12:00:00' },
      ]),
    ).toEqual({
      1: [{ start: '09:00', end: '18:00' }],
      3: [
        { start: '08:00', end: '12:00' },
        { start: '14:00', end: '24:00' },
      ],
    });
  });

  it('is empty (closed every day) without rows', () => {
    expect(toOpeningHours([])).toEqual({});
  });
});

describe('small helpers', () => {
  it.each([
    [300_000, '5:00'],
    [299_001, '5:00'],
    [61_000, '1:01'],
    [999, '0:01'],
    [0, '0:00'],
    [-5_000, '0:00'],
  ])('formatCountdown(%i) = %s', (ms, text) => {
    expect(formatCountdown(ms)).toBe(text);
  });

  it.each([
    [
      '2026-03-01T00:00:00Z',
      '2026-04-01T00:00:00Z',
      { from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' },
    ],
    [
      '2026-03-01T00:00:00Z',
      '2026-06-01T00:00:00Z',
      { from: '2026-03-01T00:00:00.000Z', to: '2026-05-02T00:00:00.000Z' },
    ],
    ['2026-03-01T00:00:00Z', '2026-03-01T00:00:00Z', null],
  ])('clampRange(%s, %s) stays within the engine’s 62 days', (from, to, expected) => {
    expect(clampRange(from, to)).toEqual(expected);
  });
});
