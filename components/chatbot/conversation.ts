/**
 * From one chat message to what the assistant does next: ask a question back, or search for slots.
 * Pure (the clinic context and "now" are parameters), so the widget's dialogue rules are unit-tested.
 */
import { composeSlotReply, parseChatbotRequest, type TChatbotQuery, type TFreeSlot } from '@/lib/chatbot';
import type { TWidgetContext } from './clinic-context';
import { DEFAULT_QUICK_REPLIES, mergeWithMemory, type TShownSlot } from './chat-state';

/** Reasons where nothing sensible can be searched until the visitor answers. */
const BLOCKING = new Set([
  'empty_input',
  'nothing_understood',
  'ambiguous_time',
  'unknown_dentist',
  'ambiguous_dentist',
  'invalid_date',
]);

export type TTurnPlan =
  | { kind: 'ask'; text: string; quickReplies: string[]; memory: TChatbotQuery | null }
  | { kind: 'search'; query: TChatbotQuery & { service: NonNullable<TChatbotQuery['service']> } };

function dayAndMonth(date: string): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', timeZone: 'UTC' }).format(
    new Date(`${date}T12:00:00Z`),
  );
}

/**
 * Answers to offer as chips. An ambiguous "at 10" on a named day becomes "10:00 on 24 November", so
 * picking it keeps the day that was asked for.
 */
function clarificationReplies(query: TChatbotQuery): string[] {
  const clarification = query.clarification;
  if (!clarification || clarification.options.length === 0) return [...DEFAULT_QUICK_REPLIES];
  if (
    clarification.reason === 'ambiguous_time' &&
    query.dateRange &&
    query.dateRange.from === query.dateRange.to &&
    !query.isDateInferred
  ) {
    const day = dayAndMonth(query.dateRange.from);
    return clarification.options.map((option) => `${option} on ${day}`);
  }
  return [...clarification.options];
}

export function planTurn(
  text: string,
  context: TWidgetContext,
  memory: TChatbotQuery | null,
  now: Date,
): TTurnPlan {
  const parsed = parseChatbotRequest(text, {
    now,
    timeZone: context.timeZone,
    openingHours: context.openingHours,
    services: context.services,
    dentists: context.dentists,
  });
  const query = mergeWithMemory(parsed, memory);
  const clarification = query.clarification;
  if (clarification && BLOCKING.has(clarification.reason)) {
    // Keep what was understood (the service, the day) for the answer, but not a dentist we could not find.
    const isDentistProblem =
      clarification.reason === 'unknown_dentist' || clarification.reason === 'ambiguous_dentist';
    const understood =
      clarification.reason === 'nothing_understood' || clarification.reason === 'empty_input'
        ? memory
        : { ...query, dentist: isDentistProblem ? (memory?.dentist ?? null) : query.dentist };
    return {
      kind: 'ask',
      text: clarification.message,
      quickReplies: clarificationReplies(query),
      memory: understood,
    };
  }
  if (!query.service) {
    const names = context.services.map((service) => service.name);
    return {
      kind: 'ask',
      text:
        names.length > 0
          ? `Which treatment would you like? We offer ${names.join(', ')}.`
          : 'Which treatment would you like?',
      quickReplies: names,
      memory: query,
    };
  }
  return { kind: 'search', query: { ...query, service: query.service } };
}

export type TSearchOutcome =
  | { kind: 'slots'; text: string; slots: Omit<TShownSlot, 'status' | 'key'>[] }
  | { kind: 'text'; text: string };

/** Up to five slots as buttons (matches, or the nearest alternatives), or a sentence when there are none. */
export function describeSearch(
  query: TChatbotQuery & { service: { id: string; name: string } },
  free: readonly TFreeSlot[],
  now: Date,
): TSearchOutcome {
  const reply = composeSlotReply(query, free, { now });
  if ((reply.kind === 'matches' || reply.kind === 'alternatives') && reply.options.length > 0) {
    return {
      kind: 'slots',
      text: reply.text,
      slots: reply.options.map((option) => ({
        ...option,
        serviceId: query.service.id,
        serviceName: query.service.name,
      })),
    };
  }
  return { kind: 'text', text: reply.text };
}
