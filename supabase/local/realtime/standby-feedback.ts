/**
 * Standby status feedback for our logical replication consumers (database broadcast and Postgres
 * Changes), replacing pg-logical-replication's automatic acknowledgements.
 *
 * Why: a walsender only exits at shutdown once the receiver reports a flush position EXACTLY equal
 * to the last position it sent (PostgreSQL `WalSndDone`: `sentPtr == flush`); until then a logical
 * walsender loops without sleeping and keeps the postmaster from finishing a fast shutdown. The
 * library's automatic acknowledgement (a) reports `lsn + 1`, never equal to what was sent, and
 * (b) ignores the server's "reply now" keepalives, answering only every 10 s. Together that left
 * `pg_ctl stop` hanging for minutes with both walsenders spinning a core.
 *
 * What we do instead, like PostgreSQL's own apply worker: every change is handled synchronously
 * when it arrives, so whatever the server reports (a data message's LSN or a keepalive's end of
 * WAL) is already processed; we report exactly that position, immediately when the server asks for
 * a reply, and whenever it has advanced.
 */
import type { LogicalReplicationService } from 'pg-logical-replication';

/** Library config that turns its own acknowledgements off (we send ours, see `attachStandbyFeedback`). */
export const MANUAL_ACKNOWLEDGE = { acknowledge: { auto: false, timeoutSeconds: 0 } } as const;

/** Periodic status even with nothing new, so a quiet stream's slot keeps confirming its position. */
const STATUS_INTERVAL_MS = 10_000;

const MAX_LOW = 0xffff_ffff;

/** Parses `X/Y` (hex halves) into its two 32-bit halves; null when malformed. */
export function parseLsn(lsn: string): [number, number] | null {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(lsn);
  if (!m) return null;
  return [parseInt(m[1], 16), parseInt(m[2], 16)];
}

export function formatLsn(high: number, low: number): string {
  return `${high.toString(16).toUpperCase()}/${low.toString(16).toUpperCase()}`;
}

/** Orders two LSNs: negative, zero or positive. Malformed ones sort first. */
export function compareLsn(a: string, b: string): number {
  const pa = parseLsn(a) ?? [0, 0];
  const pb = parseLsn(b) ?? [0, 0];
  return pa[0] - pb[0] || pa[1] - pb[1];
}

/**
 * The argument to pass to the library's `acknowledge()` so that the position on the wire is `lsn`
 * itself: the library adds one byte to what it is given (pinned version 2.5.0). Null for `0/0`.
 */
export function libraryAckArgument(lsn: string): string | null {
  const parsed = parseLsn(lsn);
  if (!parsed) return null;
  const [high, low] = parsed;
  if (low > 0) return formatLsn(high, low - 1);
  if (high > 0) return formatLsn(high - 1, MAX_LOW);
  return null;
}

/**
 * Sends exact standby status updates on `service`, which must have been created with
 * `MANUAL_ACKNOWLEDGE`. Returns a function that stops the periodic update.
 */
export function attachStandbyFeedback(service: LogicalReplicationService): () => void {
  let received = '0/0';
  let reported = '0/0';
  const report = (force: boolean) => {
    if (!force && compareLsn(received, reported) <= 0) return;
    const arg = libraryAckArgument(received);
    if (arg === null) return;
    reported = received;
    // Returns false (and sends nothing) once the stream has stopped: nothing to report then.
    void service.acknowledge(arg).catch(() => {});
  };
  const advance = (lsn: string) => {
    if (compareLsn(lsn, received) > 0) received = lsn;
  };
  service.on('data', (lsn: string) => {
    advance(lsn);
    report(false);
  });
  service.on('heartbeat', (lsn: string, _timestamp: number, shouldRespond: boolean) => {
    advance(lsn);
    report(shouldRespond);
  });
  const timer = setInterval(() => report(true), STATUS_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
