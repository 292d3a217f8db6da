'use client';

/**
 * The booking assistant on the public pages: a button in the bottom-right corner that opens a chat
 * panel. Anyone can ask for times; signed-in patients can hold and book a time right in the chat.
 * Offered times stay true while the chat is open: a time someone else takes is marked "Just taken"
 * where it is (never removed, so nothing jumps), and announced to screen readers.
 */
import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useChatbotRealtimeSync } from '@/hooks/use-chatbot-realtime-sync';
import { useSupabase } from '@/hooks/use-supabase';
import { ROUTES, safeNextPath } from '@/lib/routes';
import type { TChatMessage, TShownSlot } from './chat-state';
import { HoldCard } from './hold-card';
import { useChatSession } from './use-chat-session';

/** Added to the return path so the chat reopens after signing in. */
export const OPEN_CHAT_PARAM = 'chat';

const SLOT_STATUS_TEXT: Record<TShownSlot['status'], string> = {
  available: 'Book',
  taken: 'Just taken',
  too_late: 'Too late',
};

function signInHref(pathname: string): string {
  const back = safeNextPath(`${pathname}?${OPEN_CHAT_PARAM}=open`) ?? ROUTES.home;
  return `${ROUTES.signIn}?next=${encodeURIComponent(back)}`;
}

