/**
 * The reconnect schedule of the stack's long-lived database sessions (the two replication streams,
 * the re-authorization listener): one pending retry at a time, delays growing to a ceiling, back to
 * the shortest once a connection is up again, and a timer that never keeps the process alive.
 */

/** Quick at first (a restart is usually short), then every 2 s until Postgres answers. */
export const RECONNECT_DELAYS_MS: readonly number[] = [100, 250, 500, 1_000, 2_000];

export class ReconnectBackoff {
  private attempt = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly delaysMs: readonly number[] = RECONNECT_DELAYS_MS) {}

  /** True between a lost connection and the next success. */
  get isRetrying(): boolean {
    return this.attempt > 0;
  }

  /** Runs `retry` after the next delay, unless a retry is already pending. */
  schedule(retry: () => void): void {
    if (this.timer) return;
    const delay = this.delaysMs[Math.min(this.attempt, this.delaysMs.length - 1)];
    this.attempt++;
    this.timer = setTimeout(() => {
      this.timer = null;
      retry();
    }, delay);
    this.timer.unref();
  }

  /** Connected again: the next loss starts from the shortest delay. */
  reset(): void {
    this.attempt = 0;
  }

  /** Stopping: drop a pending retry. */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
