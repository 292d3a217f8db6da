import { describe, expect, it } from 'vitest';
import { composeSlotReply, parseChatbotRequest, type TFreeSlot } from '@/lib/chatbot';
import { CLINICS } from './fixtures/chatbot-utterances';

/** Tuesday 24 March 2026, 09:00 GMT: Friday 27 is three days ahead ("on Friday"). */
const TUESDAY = new Date('2026-03-24T09:00:00Z');
const clinic = {
  ...CLINICS.london,
  dentists: [
    { id: 'd-lee', name: 'Dr. Lee' },
    { id: 'd-patel', name: 'Dr. Patel' },
  ],
};

function parse(utterance: string, now: Date = TUESDAY) {
  return parseChatbotRequest(utterance, { now, ...clinic });
}

/** Friday 27 March is GMT, so these local times equal UTC. */
function slot(localDateTime: string, dentist: 'd-lee' | 'd-patel' = 'd-lee', minutes = 30): TFreeSlot {
  const start = new Date(`${localDateTime}:00Z`);
  const end = new Date(start.getTime() + minutes * 60_000);
  return {
    start: start.toISOString().replace('.000Z', '+00:00'),
    end: end.toISOString().replace('.000Z', '+00:00'),
    dentist_id: dentist,
    dentist_name: dentist === 'd-lee' ? 'Dr. Lee' : 'Dr. Patel',
  };
}

const starts = (options: readonly TFreeSlot[]) => options.map((o) => o.start.slice(0, 16));

