'use client';

import { useCallback, useState } from 'react';
import { toast } from 'sonner';
import { useSupabase } from '@/hooks/use-supabase';
import { setAppointmentStatus, type TStatusChange } from '@/lib/data/appointments';
import type { TDataResult } from '@/lib/data/result';
import { rescheduleAppointment } from '@/lib/data/slots';
import type { TAppointmentStatus } from '@/lib/domain/appointments';
import type { TSchedulingError } from '@/lib/domain/errors';
import { UNDO_WINDOW_MS } from '@/lib/scheduling/status';
import { STATUS_LABELS } from './staff-format';

/** What the toast says when our write lost a race with someone else's (optimistic concurrency). */
export const STALE_VERSION_MESSAGE =
  'This appointment was updated by someone else, so we reloaded it. Check it and try again.';

type TTarget = { id: string; version: number; status: TAppointmentStatus };

function successMessage(status: TAppointmentStatus): string {
  if (status === 'cancelled' || status === 'late_cancel') return 'Appointment cancelled.';
  return `Marked as ${STATUS_LABELS[status].toLowerCase()}.`;
}

/**
 * Status changes, cancellations and reschedules through the RPCs, each carrying the version the user
 * saw: a stale version means someone else changed the row first, and the view re-fetches instead of
 * overwriting their change. Every status change offers Undo for UNDO_WINDOW_MS: it sends the previous
 * status through the same RPC with the version the change returned, so it too loses to anyone
 * else's later change instead of overwriting it.
 */
export function useAppointmentActions(reload: () => Promise<void> | void) {
  const supabase = useSupabase();
  const [pendingId, setPendingId] = useState<string | null>(null);

  const report = useCallback(
    async (failure: TSchedulingError) => {
      if (failure.code === 'stale_version' || failure.code === 'not_found') {
        toast.warning(failure.code === 'stale_version' ? STALE_VERSION_MESSAGE : failure.message);
        await reload();
      } else {
        toast.error(failure.message);
      }
    },
    [reload],
  );

  const run = useCallback(
    async (
      target: { id: string },
      call: () => Promise<TDataResult<unknown>>,
      success: string,
    ): Promise<boolean> => {
      setPendingId(target.id);
      try {
        const result = await call();
        // Only a refused request is a failure; the answer's fields are not read here.
        if (result.ok || result.error.kind === 'shape') {
          toast.success(success);
          return true;
        }
        await report(result.error);
        return false;
      } finally {
        setPendingId(null);
      }
    },
    [report],
  );

  const undo = useCallback(
    async (change: TStatusChange, previous: TAppointmentStatus) => {
      setPendingId(change.id);
      try {
        const result = await setAppointmentStatus(supabase, {
          appointmentId: change.id,
          status: previous,
          expectedVersion: change.version,
        });
        if (result.ok)
          toast.success(`Undone: the appointment is ${STATUS_LABELS[previous].toLowerCase()} again.`);
        else await report(result.error);
      } finally {
        setPendingId(null);
      }
    },
    [report, supabase],
  );

  const setStatus = useCallback(
    async (target: TTarget, status: TAppointmentStatus): Promise<boolean> => {
      setPendingId(target.id);
      try {
        const result = await setAppointmentStatus(supabase, {
          appointmentId: target.id,
          status,
          expectedVersion: target.version,
        });
        if (!result.ok) {
          await report(result.error);
          return false;
        }
        const change = result.data;
        toast.success(successMessage(change.status), {
          duration: UNDO_WINDOW_MS,
          action: { label: 'Undo', onClick: () => void undo(change, target.status) },
        });
        return true;
      } finally {
        setPendingId(null);
      }
    },
    [report, supabase, undo],
  );

  const reschedule = useCallback(
    (target: { id: string; version: number }, startsAt: string, dentistId: string) =>
      run(
        target,
        () =>
          rescheduleAppointment(supabase, {
            appointmentId: target.id,
            start: startsAt,
            dentistId,
            expectedVersion: target.version,
          }),
        'Appointment moved.',
      ),
    [run, supabase],
  );

  return { pendingId, setStatus, reschedule };
}
