/** Bookable time: available slots, holds, and the booking/rescheduling/cancelling RPCs. */
import { toCountResult, type TDataResult, type TDb } from './result';

/** How many of a clinic's holds have not expired at `now`. */
export async function countActiveHolds(db: TDb, clinicId: string, now: Date): Promise<TDataResult<number>> {
  return toCountResult(
    await db
      .from('slot_holds')
      .select('id', { count: 'exact', head: true })
      .eq('clinic_id', clinicId)
      .gt('expires_at', now.toISOString()),
  );
}
