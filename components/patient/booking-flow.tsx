'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useRef, useState } from 'react';
import { toast } from 'sonner';
import { useSupabase } from '@/hooks/use-supabase';
import { bookAppointment, holdSlot, releaseHold } from '@/lib/data/slots';
import type { TAvailableSlot } from '@/lib/domain/appointments';
import type { TSchedulingError } from '@/lib/domain/errors';
import { instantToLocal, localDayBounds } from '@/lib/scheduling/time-zone';
import { ALTERNATIVES_SEARCH_DAYS, pickNearestSlots } from './alternatives';
import { DateStrip } from './date-strip';
import {
  formatCountdown,
  formatDateTime,
  formatLocalDate,
  formatTime,
  nextLocalDates,
  zoneLabel,
} from './format';
import { SlotGrid } from './slot-grid';
import { fetchAvailableSlots, type THold } from './slots-api';
import type { TPatientContext } from './types';
import { useCountdown } from './use-countdown';
import { useLiveSlots, type TSlotCell } from './use-live-slots';

/** Days offered in the date strip (at least two weeks, capped by the clinic's booking horizon). */
export const BOOKING_DAYS_SHOWN = 21;
export const APPOINTMENTS_PATH = '/patient/appointments';
const ANY_DENTIST = 'any';

type TWanted = { start: string; dentistId: string | null };

type TPhase =
  | { kind: 'choosing' }
  | { kind: 'holding'; wanted: TWanted }
  | { kind: 'held'; hold: THold; dentistName: string; deadline: number; idempotencyKey: string }
  | { kind: 'booking'; hold: THold; dentistName: string; deadline: number; idempotencyKey: string }
  | { kind: 'taken'; wanted: TWanted; message: string; alternatives: TAvailableSlot[] | null }
  | { kind: 'failed'; error: TSchedulingError };

/**
 * Book a visit: treatment → dentist (or any) → day (clinic zone) → a live grid of free times → hold with a
 * countdown → confirm. Losing a race at any step shows "just taken" with the nearest free alternatives.
 */
