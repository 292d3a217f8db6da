/**
 * Fixed-window rate counters. One object per limited thing (a socket's joins, the server's messages);
 * no timers — the window rolls over lazily on the next hit, so idle sockets cost nothing.
 */
export class RateWindow {
  private count = 0;
  private windowStart = 0;
  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one event; false when it is over the limit for the current window. */
  hit(now = Date.now()): boolean {
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.count = 0;
    }
    this.count += 1;
    return this.count <= this.max;
  }
}
