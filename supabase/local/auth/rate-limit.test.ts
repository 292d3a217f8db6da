import { describe, expect, it } from 'vitest';
import { FailedSignInLimiter } from './rate-limit';

const LIMITS = { maxFailuresPerEmail: 3, maxFailuresPerAddress: 5, windowMs: 60_000 };

function limiterAt(start = 1_000_000) {
  let now = start;
  const limiter = new FailedSignInLimiter(LIMITS, () => now);
  return { limiter, advance: (ms: number) => (now += ms) };
}

describe('FailedSignInLimiter', () => {
  it.each([
    [2, false],
    [3, true],
  ])('after %i failures for one e-mail, limited=%s', (failures, limited) => {
    const { limiter } = limiterAt();
    for (let i = 0; i < failures; i++) limiter.recordFailure('a@x.test', '10.0.0.1');
    expect(limiter.check('a@x.test', '10.0.0.1')).toMatchObject({
      limited,
      ...(limited ? { scope: 'email' } : {}),
    });
  });

  it('limits an address across many e-mails', () => {
    const { limiter } = limiterAt();
    for (let i = 0; i < 5; i++) limiter.recordFailure(`u${i}@x.test`, '10.0.0.2');
    expect(limiter.check('fresh@x.test', '10.0.0.2')).toMatchObject({ limited: true, scope: 'address' });
    expect(limiter.check('fresh@x.test', '10.0.0.3').limited).toBe(false);
  });

  it('forgets failures that slid out of the window and reports when that happens', () => {
    const { limiter, advance } = limiterAt();
    limiter.recordFailure('a@x.test', 'ip'); // t = 0
    advance(20_000);
    limiter.recordFailure('a@x.test', 'ip'); // t = 20 s
    limiter.recordFailure('a@x.test', 'ip'); // t = 20 s
    // The oldest counted failure (t = 0) leaves the 60 s window at t = 60 s, 40 s from now.
    expect(limiter.check('a@x.test', 'ip')).toEqual({ limited: true, retryAfterSeconds: 40, scope: 'email' });
    advance(40_001);
    expect(limiter.check('a@x.test', 'ip').limited).toBe(false);
  });

  it('clears only the signed-in e-mail on success', () => {
    const { limiter } = limiterAt();
    for (let i = 0; i < 3; i++) {
      limiter.recordFailure('victim@x.test', 'ip');
      limiter.recordFailure('other@x.test', 'ip2');
    }
    limiter.recordSuccess('other@x.test');
    expect(limiter.check('other@x.test', 'ip3').limited).toBe(false);
    expect(limiter.check('victim@x.test', 'ip3').limited).toBe(true);
  });
});
