/**
 * The chat widget's state: the transcript, the slots it has offered (kept, and marked live when they
 * are taken), the patient's hold and the conversation memory. Pure: a reducer plus the decisions the
 * widget makes between a message and a reply, so every rule here is unit-tested without a browser.
 */
import type { TChatbotQuery, TSlotOption } from '@/lib/chatbot';
import type { TSchedulingError } from '@/lib/domain/errors';

/** Buffers before/after a visit are at most 120 min each (services table checks), so a change this far
 * from a shown slot can still make it unbookable. */
export const MAX_BUFFER_MS = 120 * 60 * 1000;

export const DEFAULT_QUICK_REPLIES = ['Tomorrow morning', 'Next week', 'Any dentist'] as const;

/** A slot offered in the chat: what it is, and what is live about it. */
export type TShownSlot = TSlotOption & {
  key: string;
  serviceId: string;
  serviceName: string;
  /** available → free when last checked; taken → someone else holds or booked it; too_late → inside the notice period now. */
  status: 'available' | 'taken' | 'too_late';
};

export type TChatMessage =
  | { id: string; role: 'user'; text: string }
  | { id: string; role: 'bot'; kind: 'text'; text: string; tone: 'info' | 'error' }
  | { id: string; role: 'bot'; kind: 'slots'; text: string; slotKeys: string[] }
  | { id: string; role: 'bot'; kind: 'sign_in'; text: string }
  | { id: string; role: 'bot'; kind: 'booked'; text: string };

/** The patient's reservation of one slot while they confirm. */
export type THold =
  | { phase: 'holding'; slotKey: string }
  | { phase: 'held'; slotKey: string; holdId: string; expiresAt: string; idempotencyKey: string }
  | { phase: 'booking'; slotKey: string; holdId: string; expiresAt: string; idempotencyKey: string };

export type TChatState = {
  messages: TChatMessage[];
  slots: Record<string, TShownSlot>;
  /** What the last search was about: a follow-up ("next week", "any dentist") changes only what it says. */
  memory: TChatbotQuery | null;
  quickReplies: string[];
  isThinking: boolean;
  hold: THold | null;
  nextId: number;
};

export const initialChatState: TChatState = {
  messages: [],
  slots: {},
  memory: null,
  quickReplies: [...DEFAULT_QUICK_REPLIES],
  isThinking: false,
  hold: null,
  nextId: 1,
};

export type TChatAction =
  | { type: 'user_said'; text: string }
  | { type: 'bot_said'; text: string; tone?: 'info' | 'error'; quickReplies?: string[] }
  | {
      type: 'slots_offered';
      text: string;
      slots: Omit<TShownSlot, 'status' | 'key'>[];
      memory: TChatbotQuery;
      quickReplies?: string[];
    }
  | { type: 'memory_set'; memory: TChatbotQuery | null }
  | { type: 'sign_in_invited'; text: string }
  | { type: 'slots_rechecked'; checks: TSlotCheck[] }
  | { type: 'hold_requested'; slotKey: string }
  | { type: 'hold_granted'; slotKey: string; holdId: string; expiresAt: string; idempotencyKey: string }
  | { type: 'hold_failed'; slotKey: string; error: TSchedulingError }
  | { type: 'hold_cancelled' }
  | { type: 'hold_expired' }
  | { type: 'booking_requested' }
  | { type: 'booking_failed'; error: TSchedulingError }
  | { type: 'booked'; text: string };

/** The result of asking the database again about one shown slot. */
export type TSlotCheck = { key: string; status: TShownSlot['status'] };

/** Start instants compare as epoch ms: PostgREST writes "+00:00", the browser "Z". */
export function slotKey(serviceId: string, dentistId: string, start: string): string {
  return `${serviceId}|${dentistId}|${Date.parse(start)}`;
}

/** A message before it gets its id (Omit distributed over the union). */
type TNewMessage = TChatMessage extends infer TMessage
  ? TMessage extends TChatMessage
    ? Omit<TMessage, 'id'>
    : never
  : never;

function withMessage(state: TChatState, message: TNewMessage): TChatState {
  const withId = { ...message, id: `m${state.nextId}` } as TChatMessage;
  return { ...state, messages: [...state.messages, withId], nextId: state.nextId + 1 };
}

