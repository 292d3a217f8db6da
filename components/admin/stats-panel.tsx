'use client';

import { useEffect, useState } from 'react';
import {
  ZServerStatsReport,
  ZStatsReport,
  type TServerStatsReport,
  type TStatsReport,
} from '@/lib/ops/schemas';

/** The admin's own clinic: bookings and holds (GET /api/realtime/stats, clinic admins). */
export const STATS_URL = '/api/realtime/stats';
/** Every clinic's realtime traffic added up (GET /api/realtime/server-stats, server operators only). */
export const SERVER_STATS_URL = '/api/realtime/server-stats';
export const STATS_POLL_MS = 10_000;
/** A hung request must not stall the next poll. */
const STATS_TIMEOUT_MS = 8_000;

export type TFigure = { label: string; value: string };

const formatNumber = (value: number) => value.toLocaleString('en-GB', { maximumFractionDigits: 1 });
const orDash = (value: number | null, unit = '') => (value === null ? '—' : `${formatNumber(value)}${unit}`);

/** The clinic report as figures; every one of them is about this clinic only. */
export function clinicFigures(report: TStatsReport): TFigure[] {
  return [
    { label: 'Booked today', value: formatNumber(report.scheduling.bookingsToday) },
    { label: 'Booked this week', value: formatNumber(report.scheduling.bookingsThisWeek) },
    { label: 'Slots on hold now', value: formatNumber(report.scheduling.activeHolds) },
  ];
}

/** The server report as figures; all of them add up every clinic on the server. */
export function serverFigures(report: TServerStatsReport): TFigure[] {
  const r = report.realtime;
  return [
    { label: 'Connections', value: orDash(r.connections) },
    { label: 'Channels', value: orDash(r.channels) },
    { label: 'Joins / s', value: orDash(r.joinsPerSecond) },
    { label: 'Messages / s', value: orDash(r.messagesPerSecond) },
    { label: 'Commit → send p95', value: orDash(r.deliveryLatencyMs.p95, ' ms') },
    { label: 'Commit → send p99', value: orDash(r.deliveryLatencyMs.p99, ' ms') },
  ];
}

type TStatsState =
  | { kind: 'loading' }
  | { kind: 'error'; message: string; last: TFigure[] | null }
  | { kind: 'ready'; figures: TFigure[]; note: string | null };

/** Polls `url` every 10 s and turns the answer into figures; failures keep the last figures. */
function usePolledFigures(
  url: string,
  toFigures: (body: unknown) => { figures: TFigure[]; note: string | null },
): TStatsState {
  const [state, setState] = useState<TStatsState>({ kind: 'loading' });
  useEffect(() => {
    let isActive = true;
    let controller: AbortController | null = null;
    const load = async () => {
      controller?.abort();
      controller = new AbortController();
      const timeout = setTimeout(() => controller?.abort(), STATS_TIMEOUT_MS);
      try {
        const response = await fetch(url, {
          signal: controller.signal,
          cache: 'no-store',
          headers: { accept: 'application/json' },
        });
        if (!response.ok) throw new Error(`Figures are unavailable (${response.status}).`);
        const next = toFigures(await response.json());
        if (isActive) setState({ kind: 'ready', ...next });
      } catch (error) {
        if (!isActive) return;
        const message =
          error instanceof Error && !/abort/i.test(error.name)
            ? error.message
            : 'Figures did not answer in time.';
        setState((prev) => ({
          kind: 'error',
          message,
          last: prev.kind === 'ready' ? prev.figures : prev.kind === 'error' ? prev.last : null,
        }));
      } finally {
        clearTimeout(timeout);
      }
    };
    void load();
    const timer = setInterval(() => void load(), STATS_POLL_MS);
    return () => {
      isActive = false;
      clearInterval(timer);
      controller?.abort();
    };
  }, [url, toFigures]);
  return state;
}

function FiguresSection({
  id,
  title,
  scopeNote,
  state,
}: {
  id: string;
  title: string;
  scopeNote: string;
  state: TStatsState;
}) {
  const figures = state.kind === 'ready' ? state.figures : state.kind === 'error' ? state.last : null;
  return (
    <section
      aria-labelledby={id}
      aria-busy={state.kind === 'loading'}
      className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm"
    >
      <h2 id={id} className="text-sm font-semibold">
        {title}
      </h2>
      <p className="mt-0.5 text-[11px] text-slate-500">{scopeNote}</p>
      {state.kind === 'loading' ? (
        <div aria-hidden className="mt-2 grid grid-cols-2 gap-2">
          {[0, 1, 2, 3].map((i) => (
            <div key={i} className="h-10 animate-pulse rounded bg-slate-100" />
          ))}
        </div>
      ) : null}
      {figures && figures.length > 0 ? (
        <dl className="mt-2 grid grid-cols-2 gap-2">
          {figures.map((figure) => (
            <div key={figure.label} className="min-w-0 rounded bg-slate-50 px-2 py-1">
              <dt className="truncate text-[11px] text-slate-500">{figure.label}</dt>
              <dd className="truncate text-sm font-semibold tabular-nums">{figure.value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {state.kind === 'ready' && state.note ? (
        <p className="mt-2 text-xs text-slate-500">{state.note}</p>
      ) : null}
      {state.kind === 'error' ? (
        <p className="mt-2 text-xs text-amber-800">{state.message} Retrying every 10 s.</p>
      ) : null}
    </section>
  );
}

const readClinic = (body: unknown) => ({ figures: clinicFigures(ZStatsReport.parse(body)), note: null });
const readServer = (body: unknown) => {
  const report = ZServerStatsReport.parse(body);
  return {
    figures: serverFigures(report),
    note:
      report.realtime.source === 'unavailable'
        ? 'This platform does not expose realtime server counters.'
        : null,
  };
};

/** The admin's own clinic, polled every 10 s; failures never break the board. */
export function StatsPanel() {
  const state = usePolledFigures(STATS_URL, readClinic);
  return (
    <FiguresSection
      id="stats-heading"
      title="Your clinic"
      scopeNote="Bookings and holds of this clinic only."
      state={state}
    />
  );
}

/** Server operators only: the realtime server's counters, clearly marked as covering every clinic. */
export function ServerStatsPanel() {
  const state = usePolledFigures(SERVER_STATS_URL, readServer);
  return (
    <FiguresSection
      id="server-stats-heading"
      title="Realtime server (all clinics)"
      scopeNote="Server-wide: every clinic on this server added up. Shown to server operators only."
      state={state}
    />
  );
}
