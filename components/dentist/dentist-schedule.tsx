'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { toast } from 'sonner';
import { useNow } from '@/components/admin/use-now';
import { usePresence } from '@/hooks/use-presence';
import { useRealtimeAppointments } from '@/hooks/use-realtime-appointments';
import type { TAppointmentStatus } from '@/lib/domain/appointments';
import { isDestructiveStatus, statusOpensAt, toStatusWindows } from '@/lib/scheduling/status';
import { topics } from '@/lib/domain/realtime';
import type { TAppointmentRow } from '@/lib/realtime';
import { instantToLocal, localDayBounds } from '@/lib/scheduling/time-zone';
import { ConfirmDialog } from './confirm-dialog';
import { StatusActionButton } from './status-action-button';
import { encodeActivity } from './presence-activity';
import {
  addDays,
  formatLocalDate,
  formatTime,
  formatTimeRange,
  STATUS_ACTION_LABELS,
  STATUS_LABELS,
  STATUS_STYLES,
  startOfWeek,
  statusActions,
  zoneAbbreviation,
} from './staff-format';
import { useAppointmentActions } from './use-appointment-actions';
import { useProfileNames } from './use-profile-names';

export type TScheduleView = 'day' | 'week';
const FLASH_MS = 4_000;
/** Status windows open on the minute; re-checking twice a minute keeps the buttons current. */
const NOW_TICK_MS = 30_000;

interface DentistScheduleProps {
  viewer: { userId: string; email: string; name: string };
  clinic: {
    id: string;
    name: string;
    timezone: string;
    check_in_opens_minutes: number;
    no_show_after_minutes: number;
  };
  dentist: { id: string; display_name: string };
  services: readonly { id: string; name: string }[];
  date: string;
  view: TScheduleView;
  today: string;
}