/** Codes after which the slot the patient tried is gone for them: show it as taken. */
const SLOT_GONE_CODES = new Set(['slot_taken', 'outside_availability', 'in_past', 'too_soon']);

function markSlot(
  slots: Record<string, TShownSlot>,
  key: string,
  status: TShownSlot['status'],
): Record<string, TShownSlot> {
  const slot = slots[key];
  if (!slot || slot.status === status) return slots;
  return { ...slots, [key]: { ...slot, status } };
}

export function chatReducer(state: TChatState, action: TChatAction): TChatState {
  switch (action.type) {
    case 'user_said':
      return { ...withMessage(state, { role: 'user', text: action.text }), isThinking: true };
    case 'bot_said':
      return {
        ...withMessage(state, { role: 'bot', kind: 'text', text: action.text, tone: action.tone ?? 'info' }),
        isThinking: false,
        quickReplies: action.quickReplies ?? state.quickReplies,
      };
    case 'slots_offered': {
      const slots = { ...state.slots };
      const keys: string[] = [];
      for (const offered of action.slots) {
        const key = slotKey(offered.serviceId, offered.dentist_id, offered.start);
        // A slot offered again is the same slot: one status, wherever it appears in the transcript.
        slots[key] = { ...offered, key, status: 'available' };
        keys.push(key);
      }
      const next = withMessage(state, { role: 'bot', kind: 'slots', text: action.text, slotKeys: keys });
      return {
        ...next,
        slots,
        memory: action.memory,
        isThinking: false,
        quickReplies: action.quickReplies ?? [...DEFAULT_QUICK_REPLIES],
      };
    }
    case 'memory_set':
      return { ...state, memory: action.memory };
    case 'sign_in_invited':
      return withMessage(state, { role: 'bot', kind: 'sign_in', text: action.text });
    case 'slots_rechecked': {
      let slots = state.slots;
      for (const check of action.checks) {
        // The slot being held or booked by this patient is theirs: the engine hides it from others only.
        if (state.hold?.slotKey === check.key) continue;
        slots = markSlot(slots, check.key, check.status);
      }
      return slots === state.slots ? state : { ...state, slots };
    }
    case 'hold_requested':
      if (state.hold && state.hold.phase !== 'held') return state;
      return { ...state, hold: { phase: 'holding', slotKey: action.slotKey } };
    case 'hold_granted':
      if (state.hold?.slotKey !== action.slotKey) return state;
      return {
        ...state,
        hold: {
          phase: 'held',
          slotKey: action.slotKey,
          holdId: action.holdId,
          expiresAt: action.expiresAt,
          idempotencyKey: action.idempotencyKey,
        },
      };
    case 'hold_failed': {
      const slots = SLOT_GONE_CODES.has(action.error.code)
        ? markSlot(state.slots, action.slotKey, action.error.code === 'slot_taken' ? 'taken' : 'too_late')
        : state.slots;
      return {
        ...withMessage(
          { ...state, slots },
          { role: 'bot', kind: 'text', text: action.error.message, tone: 'error' },
        ),
        hold: null,
      };
    }
    case 'hold_cancelled':
      return { ...state, hold: null };
    case 'hold_expired':
      // A booking already sent settles on the database's answer (hold_expired if it really lapsed).
      if (state.hold?.phase !== 'held') return state;
      return {
        ...withMessage(state, {
          role: 'bot',
          kind: 'text',
          text: 'Your reservation of this time ran out. Pick the time again if you still want it.',
          tone: 'error',
        }),
        hold: null,
      };
    case 'booking_requested':
      if (state.hold?.phase !== 'held') return state;
      return { ...state, hold: { ...state.hold, phase: 'booking' } };
    case 'booking_failed': {
      if (!state.hold) return state;
      const slots = SLOT_GONE_CODES.has(action.error.code)
        ? markSlot(state.slots, state.hold.slotKey, action.error.code === 'slot_taken' ? 'taken' : 'too_late')
        : state.slots;
      return {
        ...withMessage(
          { ...state, slots },
          { role: 'bot', kind: 'text', text: action.error.message, tone: 'error' },
        ),
        hold: null,
      };
    }
    case 'booked':
      return { ...withMessage(state, { role: 'bot', kind: 'booked', text: action.text }), hold: null };
  }
}

