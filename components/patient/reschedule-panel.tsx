'use client';

import { useEffect, useRef, useState } from 'react';
import { toast } from 'sonner';
import { useSupabase } from '@/hooks/use-supabase';
import { rescheduleAppointment } from '@/lib/data/slots';
import type { TAppointmentRow } from '@/lib/realtime';
import { DateStrip } from './date-strip';
import { formatDateTime, nextLocalDates, zoneLabel } from './format';
import { SlotGrid } from './slot-grid';
import type { TPatientContext } from './types';
import { useLiveSlots, type TSlotCell } from './use-live-slots';

const RESCHEDULE_DAYS_SHOWN = 21;

type TChoice = { start: string; dentistId: string; dentistName: string };

/** Move an appointment: pick a day and a live free time (same treatment), confirm, reschedule_appointment. */
export function ReschedulePanel({
  context,
  appointment,
  onDone,
  onClose,
}: {
  context: TPatientContext;
  appointment: TAppointmentRow;
  onDone: (version: number) => void;
  onClose: () => void;
}) {
  const client = useSupabase();
  const { clinic, dentists } = context;
  const tz = clinic.timezone;
  const offering = dentists.filter((d) => d.serviceIds.includes(appointment.service_id));
  const [dentistId, setDentistId] = useState<string>(appointment.dentist_id);
  const [dates] = useState(() =>
    nextLocalDates(new Date(), tz, Math.min(RESCHEDULE_DAYS_SHOWN, clinic.bookingHorizonDays)),
  );
  const [date, setDate] = useState<string | null>(null);
  const [choice, setChoice] = useState<TChoice | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const slots = useLiveSlots({
    clinicId: clinic.id,
    serviceId: appointment.service_id,
    dentistId,
    date,
    timeZone: tz,
  });
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  // The chosen time vanished while the patient was deciding (someone else booked or held it).
  const isChoiceGone = choice !== null && !slots.isLoading && !slots.isFree(choice.start, choice.dentistId);

  function pick(cell: TSlotCell) {
    if (cell.isTaken) {
      setChoice(null);
      setMessage('Sorry, that time was just taken by someone else. Please pick another one.');
      return;
    }
    const dentist = cell.dentists[0];
    if (!dentist) return;
    setMessage(null);
    setChoice({ start: cell.start, dentistId: dentist.id, dentistName: dentist.name });
  }

  async function confirm() {
    if (!choice) return;
    setIsBusy(true);
    const moved = await rescheduleAppointment(client, {
      appointmentId: appointment.id,
      start: choice.start,
      dentistId: choice.dentistId,
      expectedVersion: appointment.version,
    });
    setIsBusy(false);
    // A move we cannot read the answer of still happened: only a refused request is a failure.
    if (!moved.ok && moved.error.kind === 'request') {
      const failure = moved.error;
      setMessage(
        failure.code === 'slot_taken'
          ? 'Sorry, that time was just taken by someone else. Please pick another one.'
          : failure.message,
      );
      setChoice(null);
      void slots.refetch();
      return;
    }
    toast.success(
      `Appointment moved to ${formatDateTime(choice.start, tz)} with ${choice.dentistName} (${tz}).`,
    );
    onDone(moved.ok ? moved.data.version : appointment.version + 1);
  }

  return (
    <div
      role="region"
      aria-labelledby={`reschedule-${appointment.id}`}
      className="mt-4 grid gap-4 rounded-xl border border-brand-200 bg-brand-50/40 p-4"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id={`reschedule-${appointment.id}`} ref={heading} tabIndex={-1} className="font-semibold">
          Move this appointment
        </h3>
        <span className="text-xs text-slate-500">Times in {zoneLabel(tz)}</span>
      </div>
      {offering.length > 1 ? (
        <label className="grid max-w-xs gap-1 text-sm">
          <span className="font-medium">Dentist</span>
          <select
            value={dentistId}
            onChange={(event) => {
              setDentistId(event.target.value);
              setChoice(null);
            }}
            className="rounded-lg border border-slate-300 bg-white px-3 py-2"
          >
            {offering.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <DateStrip
        dates={dates}
        selected={date}
        onSelect={(d) => {
          setDate(d);
          setChoice(null);
          setMessage(null);
        }}
        label="Choose a new day"
      />
      {date ? (
        <SlotGrid
          cells={slots.cells}
          timeZone={tz}
          isLoading={slots.isLoading}
          selectedStart={choice?.start ?? null}
          showDentist={false}
          onPick={pick}
          disabled={isBusy}
        />
      ) : null}
      {message || isChoiceGone ? (
        <p role="alert" className="rounded-lg bg-amber-50 p-2 text-sm text-amber-900">
          {message ?? 'Sorry, that time was just taken by someone else. Please pick another one.'}
        </p>
      ) : null}
      <div className="flex flex-wrap items-center gap-2">
        <button
          type="button"
          disabled={!choice || isBusy || isChoiceGone}
          onClick={() => void confirm()}
          className="rounded-lg bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-700 disabled:cursor-not-allowed disabled:opacity-60"
        >
          {isBusy ? 'Moving…' : choice ? `Move to ${formatDateTime(choice.start, tz)}` : 'Pick a new time'}
        </button>
        <button
          type="button"
          onClick={onClose}
          className="rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-semibold text-slate-800 hover:bg-slate-50"
        >
          Keep the current time
        </button>
      </div>
    </div>
  );
}