describe('composeSlotReply', () => {
  it('lists the matching openings, earliest first, in the clinic zone', () => {
    const query = parse('any cleaning with Dr. Lee on Friday afternoon?');
    const reply = composeSlotReply(
      query,
      [
        slot('2026-03-27T15:00'),
        slot('2026-03-27T09:00'),
        slot('2026-03-27T12:30'),
        slot('2026-03-27T13:00', 'd-patel'),
        slot('2026-03-27T14:00'),
      ],
      { now: TUESDAY },
    );
    expect(reply.kind).toBe('matches');
    expect(reply.text).toBe('Here are the openings for a cleaning with Dr. Lee on Friday afternoon:');
    expect(starts(reply.options)).toEqual(['2026-03-27T12:30', '2026-03-27T14:00', '2026-03-27T15:00']);
    expect(reply.options[0].label).toBe('Fri 27 Mar, 12:30');
  });

  it.each([
    [1, 1],
    [3, 3],
    [undefined, 5],
  ])('offers at most maxOptions=%s (→ %i) options', (maxOptions, expected) => {
    const query = parse('cleaning on friday');
    const slots = ['08:00', '08:30', '09:00', '09:30', '10:00', '10:30', '11:00'].map((t) =>
      slot(`2026-03-27T${t}`),
    );
    expect(composeSlotReply(query, slots, { now: TUESDAY, maxOptions }).options).toHaveLength(expected);
  });

  it('when the asked time is taken, offers the same day closest first, then the following days', () => {
    const query = parse('cleaning with dr lee friday at 2');
    expect(query.exactTime).toBe('14:00');
    const reply = composeSlotReply(
      query,
      [
        slot('2026-03-30T08:00'),
        slot('2026-03-27T09:00'),
        slot('2026-03-27T15:30'),
        slot('2026-03-27T13:30'),
        slot('2026-03-27T15:00'),
        slot('2026-03-28T09:00'),
      ],
      { now: TUESDAY },
    );
    expect(reply.kind).toBe('alternatives');
    expect(reply.text).toBe(
      'Sorry, nothing is free for a cleaning with Dr. Lee on Friday at 14:00. The nearest openings are:',
    );
    // Same day by distance from 14:00 (30, 60, 90, 300 min), then Saturday, then Monday (07:00Z = 08:00 BST).
    expect(starts(reply.options)).toEqual([
      '2026-03-27T13:30',
      '2026-03-27T15:00',
      '2026-03-27T15:30',
      '2026-03-27T09:00',
      '2026-03-28T09:00',
    ]);
    expect(
      starts(
        composeSlotReply(query, [slot('2026-03-30T08:00'), slot('2026-03-28T09:00')], {
          now: TUESDAY,
          maxOptions: 5,
        }).options,
      ),
    ).toEqual(['2026-03-28T09:00', '2026-03-30T08:00']);
  });

  it('offers the exact time when it is free', () => {
    const query = parse('friday at 2');
    const reply = composeSlotReply(
      query,
      [slot('2026-03-27T13:30'), slot('2026-03-27T14:00', 'd-patel'), slot('2026-03-27T14:00')],
      { now: TUESDAY },
    );
    expect(reply.kind).toBe('matches');
    expect(reply.text).toBe('Here are the openings on Friday at 14:00:');
    expect(reply.options.map((o) => o.label)).toEqual([
      'Fri 27 Mar, 14:00 with Dr. Lee',
      'Fri 27 Mar, 14:00 with Dr. Patel',
    ]);
  });

  it('ranks alternatives around a part of day by the gap to the window', () => {
    const query = parse('friday morning');
    const reply = composeSlotReply(
      query,
      [slot('2026-03-27T15:30'), slot('2026-03-27T12:30'), slot('2026-03-27T13:00')],
      { now: TUESDAY },
    );
    expect(reply.kind).toBe('alternatives');
    expect(starts(reply.options)).toEqual(['2026-03-27T12:30', '2026-03-27T13:00', '2026-03-27T15:30']);
  });

  it('ignores slots in the past, duplicates and other dentists when one is named', () => {
    const now = new Date('2026-03-27T10:00:00Z');
    const reply = composeSlotReply(
      parseChatbotRequest('dr lee today', { now, ...clinic }),
      [
        slot('2026-03-27T09:00'),
        slot('2026-03-27T11:00'),
        slot('2026-03-27T11:00'),
        slot('2026-03-27T10:30', 'd-patel'),
      ],
      { now },
    );
    expect(starts(reply.options)).toEqual(['2026-03-27T11:00']);
  });

  it('says so helpfully when nothing is free at all', () => {
    const named = composeSlotReply(
      parse('cleaning with dr lee next week'),
      [slot('2026-03-27T09:00', 'd-patel')],
      { now: TUESDAY },
    );
    expect(named.kind).toBe('none');
    expect(named.text).toBe(
      'Sorry, there are no openings for a cleaning with Dr. Lee between Monday 30 March and Sunday 5 April. Would another dentist work, or shall we look at other dates?',
    );
    const open = composeSlotReply(parse('asap'), [], { now: TUESDAY });
    expect(open.text).toBe(
      'Sorry, there are no openings in the next two weeks. Please try other dates, or call the clinic and we will find you a time.',
    );
  });

  it.each([
    ['hello', 'nothing_understood'],
    ['', 'empty_input'],
    ['doctor smith tomorrow', 'unknown_dentist'],
  ])('asks instead of listing slots for "%s"', (utterance, reason) => {
    const query = parse(utterance);
    expect(query.clarification?.reason).toBe(reason);
    const reply = composeSlotReply(query, [slot('2026-03-27T09:00')], { now: TUESDAY });
    expect(reply).toEqual({ kind: 'clarify', text: query.clarification?.message, options: [] });
  });

  it('after closing time, says so and offers the next openings', () => {
    const now = new Date('2026-03-27T18:30:00Z');
    const query = parseChatbotRequest('cleaning today', { now, ...clinic });
    const reply = composeSlotReply(query, [slot('2026-03-28T09:30'), slot('2026-03-27T15:00')], { now });
    expect(reply.kind).toBe('alternatives');
    expect(reply.text).toMatch(/^We're closed for the rest of today\. .* The nearest openings are:$/);
    expect(starts(reply.options)).toEqual(['2026-03-28T09:30']);
  });

  it('asap lists the earliest openings with each dentist named', () => {
    const reply = composeSlotReply(
      parse('earliest cleaning'),
      [slot('2026-03-25T10:00', 'd-patel'), slot('2026-03-24T15:00')],
      { now: TUESDAY },
    );
    expect(reply.text).toBe('Here are the earliest openings for a cleaning:');
    expect(reply.options.map((o) => o.label)).toEqual([
      'Tue 24 Mar, 15:00 with Dr. Lee',
      'Wed 25 Mar, 10:00 with Dr. Patel',
    ]);
  });

  it('labels slots in clinic time after the DST switch', () => {
    const query = parse('monday');
    const monday = {
      start: '2026-03-30T07:00:00+00:00',
      end: '2026-03-30T07:30:00+00:00',
      dentist_id: 'd-lee',
      dentist_name: 'Dr. Lee',
    };
    const reply = composeSlotReply(query, [monday], { now: TUESDAY });
    expect(reply.kind).toBe('matches');
    expect(reply.options[0].label).toBe('Mon 30 Mar, 08:00 with Dr. Lee');
  });

  it('does not mutate its inputs', () => {
    const query = parse('friday afternoon');
    const slots = [slot('2026-03-27T15:00'), slot('2026-03-27T12:00')];
    const before = JSON.stringify([query, slots]);
    composeSlotReply(query, slots, { now: TUESDAY });
    expect(JSON.stringify([query, slots])).toBe(before);
  });
});
