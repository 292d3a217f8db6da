/**
 * Keeps the conversation for the browser tab (sessionStorage), so a visitor who signs in to book comes
 * back to the same slots. Holds are never restored: they belong to the moment they were made.
 */
import { z } from 'zod';
import { ZChatbotQuery } from '@/lib/chatbot';
import type { TChatState } from './chat-state';

const STORAGE_KEY = 'chairtime.chatbot.transcript.v1';
/** Older messages are dropped from storage so a long chat never fills the quota. */
const MAX_STORED_MESSAGES = 60;

const ZStoredSlot = z.object({
  key: z.string(),
  start: z.string(),
  end: z.string(),
  dentist_id: z.string(),
  dentist_name: z.string().optional(),
  label: z.string(),
  serviceId: z.string(),
  serviceName: z.string(),
  status: z.enum(['available', 'taken', 'too_late']),
});

const ZStoredMessage = z.discriminatedUnion('role', [
  z.object({ id: z.string(), role: z.literal('user'), text: z.string() }),
  z.object({
    id: z.string(),
    role: z.literal('bot'),
    kind: z.enum(['text', 'slots', 'sign_in', 'booked']),
    text: z.string(),
    tone: z.enum(['info', 'error']).optional(),
    slotKeys: z.array(z.string()).optional(),
  }),
]);

const ZStoredTranscript = z.object({
  messages: z.array(ZStoredMessage),
  slots: z.record(z.string(), ZStoredSlot),
  memory: ZChatbotQuery.nullable(),
  nextId: z.number().int().min(1),
});

function storage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.sessionStorage;
  } catch {
    return null; // Storage disabled (privacy mode): the chat simply starts fresh.
  }
}

export function saveTranscript(state: TChatState): void {
  const store = storage();
  if (!store) return;
  const messages = state.messages.slice(-MAX_STORED_MESSAGES);
  try {
    store.setItem(
      STORAGE_KEY,
      JSON.stringify({ messages, slots: state.slots, memory: state.memory, nextId: state.nextId }),
    );
  } catch {
    // Quota exceeded: keeping the chat in memory is enough.
  }
}

export function restoreTranscript(initial: TChatState): TChatState {
  const raw = storage()?.getItem(STORAGE_KEY);
  if (!raw) return initial;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return initial;
  }
  const parsed = ZStoredTranscript.safeParse(json);
  if (!parsed.success) return initial;
  const messages = parsed.data.messages.map((message) => {
    if (message.role === 'user') return message;
    if (message.kind === 'slots')
      return {
        id: message.id,
        role: 'bot' as const,
        kind: 'slots' as const,
        text: message.text,
        slotKeys: message.slotKeys ?? [],
      };
    if (message.kind === 'text')
      return {
        id: message.id,
        role: 'bot' as const,
        kind: 'text' as const,
        text: message.text,
        tone: message.tone ?? 'info',
      };
    return { id: message.id, role: 'bot' as const, kind: message.kind, text: message.text };
  });
  return {
    ...initial,
    messages,
    slots: parsed.data.slots,
    memory: parsed.data.memory,
    nextId: parsed.data.nextId,
  };
}

export function clearTranscript(): void {
  storage()?.removeItem(STORAGE_KEY);
}
