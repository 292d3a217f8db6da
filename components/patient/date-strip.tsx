'use client';

import { formatLocalDate } from './format';

/**
 * A row of day buttons (clinic-local dates). Arrow keys move between days; the chosen day is
 * aria-pressed. Scrolls sideways on narrow screens instead of wrapping, so nothing below moves.
 */
export function DateStrip({
  dates,
  selected,
  onSelect,
  label,
}: {
  dates: readonly string[];
  selected: string | null;
  onSelect: (date: string) => void;
  label: string;
}) {
  function onKeyDown(event: React.KeyboardEvent<HTMLDivElement>) {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const buttons = [...event.currentTarget.querySelectorAll<HTMLButtonElement>('button[data-date]')];
    const index = buttons.findIndex((button) => button === document.activeElement);
    if (index < 0) return;
    event.preventDefault();
    const next =
      buttons[Math.min(buttons.length - 1, Math.max(0, index + (event.key === 'ArrowRight' ? 1 : -1)))];
    next.focus();
  }
  return (
    <div
      role="group"
      aria-label={label}
      onKeyDown={onKeyDown}
      className="-mx-1 flex min-w-0 snap-x gap-2 overflow-x-auto px-1 pb-2"
    >
      {dates.map((date) => {
        const [weekday, day, month] = formatLocalDate(date).split(' ');
        const isSelected = date === selected;
        return (
          <button
            key={date}
            type="button"
            data-date={date}
            aria-pressed={isSelected}
            aria-label={formatLocalDate(date, { withYear: true })}
            onClick={() => onSelect(date)}
            className={`flex w-16 shrink-0 snap-start flex-col items-center rounded-xl border px-2 py-2 text-sm transition-colors ${
              isSelected
                ? 'border-brand-600 bg-brand-600 text-white shadow-sm'
                : 'border-slate-200 bg-white text-slate-700 hover:border-brand-500 hover:bg-brand-50'
            }`}
          >
            <span className="text-xs font-medium uppercase">{weekday}</span>
            <span className="text-lg font-semibold">{day}</span>
            <span className="text-xs">{month}</span>
          </button>
        );
      })}
    </div>
  );
}
