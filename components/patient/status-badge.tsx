import type { TAppointmentStatus } from '@/lib/domain/appointments';

export const STATUS_LABELS: Record<TAppointmentStatus, string> = {
  scheduled: 'Scheduled',
  confirmed: 'Confirmed',
  checked_in: 'Checked in',
  in_chair: 'In the chair',
  completed: 'Completed',
  cancelled: 'Cancelled',
  late_cancel: 'Cancelled (late)',
  no_show: 'Missed',
};

const STATUS_STYLES: Record<TAppointmentStatus, string> = {
  scheduled: 'bg-sky-50 text-sky-800 ring-sky-200',
  confirmed: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  checked_in: 'bg-violet-50 text-violet-800 ring-violet-200',
  in_chair: 'bg-violet-50 text-violet-800 ring-violet-200',
  completed: 'bg-slate-100 text-slate-700 ring-slate-200',
  cancelled: 'bg-rose-50 text-rose-800 ring-rose-200',
  late_cancel: 'bg-rose-50 text-rose-800 ring-rose-200',
  no_show: 'bg-amber-50 text-amber-900 ring-amber-200',
};

/** The appointment's status in words (color only supports the text). */
export function StatusBadge({ status }: { status: TAppointmentStatus }) {
  return (
    <span
      data-testid="appointment-status"
      className={`inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ${STATUS_STYLES[status]}`}
    >
      {STATUS_LABELS[status]}
    </span>
  );
}
