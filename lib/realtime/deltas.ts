/**
 * Turns validated broadcast payloads into store deltas. Views choose how a cancellation shows (kept and
 * marked, or removed) and what is in scope (a dentist's calendar drops an appointment moved to a colleague
 * or out of the visible days: the update arrives, but as a removal for this view).
 */
import type { TAppointmentChanged, THoldChanged } from './payloads';
import type { TDelta } from './snapshot-store';

export type TAppointmentRow = Omit<TAppointmentChanged, 'operation' | 'old'>;
/** Holds carry no version column: 0 makes them last-write-wins, and a tombstone keeps a released hold out. */
export type THoldRow = Omit<THoldChanged, 'operation'> & { version: number };

/** Statuses that mean "this appointment is off the calendar". */
export const CANCELLED_STATUSES: readonly TAppointmentRow['status'][] = ['cancelled', 'late_cancel'];

export type TAppointmentDeltaOptions = {
  receivedAt: number;
  /** 'mark' keeps a cancelled appointment with its status (patient history); 'remove' drops it (calendars). */
  onCancel?: 'mark' | 'remove';
  /** Rows outside the view (other dentist, other days) become removals. */
  isInScope?: (row: TAppointmentRow) => boolean;
};

export function appointmentDelta(
  payload: TAppointmentChanged,
  options: TAppointmentDeltaOptions,
): TDelta<TAppointmentRow> {
  const { operation: _operation, old: _old, ...row } = payload;
  const isRemoval =
    payload.operation === 'DELETE' ||
    (options.onCancel === 'remove' && CANCELLED_STATUSES.includes(row.status)) ||
    (options.isInScope !== undefined && !options.isInScope(row));
  if (isRemoval) return { kind: 'remove', id: row.id, version: row.version, receivedAt: options.receivedAt };
  return { kind: 'upsert', row, receivedAt: options.receivedAt };
}

export function holdDelta(payload: THoldChanged, receivedAt: number): TDelta<THoldRow> {
  const { operation, ...rest } = payload;
  if (operation === 'DELETE') return { kind: 'remove', id: rest.id, version: 0, receivedAt };
  return { kind: 'upsert', row: { ...rest, version: 0 }, receivedAt };
}

/** Holds still in force at `now` (a lapsed hold is not deleted by the database, it just stops counting). */
export function activeHolds<TRow extends { expires_at: string }>(rows: readonly TRow[], now: number): TRow[] {
  return rows.filter((row) => Date.parse(row.expires_at) > now);
}
