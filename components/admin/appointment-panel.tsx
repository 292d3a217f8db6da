'use client';

import { useEffect, useState } from 'react';
import { ConfirmDialog } from '@/components/dentist/confirm-dialog';
import { StatusActionButton } from '@/components/dentist/status-action-button';
import {
  formatLocalDate,
  formatTime,
  formatTimeRange,
  STATUS_ACTION_LABELS,
  STATUS_LABELS,
  STATUS_STYLES,
  statusActions,
} from '@/components/dentist/staff-format';
import type { TAppointmentStatus } from '@/lib/domain/appointments';
import { listAvailableSlots, type TAvailableSlotRow } from '@/lib/data/slots';
import { isDestructiveStatus, statusOpensAt, type TStatusWindows } from '@/lib/scheduling/status';
import { instantToLocal, localDayBounds } from '@/lib/scheduling/time-zone';
import { useSupabase } from '@/hooks/use-supabase';
import type {
  TBoardAppointment,
  TBoardDentist,
  TBoardService,
  TDentistService,
  TSoftLock,
} from './board-types';

/** What the front desk does from the board. In-chair and complete belong to the dentist's workspace. */
const BOARD_ACTIONS: readonly TAppointmentStatus[] = ['confirmed', 'checked_in', 'no_show', 'cancelled'];

interface AppointmentPanelProps {
  appointment: TBoardAppointment;
  timeZone: string;
  /** Clinic-local date today, and the board's clock (null until mounted). */
  today: string;
  now: Date | null;
  statusWindows: TStatusWindows;
  patientName: string;
  service: TBoardService | undefined;
  dentists: readonly TBoardDentist[];
  dentistServices: readonly TDentistService[];
  locks: readonly TSoftLock[];
  pendingId: string | null;
  isEditing: boolean;
  onEditingChange: (isEditing: boolean) => void;
  onStatus: (status: TAppointmentStatus) => void;
  onReschedule: (startsAt: string, dentistId: string) => Promise<boolean>;
  onClose: () => void;
}

/** The open appointment: details, who else has it open, workflow actions and a reschedule picker. */
export function AppointmentPanel({
  appointment,
  timeZone,
  today,
  now,
  statusWindows,
  patientName,
  service,
  dentists,
  dentistServices,
  locks,
  pendingId,
  isEditing,
  onEditingChange,
  onStatus,
  onReschedule,
  onClose,
}: AppointmentPanelProps) {
  const [confirmStatus, setConfirmStatus] = useState<TAppointmentStatus | null>(null);
  const isPending = pendingId === appointment.id;
  const actions = statusActions(appointment.status, BOARD_ACTIONS);
  const canMove = appointment.status === 'scheduled' || appointment.status === 'confirmed';
  const local = instantToLocal(new Date(appointment.starts_at), timeZone);
  const dentist = dentists.find((d) => d.id === appointment.dentist_id);

  return (
    <section
      aria-labelledby="appointment-heading"
      className="rounded-xl border border-brand-200 bg-white p-4 shadow-sm"
    >
      <div className="flex items-start justify-between gap-2">
        <h2 id="appointment-heading" className="text-sm font-semibold">
          {patientName}
        </h2>
        <button
          type="button"
          onClick={onClose}
          className="rounded px-1.5 text-sm text-slate-500 hover:bg-slate-100"
          aria-label="Close appointment"
        >
          ✕
        </button>
      </div>
      <p className="mt-1 text-sm text-slate-700">
        {service?.name ?? 'Appointment'} with {dentist?.display_name ?? 'a dentist'}
      </p>
      <p className="text-sm text-slate-700 tabular-nums">
        {formatLocalDate(local.date)} ·{' '}
        {formatTimeRange(appointment.starts_at, appointment.ends_at, timeZone)}
      </p>
      <p className="mt-2">
        <span
          className={`inline-block rounded border px-2 py-0.5 text-xs font-medium ${STATUS_STYLES[appointment.status]}`}
        >
          {STATUS_LABELS[appointment.status]}
        </span>
        <span className="ml-2 text-xs text-slate-500">via {appointment.source}</span>
      </p>
      {locks.length > 0 ? (
        <p role="status" className="mt-3 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {locks.map((lock) => `${lock.name} is ${lock.mode} this`).join('; ')}.{' '}
          {locks.some((l) => l.mode === 'editing') ? 'Your change may clash with theirs.' : ''}
        </p>
      ) : null}
      {actions.length > 0 ? (
        <div className="mt-3 flex flex-wrap gap-2">
          {actions.map((status) => {
            const opensAt = statusOpensAt(status, new Date(appointment.starts_at), statusWindows);
            return (
              <StatusActionButton
                key={status}
                status={status}
                label={STATUS_ACTION_LABELS[status] ?? status}
                opensAt={opensAt && now && now.getTime() < opensAt.getTime() ? opensAt : null}
                timeZone={timeZone}
                today={today}
                isPending={isPending}
                size="md"
                onAct={() => (isDestructiveStatus(status) ? setConfirmStatus(status) : onStatus(status))}
              />
            );
          })}
          {canMove ? (
            <button
              type="button"
              disabled={isPending}
              aria-expanded={isEditing}
              onClick={() => onEditingChange(!isEditing)}
              className="rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-semibold text-slate-800 hover:bg-slate-50"
            >
              Reschedule
            </button>
          ) : null}
        </div>
      ) : (
        <p className="mt-3 text-sm text-slate-500">No further actions for this appointment.</p>
      )}
      {isEditing && canMove ? (
        <ReschedulePicker
          key={appointment.id}
          appointment={appointment}
          timeZone={timeZone}
          initialDate={local.date}
          dentists={dentists.filter((d) =>
            dentistServices.some((ds) => ds.dentist_id === d.id && ds.service_id === appointment.service_id),
          )}
          isPending={isPending}
          onPick={async (startsAt, dentistId) => {
            if (await onReschedule(startsAt, dentistId)) onEditingChange(false);
          }}
        />
      ) : null}
      <ConfirmDialog
        open={confirmStatus !== null}
        title={confirmStatus === 'no_show' ? 'Mark as a no-show?' : 'Cancel this appointment?'}
        confirmLabel={confirmStatus === 'no_show' ? 'Mark as no-show' : 'Cancel appointment'}
        cancelLabel="Keep it"
        isDestructive
        isBusy={isPending}
        onCancel={() => setConfirmStatus(null)}
        onConfirm={() => {
          const status = confirmStatus;
          setConfirmStatus(null);
          if (status) onStatus(status);
        }}
      >
        <p>
          {patientName}’s {service?.name ?? 'appointment'} on {formatLocalDate(local.date)} at{' '}
          {formatTime(appointment.starts_at, timeZone)} will be{' '}
          {confirmStatus === 'no_show'
            ? 'recorded as a no-show'
            : 'cancelled and the time offered to other patients'}
          . You can undo this for a few seconds afterwards.
        </p>
      </ConfirmDialog>
    </section>
  );
}