/** The dentist's own calendar, live on their dentist topic, with the workflow actions per visit. */
export function DentistSchedule({
  viewer,
  clinic,
  dentist,
  services,
  date,
  view,
  today,
}: DentistScheduleProps) {
  const router = useRouter();
  const timeZone = clinic.timezone;
  const [flashes, setFlashes] = useState<Readonly<Record<string, number>>>({});
  const [confirmTarget, setConfirmTarget] = useState<{
    row: TAppointmentRow;
    status: TAppointmentStatus;
  } | null>(null);
  const now = useNow(NOW_TICK_MS);
  const windows = useMemo(() => toStatusWindows(clinic), [clinic]);
  /** Null when the action is possible now (or before the clock is known: the database decides). */
  const opensAt = (row: TAppointmentRow, status: TAppointmentStatus): Date | null => {
    const at = statusOpensAt(status, new Date(row.starts_at), windows);
    return at && now && now.getTime() < at.getTime() ? at : null;
  };
  const servicesById = useMemo(() => Object.fromEntries(services.map((s) => [s.id, s.name])), [services]);

  const firstDay = view === 'week' ? startOfWeek(date) : date;
  const days = useMemo(
    () => Array.from({ length: view === 'week' ? 7 : 1 }, (_, i) => addDays(firstDay, i)),
    [firstDay, view],
  );
  const bounds = useMemo(
    () => ({
      from: localDayBounds(days[0], timeZone).start.toISOString(),
      to: localDayBounds(days[days.length - 1], timeZone).end.toISOString(),
    }),
    [days, timeZone],
  );

  const flash = useCallback((id: string) => setFlashes((prev) => ({ ...prev, [id]: Date.now() })), []);
  const describe = useCallback(
    (row: TAppointmentRow) => {
      const local = instantToLocal(new Date(row.starts_at), timeZone);
      return `${servicesById[row.service_id] ?? 'Appointment'} ${local.date === today ? 'today' : formatLocalDate(local.date)} at ${formatTime(row.starts_at, timeZone)}`;
    },
    [servicesById, timeZone, today],
  );

  const schedule = useRealtimeAppointments(
    {
      userId: viewer.userId,
      role: 'dentist',
      dentistId: dentist.id,
      from: bounds.from,
      to: bounds.to,
      cancelled: 'remove',
    },
    {
      onInsert: (row) => {
        flash(row.id);
        toast.success(`New booking: ${describe(row)}`);
      },
      onCancel: (row) => toast.warning(`Cancelled: ${describe(row)}`),
      onUpdate: (row) => flash(row.id),
    },
  );
  const { pendingId, setStatus } = useAppointmentActions(schedule.refetch);
  const patientNames = useProfileNames(schedule.data.map((row) => row.patient_id));

  usePresence(topics.clinicStaff(clinic.id), {
    userId: viewer.userId,
    name: viewer.name,
    role: 'dentist',
    activity: encodeActivity({
      text: `Own schedule · ${view === 'week' ? `week of ${formatLocalDate(firstDay, { day: 'numeric', month: 'short' })}` : formatLocalDate(date, { weekday: 'short', day: 'numeric', month: 'short' })}`,
      appointmentId: null,
      mode: null,
    }),
  });

  useEffect(() => {
    const times = Object.values(flashes);
    if (times.length === 0) return;
    const timer = setTimeout(
      () => {
        const cutoff = Date.now() - FLASH_MS;
        setFlashes((prev) => Object.fromEntries(Object.entries(prev).filter(([, at]) => at > cutoff)));
      },
      Math.max(0, Math.min(...times) + FLASH_MS - Date.now()),
    );
    return () => clearTimeout(timer);
  }, [flashes]);

  const go = (nextDate: string, nextView: TScheduleView = view) =>
    router.push(`?view=${nextView}&date=${nextDate}`, { scroll: false });
  const step = view === 'week' ? 7 : 1;
  const byDay = (day: string) =>
    schedule.data.filter((row) => instantToLocal(new Date(row.starts_at), timeZone).date === day);

  const act = (row: TAppointmentRow, status: TAppointmentStatus) => {
    if (isDestructiveStatus(status)) setConfirmTarget({ row, status });
    else void setStatus(row, status);
  };

  return (
    <div className="grid gap-4">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight break-words">Welcome, {viewer.email}</h1>
        <p className="mt-1 text-slate-600">
          {dentist.display_name} · {clinic.name} · times in {timeZone} (
          {zoneAbbreviation(timeZone, new Date(bounds.from))})
        </p>
      </div>

      <div
        role="toolbar"
        aria-label="Schedule controls"
        className="flex flex-wrap items-end gap-2 rounded-xl border border-slate-200 bg-white p-3 shadow-sm"
      >
        <div className="flex rounded-md border border-slate-300 p-0.5" role="group" aria-label="View">
          {(['day', 'week'] as const).map((option) => (
            <button
              key={option}
              type="button"
              aria-pressed={view === option}
              onClick={() => go(date, option)}
              className={`rounded px-3 py-1 text-sm font-medium ${view === option ? 'bg-brand-600 text-white' : 'text-slate-700 hover:bg-slate-100'}`}
            >
              {option === 'day' ? 'Day' : 'Week'}
            </button>
          ))}
        </div>
        <button
          type="button"
          onClick={() => go(addDays(date, -step))}
          className="rounded-md border border-slate-300 px-2.5 py-1.5 text-sm hover:bg-slate-50"
          aria-label={`Previous ${view}`}
        >
          ←
        </button>
        <button
          type="button"
          onClick={() => go(today)}
          className="rounded-md border border-slate-300 px-2.5 py-1.5 text-sm font-medium hover:bg-slate-50"
        >
          Today
        </button>
        <button
          type="button"
          onClick={() => go(addDays(date, step))}
          className="rounded-md border border-slate-300 px-2.5 py-1.5 text-sm hover:bg-slate-50"
          aria-label={`Next ${view}`}
        >
          →
        </button>
        <label className="grid gap-0.5 text-xs font-medium text-slate-600">
          Date
          <input
            type="date"
            value={date}
            onChange={(e) => e.target.value && go(e.target.value)}
            className="rounded-md border border-slate-300 px-2 py-1 text-sm"
          />
        </label>
        <p className="ml-auto text-sm font-medium text-slate-700">
          {view === 'week'
            ? `${formatLocalDate(days[0], { day: 'numeric', month: 'short' })} – ${formatLocalDate(days[6], { day: 'numeric', month: 'short', year: 'numeric' })}`
            : formatLocalDate(date, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })}
        </p>
      </div>

      {schedule.error ? (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800">
          Could not load your schedule: {schedule.error.message}. Retrying automatically.
        </p>
      ) : null}

      {view === 'day' ? (
        <section
          aria-label={`Appointments on ${formatLocalDate(date)}`}
          aria-busy={schedule.isLoading}
          className="rounded-xl border border-slate-200 bg-white shadow-sm"
        >
          {schedule.isLoading ? (
            <div aria-hidden className="grid gap-2 p-4">
              {[0, 1, 2].map((i) => (
                <div key={i} className="h-16 animate-pulse rounded-lg bg-slate-100" />
              ))}
            </div>
          ) : byDay(date).length === 0 ? (
            <p className="p-6 text-sm text-slate-600">No appointments on this day.</p>
          ) : (
            <ul aria-live="polite" className="divide-y divide-slate-100">
              {byDay(date).map((row) => (
                <li
                  key={row.id}
                  data-appointment-id={row.id}
                  className={`grid gap-2 p-3 transition-colors duration-700 sm:grid-cols-[7rem_1fr_auto] sm:items-center ${flashes[row.id] ? 'bg-amber-50' : ''}`}
                >
                  <span className="font-semibold tabular-nums">
                    {formatTimeRange(row.starts_at, row.ends_at, timeZone)}
                  </span>
                  <span className="min-w-0">
                    <span className="block truncate font-medium">
                      {patientNames[row.patient_id] ?? 'Patient'}
                    </span>
                    <span className="block text-sm text-slate-600">
                      {servicesById[row.service_id] ?? 'Appointment'} ·{' '}
                      <span
                        className={`rounded border px-1.5 py-0.5 text-xs font-medium ${STATUS_STYLES[row.status]}`}
                        data-testid="status"
                      >
                        {STATUS_LABELS[row.status]}
                      </span>
                    </span>
                  </span>
                  <span className="flex flex-wrap gap-1.5">
                    {statusActions(row.status).map((status) => (
                      <StatusActionButton
                        key={status}
                        status={status}
                        label={`${STATUS_ACTION_LABELS[status]}: ${patientNames[row.patient_id] ?? 'patient'} at ${formatTime(row.starts_at, timeZone)}`}
                        opensAt={opensAt(row, status)}
                        timeZone={timeZone}
                        today={today}
                        isPending={pendingId === row.id}
                        onAct={() => act(row, status)}
                      />
                    ))}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : (
        <div className="overflow-x-auto">
          <div className="grid min-w-[48rem] grid-cols-7 gap-2" aria-busy={schedule.isLoading}>
            {days.map((day) => {
              const rows = byDay(day);
              return (
                <section
                  key={day}
                  aria-label={formatLocalDate(day)}
                  className={`min-h-40 rounded-xl border bg-white p-2 shadow-sm ${day === today ? 'border-brand-500' : 'border-slate-200'}`}
                >
                  <h2 className="text-xs font-semibold text-slate-700">
                    <Link href={`?view=day&date=${day}`} className="hover:underline">
                      {formatLocalDate(day, { weekday: 'short', day: 'numeric', month: 'short' })}
                    </Link>
                  </h2>
                  {schedule.isLoading ? (
                    <div aria-hidden className="mt-2 h-10 animate-pulse rounded bg-slate-100" />
                  ) : null}
                  {!schedule.isLoading && rows.length === 0 ? (
                    <p className="mt-2 text-xs text-slate-400">Free</p>
                  ) : null}
                  <ul className="mt-2 grid gap-1.5">
                    {rows.map((row) => (
                      <li key={row.id} data-appointment-id={row.id}>
                        <Link
                          href={`?view=day&date=${day}`}
                          className={`block rounded-md border-l-4 px-1.5 py-1 text-[11px] transition-[outline-color] duration-700 ${STATUS_STYLES[row.status]} ${
                            flashes[row.id] ? 'outline-2 outline-amber-400' : 'outline-0 outline-transparent'
                          }`}
                        >
                          <span className="block font-semibold tabular-nums">
                            {formatTime(row.starts_at, timeZone)}
                          </span>
                          <span className="block truncate">{patientNames[row.patient_id] ?? 'Patient'}</span>
                          <span className="block truncate opacity-80">{STATUS_LABELS[row.status]}</span>
                        </Link>
                      </li>
                    ))}
                  </ul>
                </section>
              );
            })}
          </div>
        </div>
      )}

      <ConfirmDialog
        open={confirmTarget !== null}
        title={confirmTarget?.status === 'no_show' ? 'Mark as a no-show?' : 'Cancel this appointment?'}
        confirmLabel={confirmTarget?.status === 'no_show' ? 'Mark as no-show' : 'Cancel appointment'}
        cancelLabel="Keep it"
        isDestructive
        isBusy={confirmTarget !== null && pendingId === confirmTarget.row.id}
        onCancel={() => setConfirmTarget(null)}
        onConfirm={() => {
          const target = confirmTarget;
          setConfirmTarget(null);
          if (target) void setStatus(target.row, target.status);
        }}
      >
        <p>
          {confirmTarget
            ? `${patientNames[confirmTarget.row.patient_id] ?? 'The patient'}’s ${describe(confirmTarget.row)} will be ${
                confirmTarget.status === 'no_show' ? 'recorded as a no-show' : 'cancelled'
              }. You can undo this for a few seconds afterwards.`
            : ''}
        </p>
      </ConfirmDialog>
    </div>
  );
}
