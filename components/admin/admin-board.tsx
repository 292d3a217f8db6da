'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { toast } from 'sonner';
import {
  addDays,
  formatLocalDate,
  formatTime,
  STATUS_LABELS,
  zoneAbbreviation,
} from '@/components/dentist/staff-format';
import { encodeActivity, decodeActivity } from '@/components/dentist/presence-activity';
import { useAppointmentActions } from '@/components/dentist/use-appointment-actions';
import { useProfileNames } from '@/components/dentist/use-profile-names';
import { usePresence } from '@/hooks/use-presence';
import { useRealtimeAppointments } from '@/hooks/use-realtime-appointments';
import { APPOINTMENT_STATUSES, BLOCKING_STATUSES, type TAppointmentStatus } from '@/lib/domain/appointments';
import { topics } from '@/lib/domain/realtime';
import { CANCELLED_STATUSES, type TAppointmentRow } from '@/lib/realtime';
import { toStatusWindows } from '@/lib/scheduling/status';
import { instantToLocal, localDayBounds } from '@/lib/scheduling/time-zone';
import { ActivityFeed } from './activity-feed';
import { AppointmentPanel } from './appointment-panel';
import { BoardGrid } from './board-grid';
import type {
  TBoardClinic,
  TBoardDentist,
  TBoardService,
  TBoardViewer,
  TDentistService,
  TSoftLock,
} from './board-types';
import { PresencePanel } from './presence-panel';
import { ServerStatsPanel, StatsPanel } from './stats-panel';
import { useNow } from './use-now';

/** How long a live change stays highlighted; cancelled cards stay this long before leaving the board. */
export const FLASH_MS = 4_000;
const NOW_TICK_MS = 30_000;
const ALL = 'all';
const ACTIVE = 'active';

type TStatusFilter = typeof ALL | typeof ACTIVE | TAppointmentStatus;

interface AdminBoardProps {
  viewer: TBoardViewer;
  clinic: TBoardClinic;
  dentists: readonly TBoardDentist[];
  services: readonly TBoardService[];
  dentistServices: readonly TDentistService[];
  date: string;
  today: string;
  /** The viewer is also a server operator: show the server-wide realtime panel too. */
  showServerStats?: boolean;
}

function matchesStatus(status: TAppointmentStatus, filter: TStatusFilter): boolean {
  if (filter === ALL) return true;
  if (filter === ACTIVE) return (BLOCKING_STATUSES as readonly string[]).includes(status);
  return status === filter;
}

/**
 * The clinic's live board: every dentist's day side by side, fed by the clinic schedule topic, with
 * actions, staff presence and soft locks, the activity feed and realtime figures.
 */