interface ReschedulePickerProps {
  appointment: TBoardAppointment;
  timeZone: string;
  initialDate: string;
  dentists: readonly TBoardDentist[];
  isPending: boolean;
  onPick: (startsAt: string, dentistId: string) => Promise<void>;
}

type TSlotsState =
  { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; slots: TAvailableSlotRow[] };

/** Free times (from the slot engine) for the same treatment on a chosen day and dentist. */
function ReschedulePicker({
  appointment,
  timeZone,
  initialDate,
  dentists,
  isPending,
  onPick,
}: ReschedulePickerProps) {
  const supabase = useSupabase();
  const [date, setDate] = useState(initialDate);
  const [dentistId, setDentistId] = useState(appointment.dentist_id);
  const [slots, setSlots] = useState<TSlotsState>({ kind: 'loading' });

  useEffect(() => {
    let isCurrent = true;
    const bounds = localDayBounds(date, timeZone);
    void (async () => {
      setSlots({ kind: 'loading' });
      const result = await listAvailableSlots(supabase, {
        clinicId: appointment.clinic_id,
        serviceId: appointment.service_id,
        dentistId,
        from: bounds.start.toISOString(),
        to: bounds.end.toISOString(),
      });
      if (!isCurrent) return;
      if (!result.ok) {
        setSlots({
          kind: 'error',
          message: result.error.kind === 'shape' ? 'Could not read the free times.' : result.error.message,
        });
        return;
      }
      setSlots({ kind: 'ready', slots: result.data });
    })();
    return () => {
      isCurrent = false;
    };
  }, [appointment.clinic_id, appointment.service_id, date, dentistId, supabase, timeZone]);

  return (
    <div className="mt-3 grid gap-2 rounded-lg bg-slate-50 p-3">
      <div className="flex flex-wrap gap-2">
        <label className="grid gap-1 text-xs font-medium text-slate-700">
          New date
          <input
            type="date"
            value={date}
            onChange={(e) => e.target.value && setDate(e.target.value)}
            className="rounded-md border border-slate-300 px-2 py-1 text-sm"
          />
        </label>
        <label className="grid gap-1 text-xs font-medium text-slate-700">
          Dentist
          <select
            value={dentistId}
            onChange={(e) => setDentistId(e.target.value)}
            className="rounded-md border border-slate-300 px-2 py-1 text-sm"
          >
            {dentists.map((d) => (
              <option key={d.id} value={d.id}>
                {d.display_name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div aria-live="polite" aria-busy={slots.kind === 'loading'} className="min-h-16">
        {slots.kind === 'loading' ? <p className="text-xs text-slate-500">Finding free times…</p> : null}
        {slots.kind === 'error' ? <p className="text-xs text-red-700">{slots.message}</p> : null}
        {slots.kind === 'ready' && slots.slots.length === 0 ? (
          <p className="text-xs text-slate-500">No free times on this day. Try another date or dentist.</p>
        ) : null}
        {slots.kind === 'ready' && slots.slots.length > 0 ? (
          <ul className="flex flex-wrap gap-1.5" aria-label="Free times">
            {slots.slots.map((slot) => (
              <li key={`${slot.dentist_id}-${slot.start}`}>
                <button
                  type="button"
                  disabled={isPending}
                  onClick={() => void onPick(slot.start, slot.dentist_id)}
                  className="rounded-md border border-brand-500 bg-white px-2 py-1 text-xs font-semibold text-brand-700 tabular-nums hover:bg-brand-50 disabled:opacity-60"
                >
                  {formatTime(slot.start, timeZone)}
                </button>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </div>
  );
}
