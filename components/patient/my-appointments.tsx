'use client';

import Link from 'next/link';
import { useCallback, useEffect, useRef, useState } from 'react';
import { toast } from 'sonner';
import { useRealtimeAppointments } from '@/hooks/use-realtime-appointments';
import { useSupabase } from '@/hooks/use-supabase';
import { cancelAppointment } from '@/lib/data/slots';
import { PATIENT_CHANGEABLE_STATUSES, type TAppointmentStatus } from '@/lib/domain/appointments';
import type { TAppointmentRow } from '@/lib/realtime';
import { formatDateTime, formatTime, zoneLabel } from './format';
import { ReschedulePanel } from './reschedule-panel';
import { StatusBadge, STATUS_LABELS } from './status-badge';
import type { TPatientContext } from './types';
import { useNow } from './use-now';

/** How long a row stays highlighted after a live change. */
const HIGHLIGHT_MS = 4_000;
const HOUR_MS = 3_600_000;

type TPanel = { id: string; kind: 'cancel' | 'reschedule' } | null;

function canChange(row: TAppointmentRow, now: number): boolean {
  return (
    (PATIENT_CHANGEABLE_STATUSES as readonly TAppointmentStatus[]).includes(row.status) &&
    Date.parse(row.starts_at) > now
  );
}

/**
 * The patient's appointments, upcoming and past, with live status from their private topic. Upcoming
 * visits can be cancelled (with the late-cancel warning inside the clinic's cutoff) or moved.
 */
