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
    return this.add(1, now);
  }

  /** Counts `n` events at once (a fan-out); false when the window is over the limit afterwards. */
  add(n: number, now = Date.now()): boolean {
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.count = 0;
    }
    this.count += n;
    return this.count <= this.max;
  }

  /** Whether the current window is already over the limit (without counting anything). */
  isOver(now = Date.now()): boolean {
    return now - this.windowStart < this.windowMs && this.count > this.max;
  }
}
