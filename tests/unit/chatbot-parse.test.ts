import { describe, expect, it } from 'vitest';
import { parseChatbotRequest, ZChatbotContext, ZChatbotQuery, type TChatbotQuery } from '@/lib/chatbot';
import {
  CLINICS,
  REFERENCES,
  UTTERANCES,
  type TExpectedParse,
  type TUtteranceCase,
} from './fixtures/chatbot-utterances';

function parseCase(testCase: TUtteranceCase): TChatbotQuery {
  const clinic = CLINICS[testCase.clinic];
  return parseChatbotRequest(testCase.utterance, {
    now: new Date(REFERENCES[testCase.now]),
    timeZone: clinic.timeZone,
    openingHours: clinic.openingHours,
    services: clinic.services,
    dentists: clinic.dentists,
    dateOrder: clinic.dateOrder,
  });
}

/** The parse reduced to the fixture's vocabulary, so a failure shows every field side by side. */
function summarize(query: TChatbotQuery): TExpectedParse {
  const range = query.dateRange;
  return {
    service: query.service?.id ?? null,
    dentist: query.dentist === null ? null : query.dentist.kind === 'any' ? 'any' : query.dentist.id,
    dates: range === null ? null : range.from === range.to ? range.from : [range.from, range.to],
    window: query.timeWindow ? [query.timeWindow.start, query.timeWindow.end] : null,
    exact: query.exactTime,
    clarify: query.clarification?.reason ?? null,
    asap: query.isAsap,
  };
}

describe('parseChatbotRequest on the utterance fixture', () => {
  it('has at least 70 utterances', () => {
    expect(UTTERANCES.length).toBeGreaterThanOrEqual(70);
  });

  it.each(UTTERANCES.map((c) => [`${c.clinic} @${c.now}: "${c.utterance}"`, c] as const))(
    '%s',
    (_name, testCase) => {
      const query = parseCase(testCase);
      expect(summarize(query)).toEqual({ ...testCase.expected, asap: testCase.expected.asap ?? false });
      expect(query.needsClarification).toBe(testCase.expected.clarify !== null);
      expect(ZChatbotQuery.safeParse(query).success).toBe(true);
    },
  );
});

describe('independence from the machine time zone', () => {
  const machineZones = [
    'UTC',
    'Pacific/Auckland',
    'America/Los_Angeles',
    'Asia/Kolkata',
    'Australia/Lord_Howe',
  ];

  it.each(machineZones)('gives the same parses with TZ=%s', (zone) => {
    const original = process.env.TZ;
    process.env.TZ = zone;
    try {
      // Node re-reads TZ on change: prove it took effect, else this test would prove nothing.
      const offset = new Date('2026-01-15T12:00:00Z').getTimezoneOffset();
      if (zone === 'Pacific/Auckland') expect(offset).toBe(-780);
      for (const testCase of UTTERANCES) {
        expect([testCase.utterance, summarize(parseCase(testCase))]).toEqual([
          testCase.utterance,
          { ...testCase.expected, asap: testCase.expected.asap ?? false },
        ]);
      }
    } finally {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    }
  });
});

describe('search windows are UTC instants of clinic wall times across DST', () => {
  const cases: [
    string,
    keyof typeof CLINICS,
    keyof typeof REFERENCES,
    { startsAt: string; endsAt: string },
  ][] = [
    // GMT before the switch: wall time = UTC.
    [
      'tomorrow afternoon',
      'london',
      'thu',
      { startsAt: '2026-03-27T12:00:00.000Z', endsAt: '2026-03-27T16:00:00.000Z' },
    ],
    // Monday 30 March is BST: 08:00 local = 07:00Z.
    [
      'first thing monday',
      'london',
      'thu',
      { startsAt: '2026-03-30T07:00:00.000Z', endsAt: '2026-03-30T08:00:00.000Z' },
    ],
    // A week that starts after the switch: Monday 00:00 BST = Sunday 23:00Z.
    [
      'next week',
      'london',
      'thu',
      { startsAt: '2026-03-29T23:00:00.000Z', endsAt: '2026-04-05T23:00:00.000Z' },
    ],
    // Sunday 29 March has 23 hours: 00:00 GMT → 00:00 BST next day is 23 h later.
    [
      'this weekend',
      'london',
      'thu',
      { startsAt: '2026-03-28T00:00:00.000Z', endsAt: '2026-03-29T23:00:00.000Z' },
    ],
    // New York, Saturday 7 March (EST, UTC−5): 10:00–12:00 local.
    [
      'tomorrow morning',
      'newYork',
      'nyFriNight',
      { startsAt: '2026-03-07T15:00:00.000Z', endsAt: '2026-03-07T17:00:00.000Z' },
    ],
    // After the US switch (EDT, UTC−4): Monday 15:00 local = 19:00Z; the day ends at 04:00Z.
    [
      'monday at 3',
      'newYork',
      'nyFriNight',
      { startsAt: '2026-03-09T19:00:00.000Z', endsAt: '2026-03-10T04:00:00.000Z' },
    ],
    // A request starting in the past is clipped to now.
    [
      'this morning',
      'london',
      'thu',
      { startsAt: '2026-03-26T10:30:00.000Z', endsAt: '2026-03-26T12:00:00.000Z' },
    ],
  ];

  it.each(cases)('"%s" (%s @%s)', (utterance, clinic, now, expected) => {
    const query = parseCase({
      utterance,
      clinic,
      now,
      expected: { service: null, dentist: null, dates: null, window: null, exact: null, clarify: null },
    });
    expect(query.searchWindow).toEqual(expected);
    expect(query.fetchWindow.startsAt <= query.searchWindow.startsAt).toBe(true);
    expect(query.fetchWindow.endsAt >= query.searchWindow.endsAt).toBe(true);
  });

  it('searches the next 14 clinic days when no day is named', () => {
    const query = parseCase({
      utterance: 'asap',
      clinic: 'london',
      now: 'thu',
      expected: { service: null, dentist: null, dates: null, window: null, exact: null, clarify: null },
    });
    // Thursday 9 April 00:00 BST.
    expect(query.searchWindow).toEqual({
      startsAt: '2026-03-26T10:30:00.000Z',
      endsAt: '2026-04-08T23:00:00.000Z',
    });
  });
});

