'use client';

import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { toast } from 'sonner';
import { useSupabase } from '@/hooks/use-supabase';
import {
  affectedLabel,
  appointmentsAffectedByOverride,
  appointmentsAffectedByTimeOff,
  toInputTime,
  validateDayWindows,
  WINDOW_ERROR_MESSAGES,
  type TBookedAppointment,
  type TWindowDraft,
} from './availability-model';
import {
  addTimeOff,
  deleteOverrideDate,
  deleteTimeOff,
  fetchUpcomingAppointments,
  replaceOverride,
  toAvailabilityWriteError,
} from './availability-data';
import { ConfirmDialog } from './confirm-dialog';

export type TOverrideRow = {
  id: string;
  on_date: string;
  start_time: string | null;
  end_time: string | null;
  note: string | null;
};
export type TTimeOffRow = { id: string; starts_local: string; ends_local: string; reason: string | null };

interface DateExceptionsProps {
  clinicId: string;
  dentistId: string;
  timeZone: string;
  /** Clinic-local date today (YYYY-MM-DD), the earliest date the forms accept. */
  today: string;
  overrides: readonly TOverrideRow[];
  timeOff: readonly TTimeOffRow[];
}

type TPending = { affected: TBookedAppointment[]; run: () => Promise<void> };

const inputClass =
  'rounded-lg border border-slate-300 px-2 py-1.5 text-sm aria-[invalid=true]:border-red-500';