export function ChatbotWidget() {
  const supabase = useSupabase();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  // Back from sign-in (?chat=open): the chat reopens where the visitor left it.
  const [isOpen, setIsOpen] = useState(() => searchParams.get(OPEN_CHAT_PARAM) === 'open');
  const [draft, setDraft] = useState('');
  const [announcement, setAnnouncement] = useState('');
  const panelId = useId();
  const titleId = useId();
  const launcherRef = useRef<HTMLButtonElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const logRef = useRef<HTMLDivElement>(null);
  const session = useChatSession(supabase, isOpen);
  const { state, contextStatus } = session;
  const context = contextStatus.kind === 'ready' ? contextStatus.context : null;
  // Live only while the chat is open; every (re)join re-checks the offered slots (onResync).
  const realtime = useChatbotRealtimeSync({
    clinicId: isOpen && context ? context.clinicId : null,
    onSlotsChanged: session.recheckNear,
    onResync: session.recheckAll,
  });

  // Drop ?chat=open from the address so a reload or a shared link does not pop the chat open.
  useEffect(() => {
    const params = new URLSearchParams(window.location.search);
    if (params.get(OPEN_CHAT_PARAM) !== 'open') return;
    params.delete(OPEN_CHAT_PARAM);
    const search = params.toString();
    window.history.replaceState(
      window.history.state,
      '',
      `${window.location.pathname}${search ? `?${search}` : ''}${window.location.hash}`,
    );
  }, []);

  useEffect(() => {
    if (isOpen) inputRef.current?.focus();
  }, [isOpen]);

  // Keep the newest message in view.
  const messageCount = state.messages.length;
  useEffect(() => {
    const log = logRef.current;
    if (log) log.scrollTop = log.scrollHeight;
  }, [messageCount, isOpen, state.isThinking]);

  // Announce slots that were just taken (the log itself only announces new messages).
  const previousStatuses = useRef<Record<string, TShownSlot['status']>>({});
  useEffect(() => {
    const justTaken = Object.values(state.slots).filter(
      (slot) => slot.status === 'taken' && previousStatuses.current[slot.key] === 'available',
    );
    previousStatuses.current = Object.fromEntries(
      Object.values(state.slots).map((slot) => [slot.key, slot.status]),
    );
    if (justTaken.length > 0)
      setAnnouncement(`Just taken by someone else: ${justTaken.map((slot) => slot.label).join('; ')}.`);
  }, [state.slots]);

  const close = useCallback(() => {
    setIsOpen(false);
    launcherRef.current?.focus();
  }, []);

  const submit = (text: string) => {
    if (!text.trim() || state.isThinking || !context) return;
    setDraft('');
    void session.send(text);
  };

  const heldSlot = state.hold ? state.slots[state.hold.slotKey] : undefined;

  return (
    <>
      <button
        ref={launcherRef}
        type="button"
        aria-expanded={isOpen}
        aria-controls={panelId}
        onClick={() => (isOpen ? close() : setIsOpen(true))}
        className="fixed right-4 bottom-4 z-40 inline-flex items-center gap-2 rounded-full bg-brand-600 px-4 py-3 text-sm font-semibold text-white shadow-lg hover:bg-brand-700 sm:right-6 sm:bottom-6"
      >
        <ChatIcon />
        <span>{isOpen ? 'Close chat' : 'Book by chat'}</span>
      </button>

      <div
        id={panelId}
        role="dialog"
        aria-modal="false"
        aria-labelledby={titleId}
        hidden={!isOpen}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.stopPropagation();
            close();
          }
        }}
        className="fixed inset-x-2 bottom-20 z-40 flex max-h-[calc(100dvh-6rem)] flex-col overflow-hidden rounded-2xl border border-slate-200 bg-white shadow-2xl data-[open=false]:hidden sm:inset-x-auto sm:right-6 sm:bottom-24 sm:h-[36rem] sm:w-[24rem]"
        data-open={isOpen}
      >
        <header className="flex items-start justify-between gap-2 border-b border-slate-200 px-4 py-3">
          <div>
            <h2 id={titleId} className="text-base font-semibold">
              Booking assistant
            </h2>
            <p className="text-xs text-slate-500">
              {context
                ? `${context.clinicName} · times in ${context.timeZone}`
                : 'Ask for a time in your own words'}
            </p>
            {context ? (
              <p
                className="mt-0.5 flex items-center gap-1.5 text-xs text-slate-500"
                data-testid="chat-live-status"
              >
                <span
                  aria-hidden
                  className={`size-2 rounded-full ${realtime.isConnected ? 'bg-emerald-500' : 'bg-amber-400'}`}
                />
                {realtime.isConnected ? 'Live: taken times update instantly' : 'Connecting for live updates…'}
              </p>
            ) : null}
          </div>
          <button
            type="button"
            onClick={close}
            aria-label="Close chat"
            className="rounded-md p-1.5 text-slate-500 hover:bg-slate-100 hover:text-slate-800"
          >
            <CloseIcon />
          </button>
        </header>

        <div
          ref={logRef}
          role="log"
          aria-live="polite"
          aria-relevant="additions"
          aria-label="Conversation"
          className="min-h-40 flex-1 space-y-3 overflow-y-auto px-4 py-3"
        >
          <BotBubble>
            Hi! Tell me what you need and when — for example “a check-up tomorrow afternoon” or “cleaning with
            Dr. Lee next week”.
          </BotBubble>
          {state.messages.map((message) => (
            <Message
              key={message.id}
              message={message}
              slots={state.slots}
              heldKey={state.hold?.slotKey ?? null}
              pendingKey={state.hold?.phase === 'holding' ? state.hold.slotKey : null}
              onChoose={(key) => void session.chooseSlot(key)}
              signInHref={signInHref(pathname)}
            />
          ))}
          {state.isThinking ? <TypingIndicator /> : null}
        </div>
        <p aria-live="assertive" className="sr-only">
          {announcement}
        </p>

        {contextStatus.kind === 'loading' || (contextStatus.kind === 'idle' && isOpen) ? (
          <ContextSkeleton />
        ) : null}
        {contextStatus.kind === 'error' ? (
          <div
            role="alert"
            className="flex items-center justify-between gap-2 border-t border-red-200 bg-red-50 px-4 py-2 text-sm text-red-800"
          >
            <span>{contextStatus.message}</span>
            <button
              type="button"
              onClick={session.retryContext}
              className="rounded-md px-2 py-1 font-semibold underline-offset-2 hover:underline"
            >
              Try again
            </button>
          </div>
        ) : null}

        {state.hold && state.hold.phase !== 'holding' && heldSlot && context ? (
          <HoldCard
            hold={state.hold}
            slot={heldSlot}
            timeZone={context.timeZone}
            onConfirm={() => void session.confirmBooking()}
            onCancel={() => void session.cancelHold()}
            onExpire={session.expireHold}
          />
        ) : null}

        {context ? (
          <div
            className="flex gap-2 overflow-x-auto border-t border-slate-100 px-4 pt-2"
            aria-label="Suggestions"
            role="group"
          >
            {state.quickReplies.map((reply) => (
              <button
                key={reply}
                type="button"
                disabled={state.isThinking}
                onClick={() => submit(reply)}
                className="shrink-0 rounded-full border border-brand-200 bg-brand-50 px-3 py-1 text-xs font-medium text-brand-900 hover:bg-brand-100 disabled:opacity-60"
              >
                {reply}
              </button>
            ))}
          </div>
        ) : null}

        <form
          className="flex gap-2 px-4 py-3"
          onSubmit={(event) => {
            event.preventDefault();
            submit(draft);
          }}
        >
          <label htmlFor={`${panelId}-input`} className="sr-only">
            Your message
          </label>
          <input
            id={`${panelId}-input`}
            ref={inputRef}
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            placeholder="e.g. any check-up tomorrow afternoon?"
            autoComplete="off"
            maxLength={300}
            className="min-w-0 flex-1 rounded-lg border border-slate-300 px-3 py-2 text-base sm:text-sm"
          />
          <button
            type="submit"
            disabled={!context || state.isThinking || draft.trim() === ''}
            className="rounded-lg bg-brand-600 px-3 py-2 text-sm font-semibold text-white hover:bg-brand-700 disabled:bg-brand-600/60"
          >
            Send
          </button>
        </form>
      </div>
    </>
  );
}