export function BookingFlow({ context }: { context: TPatientContext }) {
  const client = useSupabase();
  const router = useRouter();
  const { clinic, services, dentists } = context;
  const tz = clinic.timezone;

  const [serviceId, setServiceId] = useState<string | null>(services.length === 1 ? services[0].id : null);
  const [dentistChoice, setDentistChoice] = useState<string>(ANY_DENTIST);
  const [dates] = useState(() =>
    nextLocalDates(new Date(), tz, Math.min(BOOKING_DAYS_SHOWN, clinic.bookingHorizonDays)),
  );
  const [date, setDate] = useState<string | null>(null);
  const [phase, setPhase] = useState<TPhase>({ kind: 'choosing' });
  const [announcement, setAnnouncement] = useState('');

  const service = services.find((s) => s.id === serviceId) ?? null;
  const offering = useMemo(
    () => dentists.filter((d) => serviceId !== null && d.serviceIds.includes(serviceId)),
    [dentists, serviceId],
  );
  const dentistId = dentistChoice === ANY_DENTIST ? null : dentistChoice;
  const slots = useLiveSlots({ clinicId: clinic.id, serviceId, dentistId, date, timeZone: tz });

  // Release a hold nobody confirmed when the page goes away (best effort; it lapses by itself anyway).
  const activeHoldId = useRef<string | null>(null);
  useEffect(() => {
    activeHoldId.current = phase.kind === 'held' || phase.kind === 'booking' ? phase.hold.id : null;
  }, [phase]);
  useEffect(
    () => () => {
      if (activeHoldId.current) void releaseHold(client, activeHoldId.current);
    },
    [client],
  );

  const remaining = useCountdown(
    phase.kind === 'held' || phase.kind === 'booking' ? phase.deadline : null,
    clinic.holdMinutes * 60_000,
  );
  const isHoldLapsed = phase.kind === 'held' && remaining === 0;

  function resetSelection(next: { serviceId?: string; dentist?: string; date?: string }) {
    if (phase.kind === 'held') void releaseHold(client, phase.hold.id);
    if (next.serviceId !== undefined) {
      setServiceId(next.serviceId);
      setDentistChoice(ANY_DENTIST);
    }
    if (next.dentist !== undefined) setDentistChoice(next.dentist);
    if (next.date !== undefined) setDate(next.date);
    setPhase({ kind: 'choosing' });
  }

  async function showTaken(wanted: TWanted, message: string) {
    setPhase({ kind: 'taken', wanted, message, alternatives: null });
    setAnnouncement(message);
    void slots.refetch();
    if (!serviceId) return;
    try {
      const day = localDayBounds(formatDayOf(wanted.start), tz);
      const to = new Date(day.start.getTime() + ALTERNATIVES_SEARCH_DAYS * 86_400_000).toISOString();
      const free = await fetchAvailableSlots(client, {
        clinicId: clinic.id,
        serviceId,
        dentistId,
        from: day.start.toISOString(),
        to,
      });
      const alternatives = pickNearestSlots(free, {
        start: wanted.start,
        timeZone: tz,
        excludeStart: wanted.start,
      });
      setPhase((current) =>
        current.kind === 'taken' && current.wanted.start === wanted.start
          ? { ...current, alternatives }
          : current,
      );
    } catch {
      setPhase((current) =>
        current.kind === 'taken' && current.wanted.start === wanted.start
          ? { ...current, alternatives: [] }
          : current,
      );
    }
  }

  function formatDayOf(iso: string): string {
    return instantToLocal(new Date(iso), tz).date;
  }

  async function hold(start: string, dentistForSlot: string, dentistName: string) {
    if (!serviceId) return;
    const wanted = { start, dentistId };
    setPhase({ kind: 'holding', wanted });
    const held = await holdSlot(client, { dentistId: dentistForSlot, serviceId, start });
    if (!held.ok && held.error.kind === 'request') {
      const failure = held.error;
      if (failure.code === 'slot_taken')
        return showTaken(wanted, 'Sorry, that time was just taken by someone else.');
      setPhase({ kind: 'failed', error: failure });
      setAnnouncement(failure.message);
      void slots.refetch();
      return;
    }
    if (!held.ok) {
      setPhase({ kind: 'failed', error: held.error });
      return;
    }
    // The countdown runs on this device's clock from now: the clinic's hold length, not the server's
    // timestamp, so a skewed device clock cannot show a wrong time left.
    const deadline = Date.now() + clinic.holdMinutes * 60_000;
    setPhase({ kind: 'held', hold: held.data, dentistName, deadline, idempotencyKey: crypto.randomUUID() });
    setAnnouncement(
      `${formatDateTime(start, tz)} is reserved for you for ${clinic.holdMinutes} minutes. Confirm to book it.`,
    );
  }

  function pickCell(cell: TSlotCell) {
    if (cell.isTaken) {
      void showTaken({ start: cell.start, dentistId }, 'Sorry, that time was just taken by someone else.');
      return;
    }
    const dentist = cell.dentists[0];
    if (!dentist) return;
    void hold(cell.start, dentist.id, dentist.name);
  }

  function pickAlternative(slot: TAvailableSlot) {
    setDate(formatDayOf(slot.start));
    void hold(slot.start, slot.dentist_id, slot.dentist_name);
  }

  async function confirm() {
    if (phase.kind !== 'held' || !serviceId) return;
    const { hold: held, idempotencyKey, dentistName } = phase;
    setPhase({ ...phase, kind: 'booking' });
    const booked = await bookAppointment(client, {
      dentistId: held.dentist_id,
      serviceId,
      start: held.starts_at,
      holdId: held.id,
      idempotencyKey,
    });
    // A booked answer we cannot read is still a booking: only a refused request is a failure.
    if (!booked.ok && booked.error.kind === 'request') {
      const failure = booked.error;
      const wanted = { start: held.starts_at, dentistId };
      if (failure.code === 'slot_taken')
        return showTaken(wanted, 'Sorry, that time was just taken by someone else.');
      if (failure.code === 'unexpected') {
        // Maybe only the answer was lost: the same idempotency key makes a retry safe.
        setPhase({ ...phase, kind: 'held' });
        toast.error(failure.message);
        return;
      }
      setPhase({ kind: 'failed', error: failure });
      setAnnouncement(failure.message);
      void slots.refetch();
      return;
    }
    activeHoldId.current = null;
    const when = formatDateTime(booked.ok ? booked.data.starts_at : held.starts_at, tz);
    toast.success(`Booked: ${service?.name ?? 'your visit'} with ${dentistName}, ${when} (${tz}).`);
    router.push(`${APPOINTMENTS_PATH}${booked.ok ? `?booked=${booked.data.id}` : ''}`);
  }

  function cancelHold() {
    if (phase.kind === 'held') void releaseHold(client, phase.hold.id);
    setPhase({ kind: 'choosing' });
    setAnnouncement('Reservation released.');
  }

  const isBusy = phase.kind === 'holding' || phase.kind === 'booking';
  const selectedStart =
    phase.kind === 'held' || phase.kind === 'booking'
      ? phase.hold.starts_at
      : phase.kind === 'holding'
        ? phase.wanted.start
        : null;

  return (
    <div className="grid min-w-0 gap-8 lg:grid-cols-[minmax(0,1fr)_20rem]">
      <div className="flex min-w-0 flex-col gap-8">
        <p className="sr-only" aria-live="polite">
          {announcement}
        </p>
        <fieldset className="grid gap-3">
          <legend className="mb-3 text-lg font-semibold">1. Treatment</legend>
          <div className="grid gap-3 sm:grid-cols-2">
            {services.map((s) => (
              <label
                key={s.id}
                className={`flex cursor-pointer gap-3 rounded-xl border bg-white p-4 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-brand-600 ${
                  s.id === serviceId
                    ? 'border-brand-600 ring-1 ring-brand-600'
                    : 'border-slate-200 hover:border-brand-500'
                }`}
              >
                <input
                  type="radio"
                  name="service"
                  value={s.id}
                  checked={s.id === serviceId}
                  onChange={() => resetSelection({ serviceId: s.id })}
                  className="mt-1 accent-brand-600"
                />
                <span>
                  <span className="block font-medium">{s.name}</span>
                  <span className="block text-sm text-slate-600">
                    {s.durationMinutes} min{s.description ? ` · ${s.description}` : ''}
                  </span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>

        {service ? (
          <fieldset>
            <legend className="mb-3 text-lg font-semibold">2. Dentist</legend>
            <div className="flex flex-wrap gap-2">
              {[{ id: ANY_DENTIST, name: 'Any dentist' }, ...offering].map((d) => (
                <label
                  key={d.id}
                  className={`flex cursor-pointer items-center gap-2 rounded-full border bg-white px-4 py-2 text-sm has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-brand-600 ${
                    dentistChoice === d.id
                      ? 'border-brand-600 ring-1 ring-brand-600'
                      : 'border-slate-200 hover:border-brand-500'
                  }`}
                >
                  <input
                    type="radio"
                    name="dentist"
                    value={d.id}
                    checked={dentistChoice === d.id}
                    onChange={() => resetSelection({ dentist: d.id })}
                    className="accent-brand-600"
                  />
                  {d.name}
                </label>
              ))}
            </div>
          </fieldset>
        ) : null}

        {service ? (
          <section aria-labelledby="day-heading">
            <h2 id="day-heading" className="mb-1 text-lg font-semibold">
              3. Day
            </h2>
            <p className="mb-3 text-sm text-slate-600">
              Times are in the clinic’s time zone, {zoneLabel(tz)}.
            </p>
            <DateStrip
              dates={dates}
              selected={date}
              onSelect={(d) => resetSelection({ date: d })}
              label="Choose a day"
            />
          </section>
        ) : null}

        {service && date ? (
          <section aria-labelledby="time-heading">
            <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
              <h2 id="time-heading" className="text-lg font-semibold">
                4. Time on {formatLocalDate(date)}
              </h2>
              <span className="text-xs text-slate-500">
                {slots.status === 'connected' ? 'Times update live as others book.' : 'Checking for changes…'}
              </span>
            </div>
            {slots.error ? (
              <div
                role="alert"
                className="mb-3 rounded-lg border border-rose-200 bg-rose-50 p-3 text-sm text-rose-800"
              >
                We could not load the free times.{' '}
                <button
                  type="button"
                  className="font-semibold underline"
                  onClick={() => void slots.refetch()}
                >
                  Try again
                </button>
              </div>
            ) : null}
            <SlotGrid
              cells={slots.cells}
              timeZone={tz}
              isLoading={slots.isLoading}
              selectedStart={selectedStart}
              showDentist={dentistId === null}
              onPick={pickCell}
              disabled={isBusy}
            />
          </section>
        ) : null}
      </div>

      <aside aria-label="Your booking" className="lg:sticky lg:top-24 lg:self-start">
        <BookingSummary
          phase={phase}
          serviceName={service?.name ?? null}
          timeZone={tz}
          remaining={remaining}
          isHoldLapsed={isHoldLapsed}
          onConfirm={() => void confirm()}
          onCancelHold={cancelHold}
          onPickAlternative={pickAlternative}
          onDismiss={() => {
            setPhase({ kind: 'choosing' });
            void slots.refetch();
          }}
        />
      </aside>
    </div>
  );
}

function BookingSummary({
  phase,
  serviceName,
  timeZone,
  remaining,
  isHoldLapsed,
  onConfirm,
  onCancelHold,
  onPickAlternative,
  onDismiss,
}: {
  phase: TPhase;
  serviceName: string | null;
  timeZone: string;
  remaining: number | null;
  isHoldLapsed: boolean;
  onConfirm: () => void;
  onCancelHold: () => void;
  onPickAlternative: (slot: TAvailableSlot) => void;
  onDismiss: () => void;
}) {
  const box = 'rounded-2xl border bg-white p-5 shadow-sm';
  if (phase.kind === 'taken') {
    return (
      <div role="alert" className={`${box} border-amber-300`} data-testid="slot-taken">
        <h2 className="font-semibold text-amber-900">Just taken</h2>
        <p className="mt-1 text-sm text-slate-700">{phase.message}</p>
        <h3 className="mt-4 text-sm font-semibold text-slate-700">Nearest free times</h3>
        {phase.alternatives === null ? (
          <div aria-busy="true" className="mt-2 grid gap-2">
            {[0, 1, 2].map((i) => (
              <div key={i} className="h-10 animate-pulse rounded-lg bg-slate-200/70" />
            ))}
          </div>
        ) : phase.alternatives.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">
            No free times in the next two weeks. Please try another dentist or call the clinic.
          </p>
        ) : (
          <ul className="mt-2 grid gap-2" aria-label="Alternative times">
            {phase.alternatives.map((slot) => (
              <li key={`${slot.start}|${slot.dentist_id}`}>
                <button
                  type="button"
                  onClick={() => onPickAlternative(slot)}
                  className="w-full rounded-lg border border-slate-200 px-3 py-2 text-left text-sm hover:border-brand-500 hover:bg-brand-50"
                >
                  <span className="font-semibold">{formatDateTime(slot.start, timeZone)}</span>
                  <span className="block text-xs text-slate-600">with {slot.dentist_name}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
        <button
          type="button"
          onClick={onDismiss}
          className="mt-4 text-sm font-semibold text-brand-700 underline"
        >
          Back to all times
        </button>
      </div>
    );
  }
  if (phase.kind === 'failed') {
    return (
      <div role="alert" className={`${box} border-rose-200`}>
        <h2 className="font-semibold text-rose-900">That did not work</h2>
        <p className="mt-1 text-sm text-slate-700">{phase.error.message}</p>
        {phase.error.code === 'sign_in_required' ? (
          <a
            href="/sign-in?next=%2Fpatient%2Fbook"
            className="mt-3 inline-block text-sm font-semibold text-brand-700 underline"
          >
            Sign in again
          </a>
        ) : (
          <button
            type="button"
            onClick={onDismiss}
            className="mt-3 text-sm font-semibold text-brand-700 underline"
          >
            Choose a time
          </button>
        )}
      </div>
    );
  }
  if (phase.kind === 'held' || phase.kind === 'booking') {
    const isBooking = phase.kind === 'booking';
    return (
      <div className={`${box} border-brand-200`} data-testid="hold-panel">
        <h2 className="font-semibold">Reserved for you</h2>
        <p className="mt-2 text-sm text-slate-700">
          {serviceName} with {phase.dentistName}
        </p>
        <p className="text-lg font-semibold">
          {formatDateTime(phase.hold.starts_at, timeZone)}{' '}
          <span className="text-sm font-normal text-slate-600">({timeZone})</span>
        </p>
        {isHoldLapsed ? (
          <p role="alert" className="mt-3 rounded-lg bg-amber-50 p-2 text-sm text-amber-900">
            Your reservation of this time ran out. Please choose the time again.
          </p>
        ) : (
          <p className="mt-3 text-sm text-slate-600">
            Held for{' '}
            <span className="font-mono font-semibold text-slate-900" data-testid="hold-countdown">
              {formatCountdown(remaining ?? 0)}
            </span>{' '}
            — confirm to book it.
          </p>
        )}
        <div className="mt-4 grid gap-2">
          {isHoldLapsed ? (
            <button
              type="button"
              onClick={onDismiss}
              className="rounded-lg bg-brand-600 px-4 py-2.5 text-sm font-semibold text-white hover:bg-brand-700"
            >
              Choose a time again
            </button>
          ) : (
            <button
              type="button"
              onClick={onConfirm}
              disabled={isBooking}
              className="inline-grid rounded-lg bg-brand-600 px-4 py-2.5 text-sm font-semibold text-white hover:bg-brand-700 disabled:cursor-wait disabled:bg-brand-600/70"
            >
              <span className={`col-start-1 row-start-1 ${isBooking ? 'invisible' : ''}`}>
                Confirm booking
              </span>
              <span
                aria-hidden={!isBooking}
                className={`col-start-1 row-start-1 ${isBooking ? '' : 'invisible'}`}
              >
                Booking…
              </span>
            </button>
          )}
          <button
            type="button"
            onClick={onCancelHold}
            disabled={isBooking}
            className="rounded-lg border border-slate-300 px-4 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-50"
          >
            Choose another time
          </button>
        </div>
      </div>
    );
  }
  return (
    <div className={`${box} border-slate-200`}>
      <h2 className="font-semibold">Your booking</h2>
      <p className="mt-1 text-sm text-slate-600">
        {phase.kind === 'holding'
          ? `Reserving ${formatTime(phase.wanted.start, timeZone)}…`
          : serviceName
            ? 'Pick a day and a free time. We hold it for you while you confirm.'
            : 'Start by choosing a treatment.'}
      </p>
    </div>
  );
}