function formatLocalDate(date: string): string {
  // A calendar date, not an instant: format it at UTC noon so no zone can move it to another day.
  return new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${date}T12:00:00Z`));
}

function formatLocalDateTime(value: string): string {
  const [date, time = '00:00'] = value.replace(' ', 'T').split('T');
  return `${formatLocalDate(date)} ${time.slice(0, 5)}`;
}

/** Groups override rows by date: a date with one time-less row is a day off. */
function groupOverrides(rows: readonly TOverrideRow[]) {
  const byDate = new Map<string, TOverrideRow[]>();
  for (const row of rows) byDate.set(row.on_date, [...(byDate.get(row.on_date) ?? []), row]);
  return [...byDate.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/**
 * Date overrides (a day off, or different hours on one date) and time-off ranges. Anything that
 * removes hours with booked patients asks first and says how many are affected.
 */
export function DateExceptions({
  clinicId,
  dentistId,
  timeZone,
  today,
  overrides,
  timeOff,
}: DateExceptionsProps) {
  const supabase = useSupabase();
  const router = useRouter();
  const baseId = useId();
  const [pending, setPending] = useState<TPending | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const [overrideDate, setOverrideDate] = useState('');
  const [overrideKind, setOverrideKind] = useState<'off' | 'hours'>('off');
  const [overrideWindows, setOverrideWindows] = useState<TWindowDraft[]>([
    { key: 'w1', start: '09:00', end: '13:00' },
  ]);
  const [overrideNote, setOverrideNote] = useState('');

  const [offStart, setOffStart] = useState('');
  const [offEnd, setOffEnd] = useState('');
  const [offReason, setOffReason] = useState('');

  const windowErrors = overrideKind === 'hours' ? validateDayWindows(overrideWindows) : [];
  const isOverrideValid =
    overrideDate >= today &&
    (overrideKind === 'off' || (overrideWindows.length > 0 && windowErrors.every((e) => e === null)));
  const isTimeOffValid = offStart !== '' && offEnd !== '' && offEnd > offStart;

  /** Counts the affected patients, asks when there are any, then writes. */
  async function guarded(
    count: (upcoming: TBookedAppointment[], now: number) => TBookedAppointment[],
    run: () => Promise<void>,
  ) {
    setBusy(true);
    setError(null);
    try {
      const now = new Date();
      const affected = count(await fetchUpcomingAppointments(supabase, dentistId, now), now.getTime());
      if (affected.length > 0) {
        setPending({ affected, run });
        return;
      }
      await run();
    } catch (e) {
      setError(toAvailabilityWriteError(e).message);
    } finally {
      setBusy(false);
    }
  }

  async function confirmPending() {
    if (!pending) return;
    setBusy(true);
    try {
      await pending.run();
      setPending(null);
    } catch (e) {
      setPending(null);
      setError(toAvailabilityWriteError(e).message);
    } finally {
      setBusy(false);
    }
  }

  const target = { clinicId, dentistId };
  const windowsToSave = overrideKind === 'off' ? [] : overrideWindows;

  return (
    <section
      aria-labelledby={`${baseId}-heading`}
      className="grid gap-6 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={`${baseId}-heading`} className="text-lg font-semibold">
          Days off and time off
        </h2>
        <p className="text-xs text-slate-500">Times in the clinic’s time zone ({timeZone})</p>
      </div>

      <form
        aria-labelledby={`${baseId}-override`}
        noValidate
        className="grid gap-3"
        onSubmit={(event) => {
          event.preventDefault();
          if (!isOverrideValid) return;
          const date = overrideDate;
          const windows = windowsToSave;
          const note = overrideNote.trim() || null;
          void guarded(
            (upcoming, now) =>
              appointmentsAffectedByOverride({ appointments: upcoming, date, windows, timeZone, now }),
            async () => {
              await replaceOverride(supabase, target, date, windows, note);
              toast.success(
                windows.length === 0
                  ? `Day off on ${formatLocalDate(date)} saved.`
                  : `Hours for ${formatLocalDate(date)} saved.`,
              );
              setOverrideDate('');
              setOverrideNote('');
              router.refresh();
            },
          );
        }}
      >
        <h3 id={`${baseId}-override`} className="text-sm font-semibold text-slate-800">
          Change one date
        </h3>
        <div className="flex flex-wrap items-end gap-3">
          <label className="grid gap-1 text-sm font-medium text-slate-800">
            Date
            <input
              type="date"
              min={today}
              value={overrideDate}
              onChange={(e) => setOverrideDate(e.target.value)}
              className={inputClass}
            />
          </label>
          <fieldset className="flex gap-3 text-sm">
            <legend className="sr-only">What changes on this date</legend>
            <label className="flex items-center gap-1.5">
              <input
                type="radio"
                name="override-kind"
                checked={overrideKind === 'off'}
                onChange={() => setOverrideKind('off')}
              />
              Day off
            </label>
            <label className="flex items-center gap-1.5">
              <input
                type="radio"
                name="override-kind"
                checked={overrideKind === 'hours'}
                onChange={() => setOverrideKind('hours')}
              />
              Different hours
            </label>
          </fieldset>
          <label className="grid gap-1 text-sm font-medium text-slate-800">
            Note (optional)
            <input
              type="text"
              maxLength={500}
              value={overrideNote}
              onChange={(e) => setOverrideNote(e.target.value)}
              className={inputClass}
            />
          </label>
        </div>
        {overrideKind === 'hours' ? (
          <div className="grid gap-2">
            {overrideWindows.map((window, index) => {
              const windowError = windowErrors[index];
              const label = `Hours ${index + 1}`;
              return (
                <div key={window.key} role="group" aria-label={label} className="grid gap-1">
                  <div className="flex flex-wrap items-center gap-2">
                    <label className="flex items-center gap-1 text-sm">
                      <span className="sr-only">{label} start</span>
                      <input
                        type="time"
                        value={window.start}
                        aria-invalid={windowError ? true : undefined}
                        onChange={(e) => {
                          const value = e.target.value;
                          setOverrideWindows((list) =>
                            list.map((w) => (w.key === window.key ? { ...w, start: value } : w)),
                          );
                        }}
                        className={inputClass}
                      />
                    </label>
                    <span aria-hidden>–</span>
                    <label className="flex items-center gap-1 text-sm">
                      <span className="sr-only">{label} end</span>
                      <input
                        type="time"
                        value={window.end}
                        aria-invalid={windowError ? true : undefined}
                        onChange={(e) => {
                          const value = e.target.value;
                          setOverrideWindows((list) =>
                            list.map((w) => (w.key === window.key ? { ...w, end: value } : w)),
                          );
                        }}
                        className={inputClass}
                      />
                    </label>
                    {overrideWindows.length > 1 ? (
                      <button
                        type="button"
                        className="rounded-md px-2 py-1 text-sm font-medium text-red-700 hover:bg-red-50"
                        onClick={() => setOverrideWindows((list) => list.filter((w) => w.key !== window.key))}
                      >
                        Remove {label.toLowerCase()}
                      </button>
                    ) : null}
                  </div>
                  {windowError ? (
                    <p className="text-xs font-medium text-red-700">{WINDOW_ERROR_MESSAGES[windowError]}</p>
                  ) : null}
                </div>
              );
            })}
            <div>
              <button
                type="button"
                className="rounded-md px-2 py-1 text-sm font-medium text-brand-700 hover:bg-brand-50"
                onClick={() =>
                  setOverrideWindows((list) => [
                    ...list,
                    { key: `w${Date.now()}`, start: '14:00', end: '17:00' },
                  ])
                }
              >
                + Add hours on this date
              </button>
            </div>
          </div>
        ) : null}
        <div>
          <button
            type="submit"
            disabled={!isOverrideValid || busy}
            className="rounded-lg bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 disabled:cursor-not-allowed disabled:bg-slate-300"
          >
            Save date
          </button>
        </div>
      </form>

      <div className="grid gap-2">
        <h3 className="text-sm font-semibold text-slate-800">Upcoming date changes</h3>
        {overrides.length === 0 ? (
          <p className="text-sm text-slate-500">None. Your weekly hours apply on every date.</p>
        ) : (
          <ul className="grid gap-1.5">
            {groupOverrides(overrides).map(([date, rows]) => {
              const hours = rows.filter((r) => r.start_time && r.end_time);
              const summary =
                hours.length === 0
                  ? 'Day off'
                  : hours
                      .map((r) => `${toInputTime(r.start_time ?? '')}–${toInputTime(r.end_time ?? '')}`)
                      .join(', ');
              const note = rows.find((r) => r.note)?.note;
              return (
                <li
                  key={date}
                  className="flex flex-wrap items-center justify-between gap-2 rounded-lg bg-slate-50 px-3 py-2 text-sm"
                >
                  <span>
                    <strong>{formatLocalDate(date)}</strong>: {summary}
                    {note ? <span className="text-slate-500"> · {note}</span> : null}
                  </span>
                  <button
                    type="button"
                    disabled={busy}
                    className="rounded-md px-2 py-1 font-medium text-red-700 hover:bg-red-100"
                    aria-label={`Remove the change on ${formatLocalDate(date)}`}
                    onClick={async () => {
                      setBusy(true);
                      try {
                        await deleteOverrideDate(supabase, dentistId, date);
                        toast.success(`Weekly hours apply again on ${formatLocalDate(date)}.`);
                        router.refresh();
                      } catch (e) {
                        setError(toAvailabilityWriteError(e).message);
                      } finally {
                        setBusy(false);
                      }
                    }}
                  >
                    Remove
                  </button>
                </li>
              );
            })}
          </ul>
        )}
      </div>

      <form
        aria-labelledby={`${baseId}-timeoff`}
        noValidate
        className="grid gap-3"
        onSubmit={(event) => {
          event.preventDefault();
          if (!isTimeOffValid) return;
          const range = { startsLocal: offStart, endsLocal: offEnd, reason: offReason.trim() || null };
          void guarded(
            (upcoming, now) =>
              appointmentsAffectedByTimeOff({
                appointments: upcoming,
                startsLocal: range.startsLocal,
                endsLocal: range.endsLocal,
                timeZone,
                now,
              }),
            async () => {
              await addTimeOff(supabase, target, range);
              toast.success('Time off saved.');
              setOffStart('');
              setOffEnd('');
              setOffReason('');
              router.refresh();
            },
          );
        }}
      >
        <h3 id={`${baseId}-timeoff`} className="text-sm font-semibold text-slate-800">
          Add time off
        </h3>
        <div className="flex flex-wrap items-end gap-3">
          <label className="grid gap-1 text-sm font-medium text-slate-800">
            From
            <input
              type="datetime-local"
              min={`${today}T00:00`}
              value={offStart}
              onChange={(e) => setOffStart(e.target.value)}
              className={inputClass}
            />
          </label>
          <label className="grid gap-1 text-sm font-medium text-slate-800">
            Until
            <input
              type="datetime-local"
              min={offStart || `${today}T00:00`}
              value={offEnd}
              aria-invalid={offStart !== '' && offEnd !== '' && offEnd <= offStart ? true : undefined}
              onChange={(e) => setOffEnd(e.target.value)}
              className={inputClass}
            />
          </label>
          <label className="grid gap-1 text-sm font-medium text-slate-800">
            Reason (optional)
            <input
              type="text"
              maxLength={500}
              value={offReason}
              onChange={(e) => setOffReason(e.target.value)}
              className={inputClass}
            />
          </label>
          <button
            type="submit"
            disabled={!isTimeOffValid || busy}
            className="rounded-lg bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 disabled:cursor-not-allowed disabled:bg-slate-300"
          >
            Add time off
          </button>
        </div>
        {offStart !== '' && offEnd !== '' && offEnd <= offStart ? (
          <p className="text-xs font-medium text-red-700">The end must be after the start.</p>
        ) : null}
      </form>

      <div className="grid gap-2">
        <h3 className="text-sm font-semibold text-slate-800">Upcoming time off</h3>
        {timeOff.length === 0 ? (
          <p className="text-sm text-slate-500">No time off planned.</p>
        ) : (
          <ul className="grid gap-1.5">
            {timeOff.map((row) => (
              <li
                key={row.id}
                className="flex flex-wrap items-center justify-between gap-2 rounded-lg bg-slate-50 px-3 py-2 text-sm"
              >
                <span>
                  <strong>{formatLocalDateTime(row.starts_local)}</strong> →{' '}
                  <strong>{formatLocalDateTime(row.ends_local)}</strong>
                  {row.reason ? <span className="text-slate-500"> · {row.reason}</span> : null}
                </span>
                <button
                  type="button"
                  disabled={busy}
                  className="rounded-md px-2 py-1 font-medium text-red-700 hover:bg-red-100"
                  aria-label={`Remove time off from ${formatLocalDateTime(row.starts_local)}`}
                  onClick={async () => {
                    setBusy(true);
                    try {
                      await deleteTimeOff(supabase, row.id);
                      toast.success('Time off removed.');
                      router.refresh();
                    } catch (e) {
                      setError(toAvailabilityWriteError(e).message);
                    } finally {
                      setBusy(false);
                    }
                  }}
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>

      {error ? (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm font-medium text-red-800">
          {error}
        </p>
      ) : null}

      <ConfirmDialog
        open={pending !== null}
        title="Block hours with booked patients?"
        confirmLabel="Save anyway"
        isDestructive
        isBusy={busy}
        onCancel={() => setPending(null)}
        onConfirm={() => void confirmPending()}
      >
        <p>
          These hours contain <strong>{affectedLabel(pending?.affected ?? [])}</strong>. Their appointments
          stay booked; please contact them to move their visits.
        </p>
      </ConfirmDialog>
    </section>
  );
}