export function MyAppointments({
  context,
  highlightId = null,
  limit,
}: {
  context: TPatientContext;
  highlightId?: string | null;
  limit?: number;
}) {
  const client = useSupabase();
  const { clinic, services, dentists, userId } = context;
  const tz = clinic.timezone;
  const now = useNow();
  const [panel, setPanel] = useState<TPanel>(null);
  const [highlighted, setHighlighted] = useState<Record<string, number>>(() =>
    highlightId ? { [highlightId]: Date.now() } : {},
  );
  // Changes this tab made itself are confirmed by its own toast; the live echo should not toast again.
  const ownChanges = useRef(new Set<string>());

  const serviceName = useCallback(
    (id: string) => services.find((s) => s.id === id)?.name ?? 'Appointment',
    [services],
  );
  const dentistName = useCallback(
    (id: string) => dentists.find((d) => d.id === id)?.name ?? 'your dentist',
    [dentists],
  );

  const highlight = useCallback(
    (id: string) => setHighlighted((prev) => ({ ...prev, [id]: Date.now() })),
    [],
  );

  const { data, isLoading, error, refetch } = useRealtimeAppointments(
    { userId, role: 'patient' },
    {
      onInsert: (row) => {
        highlight(row.id);
        if (!ownChanges.current.delete(`${row.id}:${row.version}`))
          toast.info(
            `New appointment: ${serviceName(row.service_id)}, ${formatDateTime(row.starts_at, tz)}.`,
          );
      },
      onUpdate: (row, old) => {
        highlight(row.id);
        if (ownChanges.current.delete(`${row.id}:${row.version}`)) return;
        if (old && old.starts_at !== row.starts_at)
          toast.info(`Your ${serviceName(row.service_id)} moved to ${formatDateTime(row.starts_at, tz)}.`);
        else if (!old || old.status !== row.status)
          toast.info(
            `Your ${serviceName(row.service_id)} on ${formatDateTime(row.starts_at, tz)} is now ${STATUS_LABELS[row.status].toLowerCase()}.`,
          );
      },
      onCancel: (row) => {
        highlight(row.id);
        if (!ownChanges.current.delete(`${row.id}:${row.version}`))
          toast.warning(
            `Your ${serviceName(row.service_id)} on ${formatDateTime(row.starts_at, tz)} was cancelled.`,
          );
      },
    },
  );

  // Highlights fade on their own.
  useEffect(() => {
    const ids = Object.keys(highlighted);
    if (ids.length === 0) return;
    const timer = setTimeout(() => {
      setHighlighted((prev) =>
        Object.fromEntries(Object.entries(prev).filter(([, at]) => Date.now() - at < HIGHLIGHT_MS)),
      );
    }, HIGHLIGHT_MS);
    return () => clearTimeout(timer);
  }, [highlighted]);

  const upcoming = data.filter((row) => Date.parse(row.ends_at) > now);
  const past = [...data.filter((row) => Date.parse(row.ends_at) <= now)].reverse();
  const shownUpcoming = limit ? upcoming.slice(0, limit) : upcoming;

  async function cancel(row: TAppointmentRow) {
    const result = await cancelAppointment(client, { appointmentId: row.id, expectedVersion: row.version });
    // A cancellation we cannot read the answer of still happened: only a refused request is a failure.
    if (!result.ok && result.error.kind === 'request') {
      const failure = result.error;
      toast.error(failure.message);
      if (
        failure.code === 'stale_version' ||
        failure.code === 'not_found' ||
        failure.code === 'invalid_transition'
      )
        void refetch();
      return false;
    }
    if (result.ok) ownChanges.current.add(`${row.id}:${result.data.version}`);
    setPanel(null);
    toast.success(
      result.ok && result.data.status === 'late_cancel'
        ? 'Appointment cancelled (recorded as a late cancellation).'
        : 'Appointment cancelled.',
    );
    void refetch();
    return true;
  }

  function renderRow(row: TAppointmentRow, isPast: boolean) {
    const isHighlighted = highlighted[row.id] !== undefined;
    const isChangeable = !isPast && canChange(row, now);
    const open = panel?.id === row.id ? panel.kind : null;
    const isLate = Date.parse(row.starts_at) - now < clinic.cancellationCutoffHours * HOUR_MS;
    return (
      <li
        key={row.id}
        data-appointment-id={row.id}
        className={`rounded-2xl border bg-white p-4 shadow-sm transition-shadow duration-500 sm:p-5 ${isHighlighted ? 'border-amber-300 ring-2 ring-amber-300' : 'border-slate-200'}`}
      >
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0">
            <p className="font-semibold">
              {formatDateTime(row.starts_at, tz)}–{formatTime(row.ends_at, tz)}
            </p>
            <p className="text-sm text-slate-600">
              {serviceName(row.service_id)} with {dentistName(row.dentist_id)}
            </p>
          </div>
          <StatusBadge status={row.status} />
        </div>
        {isChangeable ? (
          <div className="mt-3 flex flex-wrap gap-2">
            <button
              type="button"
              aria-expanded={open === 'reschedule'}
              onClick={() => setPanel(open === 'reschedule' ? null : { id: row.id, kind: 'reschedule' })}
              className="rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-semibold text-slate-800 hover:bg-slate-50"
            >
              Reschedule
            </button>
            <button
              type="button"
              aria-expanded={open === 'cancel'}
              onClick={() => setPanel(open === 'cancel' ? null : { id: row.id, kind: 'cancel' })}
              className="rounded-lg border border-rose-200 px-3 py-1.5 text-sm font-semibold text-rose-700 hover:bg-rose-50"
            >
              Cancel
            </button>
          </div>
        ) : null}
        {open === 'cancel' ? (
          <CancelPanel
            isLate={isLate}
            cutoffHours={clinic.cancellationCutoffHours}
            onConfirm={() => cancel(row)}
            onClose={() => setPanel(null)}
          />
        ) : null}
        {open === 'reschedule' ? (
          <ReschedulePanel
            context={context}
            appointment={row}
            onDone={(version) => {
              ownChanges.current.add(`${row.id}:${version}`);
              setPanel(null);
              highlight(row.id);
              void refetch();
            }}
            onClose={() => setPanel(null)}
          />
        ) : null}
      </li>
    );
  }

  return (
    <div className="grid gap-8">
      <section aria-labelledby="upcoming-heading" aria-busy={isLoading}>
        <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="upcoming-heading" className="text-lg font-semibold">
            Upcoming
          </h2>
          <span className="text-xs text-slate-500">Times in {zoneLabel(tz)}</span>
        </div>
        {error && !isLoading ? (
          <div
            role="alert"
            className="mb-3 rounded-lg border border-rose-200 bg-rose-50 p-3 text-sm text-rose-800"
          >
            We could not load your appointments.{' '}
            <button type="button" onClick={() => void refetch()} className="font-semibold underline">
              Try again
            </button>
          </div>
        ) : null}
        {isLoading ? (
          <div className="grid gap-3" aria-label="Loading appointments">
            {[0, 1].map((i) => (
              <div key={i} className="h-24 animate-pulse rounded-2xl bg-slate-200/70" />
            ))}
          </div>
        ) : shownUpcoming.length === 0 ? (
          <div className="rounded-2xl border border-dashed border-slate-300 bg-white p-6 text-center">
            <p className="text-slate-600">No upcoming appointments.</p>
            <Link
              href="/patient/book"
              className="mt-3 inline-block rounded-lg bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700"
            >
              Book an appointment
            </Link>
          </div>
        ) : (
          <ul className="grid gap-3" aria-label="Upcoming appointments">
            {shownUpcoming.map((row) => renderRow(row, false))}
          </ul>
        )}
        {limit && upcoming.length > limit ? (
          <Link
            href="/patient/appointments"
            className="mt-3 inline-block text-sm font-semibold text-brand-700 underline"
          >
            See all {upcoming.length} upcoming appointments
          </Link>
        ) : null}
      </section>
      {limit ? null : (
        <section aria-labelledby="past-heading">
          <h2 id="past-heading" className="mb-3 text-lg font-semibold">
            Past
          </h2>
          {isLoading ? null : past.length === 0 ? (
            <p className="text-sm text-slate-600">No past appointments yet.</p>
          ) : (
            <ul className="grid gap-3" aria-label="Past appointments">
              {past.map((row) => renderRow(row, true))}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}

function CancelPanel({
  isLate,
  cutoffHours,
  onConfirm,
  onClose,
}: {
  isLate: boolean;
  cutoffHours: number;
  onConfirm: () => Promise<boolean>;
  onClose: () => void;
}) {
  const [isBusy, setIsBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <div
      role="region"
      aria-labelledby="cancel-heading"
      className="mt-4 rounded-xl border border-rose-200 bg-rose-50/60 p-4"
    >
      <h3 id="cancel-heading" ref={heading} tabIndex={-1} className="font-semibold text-rose-900">
        Cancel this appointment?
      </h3>
      {isLate ? (
        <p role="alert" className="mt-1 text-sm text-rose-900">
          Your visit is less than {cutoffHours} hours away, so this will be recorded as a{' '}
          <strong>late cancellation</strong>.
        </p>
      ) : (
        <p className="mt-1 text-sm text-slate-700">The time will be offered to other patients.</p>
      )}
      <div className="mt-3 flex flex-wrap gap-2">
        <button
          type="button"
          disabled={isBusy}
          onClick={async () => {
            setIsBusy(true);
            const ok = await onConfirm();
            if (!ok) setIsBusy(false);
          }}
          className="rounded-lg bg-rose-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-rose-700 disabled:cursor-wait disabled:opacity-70"
        >
          {isBusy ? 'Cancelling…' : 'Yes, cancel appointment'}
        </button>
        <button
          type="button"
          onClick={onClose}
          className="rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-semibold text-slate-800 hover:bg-slate-50"
        >
          Keep it
        </button>
      </div>
    </div>
  );
}
