/**
 * Has a streamed commit become visible yet? Postgres streams a commit as soon as its commit record is
 * flushed, but the transaction only leaves the proc array (and becomes visible to new snapshots) a
 * moment later; under CPU load that moment can be long. An RLS re-check that runs in between finds
 * no row (or the previous version of it), so every visibility check first makes sure the snapshot it
 * uses already sees the batch's transactions.
 *
 * pgoutput's Begin carries the 32-bit xid; `pg_current_snapshot()` gives 64-bit xids. A streamed xid is
 * always recent, so it lies within 2^31 of the snapshot's xmax and its epoch follows from that.
 */
import type { Pool } from '../../db';

const XID_MODULUS = 2n ** 32n;

export interface Snapshot {
  /** First xid not yet completed when the snapshot was taken. */
  xmax: bigint;
  /** Xids below xmax still running when the snapshot was taken. */
  inProgress: Set<bigint>;
}

/** Parses `pg_current_snapshot()::text`, e.g. `748:752:748,750`. */
export function parseSnapshot(text: string): Snapshot {
  const [, xmax, xip = ''] = text.split(':');
  if (xmax === undefined || !/^\d+$/.test(xmax)) throw new Error(`unexpected snapshot text: ${text}`);
  return {
    xmax: BigInt(xmax),
    inProgress: new Set(
      xip
        .split(',')
        .filter(Boolean)
        .map((x) => BigInt(x)),
    ),
  };
}

/** True when the (recent, 32-bit) xid had completed when `snapshot` was taken. */
export function isCompletedIn(snapshot: Snapshot, xid: number): boolean {
  const low = snapshot.xmax % XID_MODULUS;
  // Circular distance from xmax, as TransactionIdPrecedes computes it: >= 0 means "not before xmax".
  const distance = Number(BigInt.asIntN(32, BigInt(xid) - low));
  if (distance >= 0) return false;
  return !snapshot.inProgress.has(snapshot.xmax + BigInt(distance));
}

export function allCompletedIn(snapshot: Snapshot, xids: Iterable<number>): boolean {
  for (const xid of xids) if (!isCompletedIn(snapshot, xid)) return false;
  return true;
}

/** How long a streamed commit may stay invisible before its rows are given up (and logged). */
export const MAX_VISIBILITY_WAIT_MS = 10_000;
/** Poll delays while waiting; the window is normally far below a millisecond. */
const WAIT_STEPS_MS = [0, 1, 2, 5, 10, 20, 50] as const;

/**
 * Waits until a new snapshot sees every one of `xids`; resolves false if that takes longer than
 * `maxMs` (a commit held back, e.g. by synchronous replication waiting for a standby).
 */
export async function waitUntilVisible(
  pool: Pool,
  xids: number[],
  opts: { onWait?: () => void; maxMs?: number } = {},
): Promise<boolean> {
  const deadline = Date.now() + (opts.maxMs ?? MAX_VISIBILITY_WAIT_MS);
  for (let attempt = 0; ; attempt++) {
    const { rows } = await pool.query<{ snap: string }>('select pg_current_snapshot()::text as snap');
    if (allCompletedIn(parseSnapshot(rows[0].snap), xids)) return true;
    if (attempt === 0) opts.onWait?.();
    if (Date.now() >= deadline) return false;
    const delay = WAIT_STEPS_MS[Math.min(attempt, WAIT_STEPS_MS.length - 1)];
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
