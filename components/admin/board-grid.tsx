'use client';

import { STATUS_LABELS, STATUS_STYLES, formatTimeRange } from '@/components/dentist/staff-format';
import type { TBoardAppointment, TBoardDentist, TBoardService, TSoftLock } from './board-types';
import { cardBox, dayRange, hourMarks, nowLineOffset, PX_PER_MINUTE, rangeHeight } from './timeline';

interface BoardGridProps {
  date: string;
  timeZone: string;
  dentists: readonly TBoardDentist[];
  appointments: readonly TBoardAppointment[];
  services: Readonly<Record<string, TBoardService>>;
  patientNames: Readonly<Record<string, string>>;
  /** Ids changed live a moment ago: highlighted (colour and outline only, never size). */
  flashing: ReadonlySet<string>;
  locks: Readonly<Record<string, readonly TSoftLock[]>>;
  selectedId: string | null;
  isLoading: boolean;
  now: Date | null;
  onSelect: (id: string) => void;
}

const COLUMN_MIN_WIDTH = 'minmax(11rem, 1fr)';

/**
 * Every dentist's day side by side: a column per dentist, time running down, cards absolutely
 * positioned by their clinic-local times, so a booking arriving live never pushes anything around.
 */
export function BoardGrid({
  date,
  timeZone,
  dentists,
  appointments,
  services,
  patientNames,
  flashing,
  locks,
  selectedId,
  isLoading,
  now,
  onSelect,
}: BoardGridProps) {
  const range = dayRange(appointments, date, timeZone);
  const height = rangeHeight(range);
  const nowOffset = now ? nowLineOffset(now, date, timeZone, range) : null;
  const marks = hourMarks(range);

  if (dentists.length === 0) {
    return (
      <p className="rounded-xl border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600">
        No dentists match this filter.
      </p>
    );
  }

  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
      <div
        className="grid min-w-fit"
        style={{ gridTemplateColumns: `3.5rem repeat(${dentists.length}, ${COLUMN_MIN_WIDTH})` }}
      >
        <div className="sticky top-0 z-20 border-b border-slate-200 bg-white" />
        {dentists.map((dentist) => (
          <div
            key={dentist.id}
            className="sticky top-0 z-20 truncate border-b border-l border-slate-200 bg-white px-3 py-2 text-sm font-semibold"
            role="columnheader"
          >
            {dentist.display_name}
          </div>
        ))}
        <div className="relative" style={{ height }} aria-hidden>
          {nowOffset !== null ? (
            <span
              className="absolute right-1 z-10 -translate-y-1/2 rounded bg-red-500 px-1 text-[10px] font-semibold text-white"
              style={{ top: nowOffset }}
            >
              now
            </span>
          ) : null}
          {marks.map((mark) => (
            <span
              key={mark.minutes}
              className="absolute right-2 -translate-y-1/2 text-[11px] text-slate-500 tabular-nums"
              style={{ top: (mark.minutes - range.start) * PX_PER_MINUTE }}
            >
              {mark.label}
            </span>
          ))}
        </div>
        {dentists.map((dentist) => {
          const cards = appointments.filter((a) => a.dentist_id === dentist.id);
          return (
            <section
              key={dentist.id}
              aria-label={`${dentist.display_name}, ${cards.length} appointment${cards.length === 1 ? '' : 's'}`}
              className="relative border-l border-slate-200"
              style={{ height }}
            >
              {marks.map((mark) => (
                <div
                  key={mark.minutes}
                  aria-hidden
                  className="absolute inset-x-0 border-t border-slate-100"
                  style={{ top: (mark.minutes - range.start) * PX_PER_MINUTE }}
                />
              ))}
              {isLoading ? (
                <div aria-hidden className="absolute inset-x-2 top-24 grid gap-16">
                  <div className="h-12 animate-pulse rounded-md bg-slate-100" />
                  <div className="h-16 animate-pulse rounded-md bg-slate-100" />
                </div>
              ) : null}
              {nowOffset !== null ? (
                <div
                  aria-hidden
                  className="pointer-events-none absolute inset-x-0 z-10 border-t-2 border-red-500"
                  style={{ top: nowOffset }}
                />
              ) : null}
              <ul className="contents">
                {cards.map((appointment) => {
                  const box = cardBox(appointment, date, timeZone, range);
                  const service = services[appointment.service_id]?.name ?? 'Appointment';
                  const patient = patientNames[appointment.patient_id] ?? 'Patient';
                  const time = formatTimeRange(appointment.starts_at, appointment.ends_at, timeZone);
                  const isFlashing = flashing.has(appointment.id);
                  const cardLocks = locks[appointment.id] ?? [];
                  const isSelected = appointment.id === selectedId;
                  return (
                    <li
                      key={appointment.id}
                      className="absolute inset-x-1"
                      style={{ top: box.top, height: box.height }}
                    >
                      <button
                        type="button"
                        onClick={() => onSelect(appointment.id)}
                        aria-pressed={isSelected}
                        data-appointment-id={appointment.id}
                        data-status={appointment.status}
                        aria-label={`${time} ${patient}, ${service}, ${STATUS_LABELS[appointment.status]}${
                          cardLocks.length > 0 ? `, open by ${cardLocks.map((l) => l.name).join(', ')}` : ''
                        }`}
                        className={`flex h-full w-full flex-col overflow-hidden rounded-md border-l-4 px-2 py-1 text-left text-xs shadow-sm transition-[background-color,outline-color,box-shadow] duration-700 ${
                          STATUS_STYLES[appointment.status]
                        } ${isFlashing ? 'outline-2 outline-amber-400 shadow-amber-200 shadow-lg' : 'outline-0 outline-transparent'} ${
                          isSelected ? 'ring-2 ring-brand-600' : ''
                        }`}
                      >
                        <span className="flex items-center justify-between gap-1 font-semibold tabular-nums">
                          <span className="truncate">{time}</span>
                          {cardLocks.length > 0 ? (
                            <span
                              aria-hidden
                              title={`Open by ${cardLocks.map((l) => l.name).join(', ')}`}
                              className="shrink-0 rounded bg-slate-800 px-1 text-[10px] font-medium text-white"
                            >
                              👁 {cardLocks[0].name.split(' ')[0]}
                            </span>
                          ) : null}
                        </span>
                        <span className="truncate">{patient}</span>
                        <span className="truncate opacity-80">
                          {service} · {STATUS_LABELS[appointment.status]}
                        </span>
                      </button>
                    </li>
                  );
                })}
              </ul>
            </section>
          );
        })}
      </div>
    </div>
  );
}
