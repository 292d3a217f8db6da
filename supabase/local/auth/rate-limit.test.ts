import { describe, expect, it } from 'vitest';
import { FailedSignInLimiter } from './rate-limit';

const LIMITS = { maxFailuresPerAddress: 3, windowMs: 60_000 };

function limiterAt(start = 1_000_000) {
  let now = start;
  const limiter = new FailedSignInLimiter(LIMITS, () => now);
  return { limiter, advance: (ms: number) => (now += ms) };
}

describe('FailedSignInLimiter', () => {
  it.each([
    [2, false],
    [3, true],
  ])('after %i failures from one address, limited=%s', (failures, limited) => {
    const { limiter } = limiterAt();
    for (let i = 0; i < failures; i++) limiter.recordFailure('10.0.0.1');
    expect(limiter.check('10.0.0.1').limited).toBe(limited);
  });

  it('limits one address without touching another', () => {
    const { limiter } = limiterAt();
    for (let i = 0; i < 3; i++) limiter.recordFailure('10.0.0.2');
    expect(limiter.check('10.0.0.2').limited).toBe(true);
    expect(limiter.check('10.0.0.3').limited).toBe(false);
  });

  it('forgets failures that slid out of the window and reports when that happens', () => {
    const { limiter, advance } = limiterAt();
    limiter.recordFailure('ip'); // t = 0
    advance(20_000);
    limiter.recordFailure('ip'); // t = 20 s
    limiter.recordFailure('ip'); // t = 20 s
    // The oldest counted failure (t = 0) leaves the 60 s window at t = 60 s, 40 s from now.
    expect(limiter.check('ip')).toEqual({ limited: true, retryAfterSeconds: 40 });
    advance(40_001);
    expect(limiter.check('ip').limited).toBe(false);
  });
});
