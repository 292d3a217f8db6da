/**
 * Brute-force protection for password sign-ins: failed attempts are counted per e-mail address and
 * per client address in a sliding window, in memory. Once either count reaches its limit, further
 * attempts for that key are refused with 429 until old failures slide out of the window — even with
 * the right password, otherwise the limit would only slow an attacker down until the first hit.
 * A success clears only the counter of the e-mail that signed in: one valid account must not be a
 * way to reset the address counter or anyone else's.
 */
import type { FailedSignInLimits } from './options';

/** Keys are swept when the map grows past this, so one-off addresses do not accumulate forever. */
const SWEEP_THRESHOLD = 10_000;

export interface LimitVerdict {
  limited: boolean;
  /** Seconds until the oldest counted failure leaves the window (only when limited). */
  retryAfterSeconds: number;
  scope?: 'email' | 'address';
}

export class FailedSignInLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limits: FailedSignInLimits,
    private readonly now: () => number = Date.now,
  ) {}

  check(email: string, address: string): LimitVerdict {
    const byEmail = this.verdict(`email:${email}`, this.limits.maxFailuresPerEmail);
    if (byEmail.limited) return { ...byEmail, scope: 'email' };
    const byAddress = this.verdict(`address:${address}`, this.limits.maxFailuresPerAddress);
    if (byAddress.limited) return { ...byAddress, scope: 'address' };
    return { limited: false, retryAfterSeconds: 0 };
  }

  recordFailure(email: string, address: string): void {
    const t = this.now();
    for (const key of [`email:${email}`, `address:${address}`]) {
      const list = this.recent(key);
      list.push(t);
      this.failures.set(key, list);
    }
    if (this.failures.size > SWEEP_THRESHOLD) this.sweep();
  }

  recordSuccess(email: string): void {
    this.failures.delete(`email:${email}`);
  }

  private verdict(key: string, max: number): LimitVerdict {
    const list = this.recent(key);
    if (list.length < max) return { limited: false, retryAfterSeconds: 0 };
    const oldestCounted = list[list.length - max];
    const retryMs = oldestCounted + this.limits.windowMs - this.now();
    return { limited: true, retryAfterSeconds: Math.max(1, Math.ceil(retryMs / 1000)) };
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