/** Whether any part of the query says when (then it replaces the remembered time entirely). */
function saysWhen(query: TChatbotQuery): boolean {
  return (
    query.dateRange !== null ||
    query.partOfDay !== null ||
    query.timeWindow !== null ||
    query.exactTime !== null ||
    query.isAsap
  );
}

const TIME_FIELDS = [
  'dateRange',
  'isDateInferred',
  'partOfDay',
  'timeWindow',
  'exactTime',
  'isAsap',
  'searchWindow',
  'fetchWindow',
] as const;

/**
 * A follow-up fills what it leaves out from the previous search: after "a check-up tomorrow
 * afternoon", "any dentist" keeps the check-up and the afternoon; "next week" keeps the check-up and
 * the dentist but replaces the time. A clarification of the new message is kept, never inherited.
 */
export function mergeWithMemory(query: TChatbotQuery, memory: TChatbotQuery | null): TChatbotQuery {
  if (!memory) return query;
  const merged: TChatbotQuery = {
    ...query,
    service: query.service ?? memory.service,
    dentist: query.dentist ?? memory.dentist,
  };
  if (!saysWhen(query) && !query.needsClarification) {
    for (const field of TIME_FIELDS) (merged as Record<string, unknown>)[field] = memory[field];
  }
  return merged;
}

/**
 * Which shown slots a "slots changed for dentist X in [from, to)" signal can concern: same dentist
 * (or unknown), and the change within the largest buffer of the slot. Taken slots are re-checked too,
 * because a released hold brings a slot back.
 */
export function slotsAffectedBy(
  slots: Readonly<Record<string, TShownSlot>>,
  change: { dentist_id: string; from: string | null; to: string | null },
): TShownSlot[] {
  const changeFrom = change.from === null ? Number.NEGATIVE_INFINITY : Date.parse(change.from);
  const changeTo = change.to === null ? Number.POSITIVE_INFINITY : Date.parse(change.to);
  return Object.values(slots).filter(
    (slot) =>
      slot.dentist_id === change.dentist_id &&
      changeFrom < Date.parse(slot.end) + MAX_BUFFER_MS &&
      Date.parse(slot.start) - MAX_BUFFER_MS < changeTo,
  );
}

export type TRecheckRequest = { serviceId: string; from: string; to: string; keys: string[] };

/**
 * One slot query per service covering the given slots: [earliest start, latest start + 1 min), since the
 * engine returns slots that *start* inside the range.
 */
export function planRecheck(slots: readonly TShownSlot[]): TRecheckRequest[] {
  const byService = new Map<string, TShownSlot[]>();
  for (const slot of slots) byService.set(slot.serviceId, [...(byService.get(slot.serviceId) ?? []), slot]);
  return [...byService].map(([serviceId, group]) => {
    const starts = group.map((slot) => Date.parse(slot.start));
    return {
      serviceId,
      from: new Date(Math.min(...starts)).toISOString(),
      to: new Date(Math.max(...starts) + 60_000).toISOString(),
      keys: group.map((slot) => slot.key),
    };
  });
}

/**
 * What a re-check found: a slot still offered is available; one missing is taken, unless it now
 * starts inside the clinic's minimum notice (then it simply became too late to book online).
 */
export function checkResults(
  request: TRecheckRequest,
  slots: Readonly<Record<string, TShownSlot>>,
  free: readonly { start: string; dentist_id: string }[],
  options: { now: number; minNoticeMinutes: number },
): TSlotCheck[] {
  const freeKeys = new Set(free.map((slot) => slotKey(request.serviceId, slot.dentist_id, slot.start)));
  const noticeEnds = options.now + options.minNoticeMinutes * 60_000;
  return request.keys.flatMap((key): TSlotCheck[] => {
    const slot = slots[key];
    if (!slot) return [];
    if (freeKeys.has(key)) return [{ key, status: 'available' }];
    return [{ key, status: Date.parse(slot.start) < noticeEnds ? 'too_late' : 'taken' }];
  });
}
