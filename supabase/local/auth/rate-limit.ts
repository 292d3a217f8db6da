/**
 * Brute-force protection for password sign-ins, GoTrue's way: a per-IP limit whose size comes from
 * the project config (`[auth.rate_limit] sign_in_sign_ups`, 30 per 5 minutes by default), and no
 * lock on an account. A per-account lock would let anyone who knows an e-mail address keep its
 * owner out with ten wrong guesses; GoTrue has none, so neither does this server.
 *
 * Failed attempts are counted per client address in a sliding window, in memory. Once the count
 * reaches the limit, further sign-ins from that address are refused with 429 until old failures
 * slide out of the window — even with the right password, otherwise the limit would only slow an
 * attacker down until the first hit. A success does not reset the count: one valid account must
 * not be a way to clear an address's record.
 */
import type { FailedSignInLimits } from './options';

/** Keys are swept when the map grows past this, so one-off addresses do not accumulate forever. */
const SWEEP_THRESHOLD = 10_000;

export interface LimitVerdict {
  limited: boolean;
  /** Seconds until the oldest counted failure leaves the window (only when limited). */
  retryAfterSeconds: number;
}

export class FailedSignInLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limits: FailedSignInLimits,
    private readonly now: () => number = Date.now,
  ) {}

  check(address: string): LimitVerdict {
    const list = this.recent(address);
    const max = this.limits.maxFailuresPerAddress;
    if (list.length < max) return { limited: false, retryAfterSeconds: 0 };
    const oldestCounted = list[list.length - max];
    const retryMs = oldestCounted + this.limits.windowMs - this.now();
    return { limited: true, retryAfterSeconds: Math.max(1, Math.ceil(retryMs / 1000)) };
  }

  recordFailure(address: string): void {
    const list = this.recent(address);
    list.push(this.now());
    this.failures.set(address, list);
    if (this.failures.size > SWEEP_THRESHOLD) this.sweep();
  }

  private recent(key: string): number[] {
    const cutoff = this.now() - this.limits.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > cutoff);
    if (list.length === 0) this.failures.delete(key);
    else this.failures.set(key, list);
    return list;
  }

  private sweep(): void {
    for (const key of [...this.failures.keys()]) this.recent(key);
  }
}