export function AdminBoard({
  viewer,
  clinic,
  dentists,
  services,
  dentistServices,
  date,
  today,
  showServerStats = false,
}: AdminBoardProps) {
  const router = useRouter();
  const timeZone = clinic.timezone;
  const [dentistFilter, setDentistFilter] = useState<string>(ALL);
  const [statusFilter, setStatusFilter] = useState<TStatusFilter>(ACTIVE);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [isEditing, setIsEditing] = useState(false);
  const [flashes, setFlashes] = useState<Readonly<Record<string, number>>>({});
  const [feedSignal, setFeedSignal] = useState(0);
  const [announcement, setAnnouncement] = useState('');
  const now = useNow(NOW_TICK_MS);
  const statusWindows = useMemo(() => toStatusWindows(clinic), [clinic]);

  const servicesById = useMemo(() => Object.fromEntries(services.map((s) => [s.id, s])), [services]);
  const dentistsById = useMemo(() => Object.fromEntries(dentists.map((d) => [d.id, d])), [dentists]);
  const bounds = useMemo(() => {
    const { start, end } = localDayBounds(date, timeZone);
    return { from: start.toISOString(), to: end.toISOString() };
  }, [date, timeZone]);

  const flash = useCallback((id: string) => setFlashes((prev) => ({ ...prev, [id]: Date.now() })), []);

  const describe = useCallback(
    (row: TAppointmentRow) => {
      const local = instantToLocal(new Date(row.starts_at), timeZone);
      const day =
        local.date === today
          ? 'today'
          : formatLocalDate(local.date, { weekday: 'short', day: 'numeric', month: 'short' });
      return `${servicesById[row.service_id]?.name ?? 'Appointment'} ${day} ${formatTime(row.starts_at, timeZone)} with ${dentistsById[row.dentist_id]?.display_name ?? 'a dentist'}`;
    },
    [dentistsById, servicesById, timeZone, today],
  );

  const schedule = useRealtimeAppointments(
    {
      userId: viewer.userId,
      role: 'admin',
      clinicId: clinic.id,
      from: bounds.from,
      to: bounds.to,
      cancelled: 'mark',
    },
    {
      onInsert: (row) => {
        flash(row.id);
        setFeedSignal((n) => n + 1);
        // Sonner's region announces toasts; the sr-only line below is for changes without a toast.
        toast.success(`New booking: ${describe(row)}`);
      },
      onCancel: (row) => {
        flash(row.id);
        setFeedSignal((n) => n + 1);
        toast.warning(`Cancelled: ${describe(row)}`);
      },
      onUpdate: (row) => {
        flash(row.id);
        setFeedSignal((n) => n + 1);
        setAnnouncement(`${describe(row)} is now ${STATUS_LABELS[row.status].toLowerCase()}`);
      },
    },
  );
  const { pendingId, setStatus, reschedule } = useAppointmentActions(schedule.refetch);

  // Expire highlights: one timer for the earliest one.
  useEffect(() => {
    const times = Object.values(flashes);
    if (times.length === 0) return;
    const next = Math.min(...times) + FLASH_MS - Date.now();
    const timer = setTimeout(
      () => {
        const cutoff = Date.now() - FLASH_MS;
        setFlashes((prev) => Object.fromEntries(Object.entries(prev).filter(([, at]) => at > cutoff)));
      },
      Math.max(0, next),
    );
    return () => clearTimeout(timer);
  }, [flashes]);

  const flashing = useMemo(() => new Set(Object.keys(flashes)), [flashes]);
  const visibleDentists = dentistFilter === ALL ? dentists : dentists.filter((d) => d.id === dentistFilter);
  const visibleRows = schedule.data.filter(
    (row) =>
      (dentistFilter === ALL || row.dentist_id === dentistFilter) &&
      // A just-cancelled card lingers while highlighted, so the change is seen before it leaves.
      (matchesStatus(row.status, statusFilter) ||
        (flashing.has(row.id) && CANCELLED_STATUSES.includes(row.status))),
  );
  const patientNames = useProfileNames(schedule.data.map((row) => row.patient_id));
  const selected = schedule.data.find((row) => row.id === selectedId) ?? null;

  const activityText = selected
    ? `${patientNames[selected.patient_id] ?? 'Appointment'} ${formatTime(selected.starts_at, timeZone)} · ${dentistsById[selected.dentist_id]?.display_name ?? ''}`
    : `Board · ${formatLocalDate(date, { weekday: 'short', day: 'numeric', month: 'short' })}${dentistFilter === ALL ? '' : ` · ${dentistsById[dentistFilter]?.display_name ?? ''}`}`;
  const presenceUsers = usePresence(topics.clinicStaff(clinic.id), {
    userId: viewer.userId,
    name: viewer.name,
    role: 'admin',
    activity: encodeActivity({
      text: activityText,
      appointmentId: selected?.id ?? null,
      mode: selected ? (isEditing ? 'editing' : 'viewing') : null,
    }),
  });

  const locks = useMemo(() => {
    const byAppointment: Record<string, TSoftLock[]> = {};
    for (const user of presenceUsers) {
      if (user.userId === viewer.userId) continue;
      const activity = decodeActivity(user.activity);
      if (!activity.appointmentId || !activity.mode) continue;
      (byAppointment[activity.appointmentId] ??= []).push({
        userId: user.userId,
        name: user.name,
        mode: activity.mode,
      });
    }
    return byAppointment;
  }, [presenceUsers, viewer.userId]);

  const goTo = (next: string) => {
    setSelectedId(null);
    setIsEditing(false);
    router.push(`?date=${next}`, { scroll: false });
  };

  const zone = zoneAbbreviation(timeZone, new Date(bounds.from));

  return (
    <div className="grid gap-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight break-words">Welcome, {viewer.email}</h1>
          <p className="mt-1 text-slate-600">
            Live board · {clinic.name} · times in {timeZone} ({zone})
          </p>
        </div>
      </div>

      <div
        role="toolbar"
        aria-label="Board controls"
        className="flex flex-wrap items-end gap-2 rounded-xl border border-slate-200 bg-white p-3 shadow-sm"
      >
        <div className="flex items-center gap-1">
          <button
            type="button"
            onClick={() => goTo(addDays(date, -1))}
            className="rounded-md border border-slate-300 px-2.5 py-1.5 text-sm hover:bg-slate-50"
            aria-label="Previous day"
          >
            ←
          </button>
          <button
            type="button"
            onClick={() => goTo(today)}
            disabled={date === today}
            className="rounded-md border border-slate-300 px-2.5 py-1.5 text-sm font-medium hover:bg-slate-50 disabled:text-slate-400"
          >
            Today
          </button>
          <button
            type="button"
            onClick={() => goTo(addDays(date, 1))}
            className="rounded-md border border-slate-300 px-2.5 py-1.5 text-sm hover:bg-slate-50"
            aria-label="Next day"
          >
            →
          </button>
        </div>
        <label className="grid gap-0.5 text-xs font-medium text-slate-600">
          Date
          <input
            type="date"
            value={date}
            onChange={(e) => e.target.value && goTo(e.target.value)}
            className="rounded-md border border-slate-300 px-2 py-1 text-sm"
          />
        </label>
        <label className="grid gap-0.5 text-xs font-medium text-slate-600">
          Dentist
          <select
            value={dentistFilter}
            onChange={(e) => setDentistFilter(e.target.value)}
            className="rounded-md border border-slate-300 px-2 py-1 text-sm"
          >
            <option value={ALL}>All dentists</option>
            {dentists.map((d) => (
              <option key={d.id} value={d.id}>
                {d.display_name}
              </option>
            ))}
          </select>
        </label>
        <label className="grid gap-0.5 text-xs font-medium text-slate-600">
          Status
          <select
            value={statusFilter}
            onChange={(e) => setStatusFilter(e.target.value as TStatusFilter)}
            className="rounded-md border border-slate-300 px-2 py-1 text-sm"
          >
            <option value={ACTIVE}>Booked (not cancelled)</option>
            <option value={ALL}>All statuses</option>
            {APPOINTMENT_STATUSES.map((status) => (
              <option key={status} value={status}>
                {STATUS_LABELS[status]}
              </option>
            ))}
          </select>
        </label>
        <p className="ml-auto text-sm font-medium text-slate-700">
          {formatLocalDate(date, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })}
        </p>
      </div>

      {schedule.error ? (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800">
          Could not load the schedule: {schedule.error.message}. Retrying automatically.
        </p>
      ) : null}
      <p className="sr-only" aria-live="polite">
        {announcement}
      </p>

      <div className="grid items-start gap-4 lg:grid-cols-[minmax(0,1fr)_18rem]">
        <BoardGrid
          date={date}
          timeZone={timeZone}
          dentists={visibleDentists}
          appointments={visibleRows}
          services={servicesById}
          patientNames={patientNames}
          flashing={flashing}
          locks={locks}
          selectedId={selectedId}
          isLoading={schedule.isLoading}
          now={now}
          onSelect={(id) => {
            setSelectedId(id);
            setIsEditing(false);
          }}
        />
        <aside className="grid gap-4" aria-label="Board side panel">
          {selected ? (
            <AppointmentPanel
              appointment={selected}
              timeZone={timeZone}
              today={today}
              now={now}
              statusWindows={statusWindows}
              patientName={patientNames[selected.patient_id] ?? 'Patient'}
              service={servicesById[selected.service_id]}
              dentists={dentists}
              dentistServices={dentistServices}
              locks={locks[selected.id] ?? []}
              pendingId={pendingId}
              isEditing={isEditing}
              onEditingChange={setIsEditing}
              onStatus={(status) => void setStatus(selected, status)}
              onReschedule={(startsAt, dentistId) => reschedule(selected, startsAt, dentistId)}
              onClose={() => {
                setSelectedId(null);
                setIsEditing(false);
              }}
            />
          ) : null}
          <PresencePanel users={presenceUsers} selfId={viewer.userId} />
          <StatsPanel />
          {showServerStats ? <ServerStatsPanel /> : null}
          <ActivityFeed
            clinicId={clinic.id}
            timeZone={timeZone}
            dentists={dentistsById}
            services={servicesById}
            refreshSignal={feedSignal}
          />
        </aside>
      </div>
    </div>
  );
}
