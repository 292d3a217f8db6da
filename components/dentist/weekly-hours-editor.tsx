'use client';

import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { toast } from 'sonner';
import { useSupabase } from '@/hooks/use-supabase';
import {
  affectedLabel,
  appointmentsAffectedByWeeklyChange,
  draftFromRules,
  isWeekValid,
  MAX_WINDOWS_PER_DAY,
  validateDayWindows,
  WEEKDAY_NAMES,
  WEEKDAYS_MONDAY_FIRST,
  WINDOW_ERROR_MESSAGES,
  weeklyWrites,
  type TBookedAppointment,
  type TRuleRow,
  type TWindowDraft,
} from './availability-model';
import { fetchUpcomingAppointments, saveWeeklyRules, toAvailabilityWriteError } from './availability-data';
import { ConfirmDialog } from './confirm-dialog';

interface WeeklyHoursEditorProps {
  dentistId: string;
  timeZone: string;
  rules: readonly TRuleRow[];
  overrideDates: readonly string[];
}

const DEFAULT_NEW_WINDOW = { start: '09:00', end: '17:00' } as const;

let keySequence = 0;
function newKey(): string {
  keySequence += 1;
  return `new-${keySequence}`;
}

/** A sensible next window: after the day's last one when there is room, else the default. */
function nextWindow(windows: readonly TWindowDraft[]): Pick<TWindowDraft, 'start' | 'end'> {
  const last = windows.at(-1);
  if (!last) return DEFAULT_NEW_WINDOW;
  const [h, m] = last.end.split(':').map(Number);
  const start = h * 60 + m + 60;
  if (Number.isNaN(start) || start + 60 > 24 * 60) return DEFAULT_NEW_WINDOW;
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    start: `${pad(Math.floor(start / 60))}:${pad(start % 60)}`,
    end: `${pad(Math.floor((start + 60) / 60))}:${pad((start + 60) % 60)}`,
  };
}

/**
 * The weekly plan: several windows per weekday (a lunch break is two windows). Saving first counts
 * the booked patients inside hours being removed and asks before going on; their appointments stay
 * booked (the clinic decides whom to call), but no new bookings land there.
 */
