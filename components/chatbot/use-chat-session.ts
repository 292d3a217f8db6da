'use client';

/**
 * The chat's behaviour in the browser: loads the clinic context, turns messages into searches, keeps
 * offered slots true (re-checks them against the slot engine whenever the availability topic says
 * something changed near them), and runs hold → confirm → book for signed-in patients.
 * Decisions live in chat-state.ts / conversation.ts; this hook only does the I/O around them.
 */
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { toSchedulingError } from '@/lib/domain/errors';
import {
  chatReducer,
  checkResults,
  initialChatState,
  planRecheck,
  slotsAffectedBy,
  type TChatState,
  type TShownSlot,
} from './chat-state';
import { ContextLoadError, loadWidgetContext, type TWidgetContext } from './clinic-context';
import { describeSearch, planTurn } from './conversation';
import { bookHeldSlot, fetchFreeSlots, holdSlot, releaseHold } from './slot-search';
import { restoreTranscript, saveTranscript } from './transcript-storage';
import type { TDb } from '@/lib/data/result';

export type TContextStatus =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'ready'; context: TWidgetContext }
  | { kind: 'error'; message: string };

const CONTEXT_ERROR_MESSAGES: Record<ContextLoadError['code'], string> = {
  no_clinic: 'Online booking is not set up for this clinic yet. Please call the clinic.',
  unavailable: 'The booking assistant cannot reach the clinic right now. Please try again in a moment.',
};

function newIdempotencyKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now()}-${Math.random()}`;
}

function bookedText(slot: TShownSlot, timeZone: string): string {
  return `You're booked: ${slot.serviceName}, ${slot.label} (${timeZone} time). You'll find it under your appointments.`;
}

export function useChatSession(supabase: TDb, isOpen: boolean) {
  const [state, dispatch] = useReducer(chatReducer, initialChatState, (initial): TChatState =>
    restoreTranscript(initial),
  );
  const [contextVersion, setContextVersion] = useState(0);
  const [loaded, setLoaded] = useState<{ version: number; status: TContextStatus } | null>(null);
  const stateRef = useRef(state);
  useEffect(() => {
    stateRef.current = state;
    saveTranscript(state);
  }, [state]);

  // The context loads when the chat is first opened, and again after a sign-in or sign-out; while it
  // reloads, the previous one stays in use.
  const shouldLoad = isOpen || loaded !== null;
  const contextStatus: TContextStatus = !shouldLoad
    ? { kind: 'idle' }
    : loaded && (loaded.version === contextVersion || loaded.status.kind === 'ready')
      ? loaded.status
      : { kind: 'loading' };
  const context = contextStatus.kind === 'ready' ? contextStatus.context : null;

  useEffect(() => {
    if (!shouldLoad) return;
    let isCurrent = true;
    const settle = (status: TContextStatus) => {
      if (isCurrent) setLoaded({ version: contextVersion, status });
    };
    loadWidgetContext(supabase).then(
      (loadedContext) => settle({ kind: 'ready', context: loadedContext }),
      (error: unknown) =>
        settle({
          kind: 'error',
          message: CONTEXT_ERROR_MESSAGES[error instanceof ContextLoadError ? error.code : 'unavailable'],
        }),
    );
    return () => {
      isCurrent = false;
    };
  }, [supabase, shouldLoad, contextVersion]);

  useEffect(() => {
    const { data } = supabase.auth.onAuthStateChange((event) => {
      if (event === 'SIGNED_IN' || event === 'SIGNED_OUT') setContextVersion((version) => version + 1);
    });
    return () => data.subscription.unsubscribe();
  }, [supabase]);

  const retryContext = useCallback(() => setContextVersion((version) => version + 1), []);

  /** Asks the slot engine again about the given shown slots and marks each available / taken. */
  const recheckSlots = useCallback(
    async (slots: readonly TShownSlot[]) => {
      if (!context || slots.length === 0) return;
      await Promise.all(
        planRecheck(slots).map(async (request) => {
          const result = await fetchFreeSlots(supabase, {
            clinicId: context.clinicId,
            serviceId: request.serviceId,
            dentistId: null,
            from: request.from,
            to: request.to,
          });
          // A failed re-check changes nothing: the next signal or resubscribe tries again.
          if (!result.ok) return;
          const checks = checkResults(request, stateRef.current.slots, result.slots, {
            now: Date.now(),
            minNoticeMinutes: context.minNoticeMinutes,
          });
          dispatch({ type: 'slots_rechecked', checks });
        }),
      );
    },
    [supabase, context],
  );

  /** Every shown slot (after a (re)subscribe or when the tab becomes visible: events may have been missed). */
  const recheckAll = useCallback(() => recheckSlots(Object.values(stateRef.current.slots)), [recheckSlots]);

  /** A `slots_changed` signal: re-check only the shown slots it can concern. */
  const recheckNear = useCallback(
    (change: { dentist_id: string; from: string | null; to: string | null }) =>
      recheckSlots(slotsAffectedBy(stateRef.current.slots, change)),
    [recheckSlots],
  );

  // Restored or offered-before-sign-in slots are checked once the context is known.
  useEffect(() => {
    if (context) void recheckAll();
  }, [context, recheckAll]);

  const send = useCallback(
    async (raw: string) => {
      const text = raw.trim();
      if (!text || !context) return;
      dispatch({ type: 'user_said', text });
      const now = new Date();
      const plan = planTurn(text, context, stateRef.current.memory, now);
      if (plan.kind === 'ask') {
        dispatch({ type: 'memory_set', memory: plan.memory });
        dispatch({ type: 'bot_said', text: plan.text, quickReplies: plan.quickReplies });
        return;
      }
      const { query } = plan;
      const dentistId = query.dentist?.kind === 'named' ? query.dentist.id : null;
      const result = await fetchFreeSlots(supabase, {
        clinicId: context.clinicId,
        serviceId: query.service.id,
        dentistId,
        from: query.fetchWindow.startsAt,
        to: query.fetchWindow.endsAt,
      });
      if (!result.ok) {
        dispatch({ type: 'bot_said', text: result.error.message, tone: 'error' });
        return;
      }
      const outcome = describeSearch(query, result.slots, new Date());
      if (outcome.kind === 'slots')
        dispatch({ type: 'slots_offered', text: outcome.text, slots: outcome.slots, memory: query });
      else {
        dispatch({ type: 'memory_set', memory: query });
        dispatch({ type: 'bot_said', text: outcome.text });
      }
    },
    [supabase, context],
  );

  const chooseSlot = useCallback(
    async (key: string) => {
      const slot = stateRef.current.slots[key];
      if (!slot || slot.status !== 'available' || !context) return;
      if (context.viewer.kind === 'anonymous') {
        dispatch({
          type: 'sign_in_invited',
          text: `To book ${slot.label}, please sign in or create an account. We'll bring you back to this chat.`,
        });
        return;
      }
      if (context.viewer.kind === 'cannot_book') {
        const text =
          context.viewer.reason === 'staff'
            ? 'Booking from the chat is for patients. Staff can book for a patient from their workspace.'
            : 'Your account is not linked to this clinic yet, so it cannot book online. Please call the clinic.';
        dispatch({ type: 'bot_said', text, tone: 'error' });
        return;
      }
      // One hold request at a time; hold_slot itself replaces the patient's previous hold.
      const previous = stateRef.current.hold;
      if (previous && previous.phase !== 'held') return;
      dispatch({ type: 'hold_requested', slotKey: key });
      const result = await holdSlot(supabase, {
        dentistId: slot.dentist_id,
        serviceId: slot.serviceId,
        start: slot.start,
      });
      if (!result.ok) {
        dispatch({ type: 'hold_failed', slotKey: key, error: result.error });
        // The session ran out since the page loaded: offer the way back in, as to a visitor.
        if (result.error.code === 'sign_in_required')
          dispatch({ type: 'sign_in_invited', text: `To book ${slot.label}, please sign in again.` });
        return;
      }
      dispatch({
        type: 'hold_granted',
        slotKey: key,
        holdId: result.hold.holdId,
        expiresAt: result.hold.expiresAt,
        idempotencyKey: newIdempotencyKey(),
      });
    },
    [supabase, context],
  );

  const cancelHold = useCallback(async () => {
    const hold = stateRef.current.hold;
    dispatch({ type: 'hold_cancelled' });
    if (hold && hold.phase === 'held') await releaseHold(supabase, hold.holdId).catch(() => undefined);
  }, [supabase]);

  const expireHold = useCallback(() => dispatch({ type: 'hold_expired' }), []);

  const confirmBooking = useCallback(async () => {
    const hold = stateRef.current.hold;
    if (!hold || hold.phase !== 'held' || !context) return;
    const slot = stateRef.current.slots[hold.slotKey];
    if (!slot) return;
    dispatch({ type: 'booking_requested' });
    try {
      const result = await bookHeldSlot(supabase, {
        dentistId: slot.dentist_id,
        serviceId: slot.serviceId,
        start: slot.start,
        holdId: hold.holdId,
        idempotencyKey: hold.idempotencyKey,
      });
      if (!result.ok) dispatch({ type: 'booking_failed', error: result.error });
      else dispatch({ type: 'booked', text: bookedText(slot, context.timeZone) });
    } catch (error) {
      dispatch({ type: 'booking_failed', error: toSchedulingError(error) });
    }
  }, [supabase, context]);

  return {
    state,
    contextStatus,
    retryContext,
    send,
    chooseSlot,
    cancelHold,
    confirmBooking,
    expireHold,
    recheckAll,
    recheckNear,
  };
}
