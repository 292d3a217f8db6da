'use client';

import { useCallback, useEffect, useState } from 'react';
import { useSupabase } from '@/hooks/use-supabase';
import { listClinicActivity, type TActivityEntry } from '@/lib/data/activity';
import { formatLocalDate, formatTime, STATUS_LABELS } from '@/components/dentist/staff-format';
import { instantToLocal } from '@/lib/scheduling/time-zone';
import { useProfileNames } from '@/components/dentist/use-profile-names';
import type { TBoardDentist, TBoardService } from './board-types';

export const FEED_LIMIT = 25;
/** Live changes come in bursts (a reschedule is one update, a seed many); one re-read per burst. */
const FEED_REFRESH_DEBOUNCE_MS = 300;

type TEntry = TActivityEntry;

interface ActivityFeedProps {
  clinicId: string;
  timeZone: string;
  dentists: Readonly<Record<string, TBoardDentist>>;
  services: Readonly<Record<string, TBoardService>>;
  /** Bumped on every live schedule event: the feed re-reads activity_log (the table is the truth). */
  refreshSignal: number;
}

/** The clinic's activity log, newest first, refreshed live whenever the schedule changes. */
export function ActivityFeed({ clinicId, timeZone, dentists, services, refreshSignal }: ActivityFeedProps) {
  const supabase = useSupabase();
  const [entries, setEntries] = useState<TEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const names = useProfileNames(
    (entries ?? []).flatMap((e) => [e.actor_id, e.patient_id].filter((id): id is string => id !== null)),
  );

  const load = useCallback(async () => {
    const result = await listClinicActivity(supabase, clinicId, FEED_LIMIT);
    if (!result.ok) {
      setError(
        result.error.kind === 'shape'
          ? 'Could not read the activity feed.'
          : 'Could not load the activity feed.',
      );
      return;
    }
    setError(null);
    setEntries(result.data);
  }, [clinicId, supabase]);

  useEffect(() => {
    const timer = setTimeout(() => void load(), refreshSignal === 0 ? 0 : FEED_REFRESH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [load, refreshSignal]);

  function describe(entry: TEntry): string {
    const actor = entry.actor_id
      ? (names[entry.actor_id] ?? 'Someone')
      : entry.actor_role === 'system'
        ? 'System'
        : 'Clinic system';
    const patient = entry.patient_id ? (names[entry.patient_id] ?? 'a patient') : 'a patient';
    const dentist = entry.dentist_id
      ? (dentists[entry.dentist_id]?.display_name ?? 'a dentist')
      : 'a dentist';
    const image = entry.after ?? entry.before;
    const service = image?.service_id ? (services[image.service_id]?.name ?? 'appointment') : 'appointment';
    const when = image?.starts_at
      ? `${formatLocalDate(instantToLocal(new Date(image.starts_at), timeZone).date, { weekday: 'short', day: 'numeric', month: 'short' })} ${formatTime(image.starts_at, timeZone)}`
      : '';
    if (entry.entity_type === 'appointment') {
      if (entry.action === 'insert') return `${actor} booked ${patient} · ${service} ${when} with ${dentist}`;
      const before = entry.before;
      const after = entry.after;
      if (before?.starts_at && after?.starts_at && before.starts_at !== after.starts_at)
        return `${actor} moved ${patient}'s ${service} to ${when}`;
      if (before?.status && after?.status && before.status !== after.status)
        return `${actor} set ${patient}'s ${service} (${when}) to ${STATUS_LABELS[after.status]}`;
      return `${actor} updated ${patient}'s ${service} (${when})`;
    }
    const verb = entry.action === 'insert' ? 'added' : entry.action === 'delete' ? 'removed' : 'changed';
    const what =
      entry.entity_type === 'time_off'
        ? 'time off'
        : entry.entity_type === 'availability_override'
          ? 'a date override'
          : 'weekly hours';
    return `${actor} ${verb} ${what} for ${dentist}`;
  }

  return (
    <section
      aria-labelledby="feed-heading"
      className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm"
    >
      <h2 id="feed-heading" className="text-sm font-semibold">
        Activity
      </h2>
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}
      {entries === null && !error ? (
        <div aria-hidden className="mt-2 grid gap-2">
          {[0, 1, 2].map((i) => (
            <div key={i} className="h-8 animate-pulse rounded bg-slate-100" />
          ))}
        </div>
      ) : null}
      {entries !== null && entries.length === 0 ? (
        <p className="mt-2 text-sm text-slate-500">Nothing has happened yet.</p>
      ) : null}
      {entries !== null && entries.length > 0 ? (
        <ol
          aria-live="polite"
          aria-label="Clinic activity, newest first"
          className="mt-2 grid max-h-96 gap-2 overflow-y-auto pr-1"
        >
          {entries.map((entry) => (
            <li key={String(entry.id)} className="border-b border-slate-100 pb-2 text-xs last:border-b-0">
              <p className="text-slate-800">{describe(entry)}</p>
              <p className="text-slate-500 tabular-nums">{formatTime(entry.occurred_at, timeZone)}</p>
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