export function WeeklyHoursEditor({ dentistId, timeZone, rules, overrideDates }: WeeklyHoursEditorProps) {
  const supabase = useSupabase();
  const router = useRouter();
  const [draft, setDraft] = useState<Record<number, TWindowDraft[]>>(() => draftFromRules(rules));
  const [isSaving, setIsSaving] = useState(false);
  const [pendingConfirm, setPendingConfirm] = useState<TBookedAppointment[] | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const headingId = useId();

  const writes = weeklyWrites(rules, draft);
  const isDirty = writes.deleteIds.length > 0 || writes.inserts.length > 0;
  const isValid = isWeekValid(draft);

  const updateDay = (weekday: number, update: (windows: TWindowDraft[]) => TWindowDraft[]) =>
    setDraft((current) => ({ ...current, [weekday]: update(current[weekday] ?? []) }));

  async function save() {
    setIsSaving(true);
    setFormError(null);
    try {
      await saveWeeklyRules(supabase, dentistId, draft);
      setPendingConfirm(null);
      toast.success('Weekly hours saved.');
      router.refresh();
    } catch (error) {
      setFormError(toAvailabilityWriteError(error).message);
    } finally {
      setIsSaving(false);
    }
  }

  async function requestSave(event: React.FormEvent) {
    event.preventDefault();
    if (!isValid || !isDirty) return;
    setIsSaving(true);
    setFormError(null);
    let affected: TBookedAppointment[];
    try {
      const now = new Date();
      const upcoming = await fetchUpcomingAppointments(supabase, dentistId, now);
      affected = appointmentsAffectedByWeeklyChange({
        appointments: upcoming,
        saved: rules,
        draft,
        overrideDates: new Set(overrideDates),
        timeZone,
        now: now.getTime(),
      });
    } catch (error) {
      setFormError(toAvailabilityWriteError(error).message);
      setIsSaving(false);
      return;
    }
    setIsSaving(false);
    if (affected.length > 0) {
      setPendingConfirm(affected);
      return;
    }
    await save();
  }

  return (
    <section
      aria-labelledby={headingId}
      className="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={headingId} className="text-lg font-semibold">
          Weekly hours
        </h2>
        <p className="text-xs text-slate-500">Times in the clinic’s time zone ({timeZone})</p>
      </div>
      <form onSubmit={requestSave} className="mt-4 grid gap-3" noValidate>
        <ul className="grid gap-3">
          {WEEKDAYS_MONDAY_FIRST.map((weekday) => {
            const windows = draft[weekday] ?? [];
            const errors = validateDayWindows(windows);
            const dayName = WEEKDAY_NAMES[weekday];
            return (
              <li
                key={weekday}
                className="grid gap-2 border-b border-slate-100 pb-3 last:border-b-0 sm:grid-cols-[8rem_1fr]"
              >
                <h3 className="pt-2 text-sm font-semibold text-slate-800">{dayName}</h3>
                <div className="grid gap-2">
                  {windows.length === 0 ? <p className="pt-2 text-sm text-slate-500">Not working</p> : null}
                  {windows.map((window, index) => {
                    const error = errors[index];
                    const errorId = `${headingId}-${weekday}-${window.key}-error`;
                    const label = `${dayName} window ${index + 1}`;
                    return (
                      <div key={window.key} className="grid gap-1" role="group" aria-label={label}>
                        <div className="flex flex-wrap items-center gap-2">
                          <label className="sr-only" htmlFor={`${errorId}-start`}>
                            {label} start
                          </label>
                          <input
                            id={`${errorId}-start`}
                            type="time"
                            step={300}
                            value={window.start}
                            aria-invalid={error ? true : undefined}
                            aria-describedby={error ? errorId : undefined}
                            onChange={(e) => {
                              const value = e.target.value;
                              updateDay(weekday, (list) =>
                                list.map((w) => (w.key === window.key ? { ...w, start: value } : w)),
                              );
                            }}
                            className="rounded-lg border border-slate-300 px-2 py-1.5 text-sm aria-[invalid=true]:border-red-500"
                          />
                          <span aria-hidden className="text-slate-500">
                            –
                          </span>
                          <label className="sr-only" htmlFor={`${errorId}-end`}>
                            {label} end
                          </label>
                          <input
                            id={`${errorId}-end`}
                            type="time"
                            step={300}
                            value={window.end}
                            aria-invalid={error ? true : undefined}
                            aria-describedby={error ? errorId : undefined}
                            onChange={(e) => {
                              const value = e.target.value;
                              updateDay(weekday, (list) =>
                                list.map((w) => (w.key === window.key ? { ...w, end: value } : w)),
                              );
                            }}
                            className="rounded-lg border border-slate-300 px-2 py-1.5 text-sm aria-[invalid=true]:border-red-500"
                          />
                          <button
                            type="button"
                            onClick={() =>
                              updateDay(weekday, (list) => list.filter((w) => w.key !== window.key))
                            }
                            className="rounded-md px-2 py-1 text-sm font-medium text-red-700 hover:bg-red-50"
                            aria-label={`Remove ${label}`}
                          >
                            Remove
                          </button>
                        </div>
                        {error ? (
                          <p id={errorId} className="text-xs font-medium text-red-700">
                            {WINDOW_ERROR_MESSAGES[error]}
                          </p>
                        ) : null}
                      </div>
                    );
                  })}
                  <div>
                    <button
                      type="button"
                      disabled={windows.length >= MAX_WINDOWS_PER_DAY}
                      onClick={() =>
                        updateDay(weekday, (list) => [...list, { key: newKey(), ...nextWindow(list) }])
                      }
                      className="rounded-md px-2 py-1 text-sm font-medium text-brand-700 hover:bg-brand-50 disabled:text-slate-400"
                      aria-label={`Add hours on ${dayName}`}
                    >
                      + Add hours
                    </button>
                  </div>
                </div>
              </li>
            );
          })}
        </ul>
        <div className="flex min-h-10 flex-wrap items-center gap-3">
          <button
            type="submit"
            disabled={!isDirty || !isValid || isSaving}
            className="rounded-lg bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 disabled:cursor-not-allowed disabled:bg-slate-300"
          >
            {isSaving ? 'Saving…' : 'Save weekly hours'}
          </button>
          <button
            type="button"
            disabled={!isDirty || isSaving}
            onClick={() => setDraft(draftFromRules(rules))}
            className="rounded-lg border border-slate-300 px-4 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-50 disabled:text-slate-400"
          >
            Discard changes
          </button>
          <p aria-live="polite" className="text-sm text-slate-600">
            {!isValid ? 'Fix the highlighted windows to save.' : isDirty ? 'Unsaved changes.' : ''}
          </p>
        </div>
        {formError ? (
          <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm font-medium text-red-800">
            {formError}
          </p>
        ) : null}
      </form>
      <ConfirmDialog
        open={pendingConfirm !== null}
        title="Remove hours with booked patients?"
        confirmLabel="Save anyway"
        isDestructive
        isBusy={isSaving}
        onCancel={() => setPendingConfirm(null)}
        onConfirm={() => void save()}
      >
        <p>
          The hours you are removing contain <strong>{affectedLabel(pendingConfirm ?? [])}</strong>. Their
          appointments stay booked; please contact them to move their visits.
        </p>
      </ConfirmDialog>
    </section>
  );
}
