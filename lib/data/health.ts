/** The database probe of the ops health report: one cheap HEAD request that runs a query in Postgres. */
import { toVoidResult, type TDataResult, type TDb } from './result';

/** A table anyone may read and that every migrated project has; one row id, no patient data. */
const PROBE_TABLE = 'clinics';

export async function probeDatabase(db: TDb, timeoutMs: number): Promise<TDataResult<void>> {
  return toVoidResult(
    await db
      .from(PROBE_TABLE)
      .select('id', { head: true })
      .limit(1)
      // One probe, one answer: supabase-js would otherwise retry a 503 or a network error for
      // up to 7 s, hiding an outage from the monitor until its own timeout.
      .retry(false)
      .abortSignal(AbortSignal.timeout(timeoutMs)),
  );
}
