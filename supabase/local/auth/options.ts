/**
 * Tunables of the Auth service. Defaults follow the Supabase CLI's `config.toml` defaults
 * (auto-confirmed e-mail sign-ups, anonymous sign-ins off, 6-character passwords, 10 s refresh-token
 * reuse interval) so the local stack behaves like `supabase start`.
 */

export interface FailedSignInLimits {
  /** Failed password sign-ins allowed per e-mail address inside the window before answering 429. */
  maxFailuresPerEmail: number;
  /** Failed password sign-ins allowed per client address inside the window before answering 429. */
  maxFailuresPerAddress: number;
  windowMs: number;
}

export interface AuthOptions {
  passwordMinLength: number;
  /** Seconds a rotated refresh token may still be presented (concurrent tabs, lost responses). */
  refreshTokenReuseIntervalSeconds: number;
  /** `[auth.email] enable_confirmations = false` in the CLI: sign-ups are confirmed at once. */
  mailerAutoconfirm: boolean;
  anonymousSignInsEnabled: boolean;
  disableSignup: boolean;
  bcryptCost: number;
  failedSignIns: FailedSignInLimits;
  /**
   * Header that carries the client address for rate limiting (first entry wins), as GoTrue's
   * `RATE_LIMIT_HEADER`; `null` = use the socket address. The local gateway is usually reached
   * through a dev server or test harness on loopback, so the forwarded address is the useful one.
   */
  clientAddressHeader: string | null;
  /** Wall clock, injectable for tests. */
  now: () => number;
}

export const MAX_PASSWORD_BYTES = 72;
export const MAX_EMAIL_LENGTH = 255;
export const DEFAULT_PER_PAGE = 50;
export const AUTH_BODY_LIMIT = 1024 * 1024;

export const DEFAULT_AUTH_OPTIONS: AuthOptions = {
  passwordMinLength: 6,
  refreshTokenReuseIntervalSeconds: 10,
  mailerAutoconfirm: true,
  anonymousSignInsEnabled: false,
  disableSignup: false,
  bcryptCost: 10,
  failedSignIns: { maxFailuresPerEmail: 10, maxFailuresPerAddress: 30, windowMs: 5 * 60_000 },
  clientAddressHeader: 'x-forwarded-for',
  now: () => Date.now(),
};

export type AuthOptionsInput = Partial<Omit<AuthOptions, 'failedSignIns'>> & {
  failedSignIns?: Partial<FailedSignInLimits>;
};

export function resolveAuthOptions(input: AuthOptionsInput = {}): AuthOptions {
  return {
    ...DEFAULT_AUTH_OPTIONS,
    ...input,
    failedSignIns: { ...DEFAULT_AUTH_OPTIONS.failedSignIns, ...input.failedSignIns },
  };
}
