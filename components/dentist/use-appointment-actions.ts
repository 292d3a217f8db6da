'use client';

import { useCallback, useState } from 'react';
import { toast } from 'sonner';
import { RPC, type TAppointmentStatus } from '@/lib/domain/appointments';
import { toSchedulingError } from '@/lib/domain/errors';
import { useSupabase } from '@/hooks/use-supabase';
import { STATUS_LABELS } from './staff-format';

/** What the toast says when our write lost a race with someone else's (optimistic concurrency). */
export const STALE_VERSION_MESSAGE =
  'This appointment was updated by someone else, so we reloaded it. Check it and try again.';

type TTarget = { id: string; version: number };

/**
 * Status changes, cancellations and reschedules through the RPCs, each carrying the version the user
 * saw: a stale version means someone else changed the row first, and the view re-fetches instead of
 * overwriting their change.
 */
export function useAppointmentActions(reload: () => Promise<void> | void) {
  const supabase = useSupabase();
  const [pendingId, setPendingId] = useState<string | null>(null);

  const run = useCallback(
    async (
      target: TTarget,
      call: () => PromiseLike<{ error: unknown }>,
      success: string,
    ): Promise<boolean> => {
      setPendingId(target.id);
      try {
        const { error } = await call();
        if (!error) {
          toast.success(success);
          return true;
        }
        const failure = toSchedulingError(error);
        if (failure.code === 'stale_version' || failure.code === 'not_found') {
          toast.warning(failure.code === 'stale_version' ? STALE_VERSION_MESSAGE : failure.message);
          await reload();
        } else {
          toast.error(failure.message);
        }
        return false;
      } finally {
        setPendingId(null);
      }
    },
    [reload],
  );

  const setStatus = useCallback(
    (target: TTarget, status: TAppointmentStatus) =>
      run(
        target,
        () =>
          supabase.rpc(RPC.setAppointmentStatus, {
            p_appointment_id: target.id,
            p_status: status,
            p_expected_version: target.version,
          }),
        status === 'cancelled'
          ? 'Appointment cancelled.'
          : `Marked as ${STATUS_LABELS[status].toLowerCase()}.`,
      ),
    [run, supabase],
  );

  const reschedule = useCallback(
    (target: TTarget, startsAt: string, dentistId: string) =>
      run(
        target,
        () =>
          supabase.rpc(RPC.rescheduleAppointment, {
            p_appointment_id: target.id,
            p_starts_at: startsAt,
            p_dentist_id: dentistId,
            p_expected_version: target.version,
          }),
        'Appointment moved.',
      ),
    [run, supabase],
  );

  return { pendingId, setStatus, reschedule };
}
