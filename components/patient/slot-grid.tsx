'use client';

import { formatTime } from './format';
import type { TSlotCell } from './use-live-slots';

const SKELETON_CELLS = 12;

/**
 * Free start times as buttons. A time that was taken while the grid was open stays in place, greyed and
 * labelled "taken" (no reflow under the pointer); choosing it explains and offers alternatives.
 */
export function SlotGrid({
  cells,
  timeZone,
  isLoading,
  selectedStart,
  showDentist,
  onPick,
  disabled = false,
}: {
  cells: readonly TSlotCell[];
  timeZone: string;
  isLoading: boolean;
  selectedStart: string | null;
  showDentist: boolean;
  onPick: (cell: TSlotCell) => void;
  disabled?: boolean;
}) {
  if (isLoading) {
    return (
      <div
        aria-busy="true"
        aria-label="Loading free times"
        className="grid grid-cols-3 gap-2 sm:grid-cols-4 lg:grid-cols-6"
      >
        {Array.from({ length: SKELETON_CELLS }, (_, i) => (
          <div key={i} className="h-14 animate-pulse rounded-lg bg-slate-200/70" />
        ))}
      </div>
    );
  }
  if (cells.length === 0) {
    return (
      <p className="rounded-xl border border-dashed border-slate-300 bg-white p-6 text-center text-slate-600">
        No free times on this day. Please try another day{showDentist ? '' : ' or another dentist'}.
      </p>
    );
  }
  return (
    <ul aria-label="Free times" className="grid grid-cols-3 gap-2 sm:grid-cols-4 lg:grid-cols-6">
      {cells.map((cell) => {
        const time = formatTime(cell.start, timeZone);
        const isSelected = selectedStart !== null && Date.parse(selectedStart) === Date.parse(cell.start);
        const who = cell.dentists.map((d) => d.name).join(', ');
        return (
          <li key={cell.start}>
            <button
              type="button"
              data-slot-start={cell.start}
              data-state={cell.isTaken ? 'taken' : 'free'}
              aria-pressed={isSelected}
              aria-label={`${time} ${cell.isTaken ? 'taken' : 'available'}${showDentist && !cell.isTaken ? ` with ${who}` : ''}`}
              disabled={disabled}
              onClick={() => onPick(cell)}
              className={`flex h-14 w-full flex-col items-center justify-center rounded-lg border text-sm font-semibold transition-colors disabled:cursor-not-allowed ${
                cell.isTaken
                  ? 'border-slate-200 bg-slate-100 text-slate-400 line-through'
                  : isSelected
                    ? 'border-brand-600 bg-brand-600 text-white'
                    : 'border-slate-200 bg-white text-slate-800 hover:border-brand-500 hover:bg-brand-50'
              }`}
            >
              <span>{time}</span>
              <span
                className={`max-w-full truncate px-1 text-[11px] font-normal ${cell.isTaken ? 'no-underline' : ''}`}
              >
                {cell.isTaken
                  ? 'Taken'
                  : isSelected
                    ? 'Selected'
                    : showDentist
                      ? (cell.dentists[0]?.name ?? '')
                      : 'Free'}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