function Message({
  message,
  slots,
  heldKey,
  pendingKey,
  onChoose,
  signInHref: href,
}: {
  message: TChatMessage;
  slots: Readonly<Record<string, TShownSlot>>;
  heldKey: string | null;
  pendingKey: string | null;
  onChoose: (key: string) => void;
  signInHref: string;
}) {
  if (message.role === 'user') {
    return (
      <p className="ml-auto w-fit max-w-[85%] rounded-2xl rounded-br-sm bg-brand-600 px-3 py-2 text-sm text-white">
        <span className="sr-only">You: </span>
        {message.text}
      </p>
    );
  }
  switch (message.kind) {
    case 'text':
      return <BotBubble tone={message.tone}>{message.text}</BotBubble>;
    case 'sign_in':
      return (
        <BotBubble>
          {message.text}{' '}
          <Link href={href} className="font-semibold text-brand-700 underline underline-offset-2">
            Sign in to book
          </Link>
        </BotBubble>
      );
    case 'booked':
      return (
        <BotBubble tone="success">
          {message.text}{' '}
          <Link href={ROUTES.patient} className="font-semibold underline underline-offset-2">
            My appointments
          </Link>
        </BotBubble>
      );
    case 'slots':
      return (
        <div className="space-y-2">
          <BotBubble>{message.text}</BotBubble>
          <ul className="space-y-1.5" aria-label="Offered times">
            {message.slotKeys.map((key) => {
              const slot = slots[key];
              return slot ? (
                <SlotButton
                  key={key}
                  slot={slot}
                  isHeld={heldKey === key}
                  isPending={pendingKey === key}
                  onChoose={onChoose}
                />
              ) : null;
            })}
          </ul>
        </div>
      );
  }
}

function SlotButton({
  slot,
  isHeld,
  isPending,
  onChoose,
}: {
  slot: TShownSlot;
  isHeld: boolean;
  isPending: boolean;
  onChoose: (key: string) => void;
}) {
  const isAvailable = slot.status === 'available';
  const statusText = isHeld ? 'Reserved' : isPending ? 'Holding…' : SLOT_STATUS_TEXT[slot.status];
  return (
    <li>
      <button
        type="button"
        onClick={() => onChoose(slot.key)}
        aria-disabled={!isAvailable}
        data-status={slot.status}
        data-start={slot.start}
        data-dentist-id={slot.dentist_id}
        data-service-id={slot.serviceId}
        aria-label={`${slot.serviceName}, ${slot.label}${isAvailable ? '' : ` — ${SLOT_STATUS_TEXT[slot.status].toLowerCase()}`}`}
        className={`flex w-full items-center justify-between gap-2 rounded-lg border px-3 py-2 text-left text-sm transition-colors ${
          isAvailable
            ? isHeld
              ? 'border-brand-600 bg-brand-50 text-slate-900'
              : 'border-slate-200 bg-white text-slate-900 hover:border-brand-500 hover:bg-brand-50'
            : 'cursor-not-allowed border-amber-200 bg-amber-50 text-slate-500'
        }`}
      >
        <span className={isAvailable ? '' : 'line-through'}>{slot.label}</span>
        {/* Fixed width: the status can change live without moving anything. */}
        <span
          className={`w-20 shrink-0 text-right text-xs font-semibold ${isAvailable ? 'text-brand-700' : 'text-amber-800'}`}
        >
          {statusText}
        </span>
      </button>
    </li>
  );
}

const BUBBLE_TONES = {
  info: 'bg-slate-100 text-slate-900',
  error: 'bg-red-50 text-red-900 ring-1 ring-red-200',
  success: 'bg-emerald-50 text-emerald-900 ring-1 ring-emerald-200',
} as const;

function BotBubble({
  children,
  tone = 'info',
}: {
  children: React.ReactNode;
  tone?: keyof typeof BUBBLE_TONES;
}) {
  return (
    <p className={`w-fit max-w-[90%] rounded-2xl rounded-bl-sm px-3 py-2 text-sm ${BUBBLE_TONES[tone]}`}>
      {children}
    </p>
  );
}

function TypingIndicator() {
  return (
    <p
      className="flex w-fit items-center gap-1 rounded-2xl bg-slate-100 px-3 py-2.5"
      aria-label="Looking for times"
    >
      <span className="size-1.5 animate-pulse rounded-full bg-slate-500" />
      <span className="size-1.5 animate-pulse rounded-full bg-slate-500 [animation-delay:150ms]" />
      <span className="size-1.5 animate-pulse rounded-full bg-slate-500 [animation-delay:300ms]" />
    </p>
  );
}

function ContextSkeleton() {
  return (
    <div
      aria-busy="true"
      aria-label="Loading the clinic's services and hours"
      className="flex gap-2 border-t border-slate-100 px-4 pt-2"
    >
      <span className="h-6 w-28 animate-pulse rounded-full bg-slate-200" />
      <span className="h-6 w-20 animate-pulse rounded-full bg-slate-200" />
      <span className="h-6 w-24 animate-pulse rounded-full bg-slate-200" />
    </div>
  );
}

function ChatIcon() {
  return (
    <svg
      aria-hidden
      viewBox="0 0 24 24"
      className="size-5"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.4A8 8 0 1 1 21 12Z" />
    </svg>
  );
}

function CloseIcon() {
  return (
    <svg
      aria-hidden
      viewBox="0 0 24 24"
      className="size-5"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
    >
      <path d="M6 6l12 12M18 6 6 18" />
    </svg>
  );
}