describe('clarification details', () => {
  const london = CLINICS.london;
  const parse = (
    utterance: string,
    now: string = REFERENCES.thu,
    overrides: Partial<Parameters<typeof parseChatbotRequest>[1]> = {},
  ) => parseChatbotRequest(utterance, { now: new Date(now), ...london, ...overrides });

  it('offers both readings of an hour that fits the hours twice', () => {
    const query = parse('monday at 8', REFERENCES.thu, {
      openingHours: { 1: [{ start: '08:00', end: '21:00' }] },
    });
    expect(query.clarification).toMatchObject({ reason: 'ambiguous_time', options: ['08:00', '20:00'] });
    expect(query.exactTime).toBeNull();
  });

  it('lists the dentists when the named one is unknown', () => {
    const query = parse('doctor smith tomorrow');
    expect(query.clarification?.options).toEqual(['Dr. Emily Lee', 'Dr. Raj Patel', 'Dr. Sofia May']);
    expect(query.clarification?.message).toContain('Smith');
  });

  it('asks which dentist when two share the spoken name', () => {
    const query = parse('with dr lee on monday', REFERENCES.thu, {
      dentists: [
        { id: 'a', name: 'Dr. Emily Lee' },
        { id: 'b', name: 'Dr. Marcus Lee' },
      ],
    });
    expect(query.clarification).toMatchObject({
      reason: 'ambiguous_dentist',
      options: ['Dr. Emily Lee', 'Dr. Marcus Lee'],
    });
    expect(query.dentist).toBeNull();
  });

  it('a full name settles a shared surname', () => {
    const query = parse('with marcus lee on monday', REFERENCES.thu, {
      dentists: [
        { id: 'a', name: 'Dr. Emily Lee' },
        { id: 'b', name: 'Dr. Marcus Lee' },
      ],
    });
    expect(query.dentist).toEqual({ kind: 'named', id: 'b', name: 'Dr. Marcus Lee' });
  });

  it('says the clinic is closed for the rest of today after closing', () => {
    const query = parse('anything today?', REFERENCES.friEvening);
    expect(query.clarification?.message).toMatch(/closed for the rest of today/);
  });

  it("quotes the day's hours when a part of day does not exist", () => {
    expect(parse('saturday afternoon').clarification?.message).toContain('09:00–11:00');
  });

  it('keeps the original utterance', () => {
    expect(parse('  Cleaning, TOMORROW!! ').utterance).toBe('  Cleaning, TOMORROW!! ');
  });
});

describe('ZChatbotContext', () => {
  it('accepts the fixture clinics', () => {
    for (const clinic of Object.values(CLINICS)) {
      expect(ZChatbotContext.safeParse({ now: new Date(REFERENCES.thu), ...clinic }).success).toBe(true);
    }
  });

  it.each([
    ['an unknown zone', { timeZone: 'Mars/Olympus_Mons' }],
    ['an interval ending before it starts', { openingHours: { 1: [{ start: '17:00', end: '08:00' }] } }],
    ['a weekday key out of range', { openingHours: { 9: [{ start: '08:00', end: '17:00' }] } }],
    ['a malformed time', { openingHours: { 1: [{ start: '8am', end: '17:00' }] } }],
  ])('rejects %s', (_name, override) => {
    expect(
      ZChatbotContext.safeParse({ now: new Date(REFERENCES.thu), ...CLINICS.london, ...override }).success,
    ).toBe(false);
  });
});
