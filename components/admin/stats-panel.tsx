'use client';

import { useEffect, useState } from 'react';
import { z } from 'zod';

export const STATS_URL = '/api/realtime/stats';
export const STATS_POLL_MS = 10_000;
/** A hung request must not stall the next poll. */
const STATS_TIMEOUT_MS = 8_000;
/** The panel shows at most this many figures, so an unexpectedly large answer stays readable. */
const MAX_FIGURES = 8;

type TFigure = { label: string; value: string };

/** The endpoint's shape may grow; anything JSON is accepted and its scalar figures are shown. */
const ZJsonObject = z.record(z.string(), z.unknown());

function labelFor(key: string): string {
  const words = key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_.]+/g, ' ')
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Flattens one level of nesting ("connections.total") and keeps numbers, strings and booleans. */
export function statsFigures(body: unknown): TFigure[] {
  const parsed = ZJsonObject.safeParse(body);
  if (!parsed.success) return [];
  const figures: TFigure[] = [];
  const visit = (prefix: string, value: unknown, depth: number) => {
    if (typeof value === 'number' && Number.isFinite(value))
      figures.push({
        label: labelFor(prefix),
        value: value.toLocaleString('en-GB', { maximumFractionDigits: 1 }),
      });
    else if (typeof value === 'string' && value.length <= 40)
      figures.push({ label: labelFor(prefix), value });
    else if (typeof value === 'boolean')
      figures.push({ label: labelFor(prefix), value: value ? 'yes' : 'no' });
    else if (depth < 1 && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) visit(`${prefix}.${key}`, inner, depth + 1);
    }
  };
  for (const [key, value] of Object.entries(parsed.data)) visit(key, value, 0);
  return figures.slice(0, MAX_FIGURES);
}

type TStatsState =
  | { kind: 'loading' }
  | { kind: 'error'; message: string; last: TFigure[] | null }
  | { kind: 'ready'; figures: TFigure[]; at: Date };

/** Realtime server figures from GET /api/realtime/stats, polled every 10 s; failures never break the board. */
export function StatsPanel() {
  const [state, setState] = useState<TStatsState>({ kind: 'loading' });

  useEffect(() => {
    let isActive = true;
    let controller: AbortController | null = null;
    const load = async () => {
      controller?.abort();
      controller = new AbortController();
      const timeout = setTimeout(() => controller?.abort(), STATS_TIMEOUT_MS);
      try {
        const response = await fetch(STATS_URL, {
          signal: controller.signal,
          cache: 'no-store',
          headers: { accept: 'application/json' },
        });
        if (!response.ok)
          throw new Error(
            response.status === 404
              ? 'Live figures are not available yet.'
              : `Live figures are unavailable (${response.status}).`,
          );
        const figures = statsFigures(await response.json());
        if (isActive) setState({ kind: 'ready', figures, at: new Date() });
      } catch (error) {
        if (!isActive) return;
        const message =
          error instanceof Error && !/abort/i.test(error.name)
            ? error.message
            : 'Live figures did not answer in time.';
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
  }, []);

  const figures = state.kind === 'ready' ? state.figures : state.kind === 'error' ? state.last : null;
  return (
    <section
      aria-labelledby="stats-heading"
      aria-busy={state.kind === 'loading'}
      className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm"
    >
      <h2 id="stats-heading" className="text-sm font-semibold">
        Realtime
      </h2>
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
      {state.kind === 'ready' && state.figures.length === 0 ? (
        <p className="mt-2 text-sm text-slate-500">No figures reported.</p>
      ) : null}
      {state.kind === 'error' ? (
        <p className="mt-2 text-xs text-amber-800">{state.message} Retrying every 10 s.</p>
      ) : null}
    </section>
  );
}
