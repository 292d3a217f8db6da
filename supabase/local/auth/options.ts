/**
 * Tunables of the Auth service. Defaults follow the Supabase CLI's `config.toml` defaults
 * (auto-confirmed e-mail sign-ups, anonymous sign-ins off, 6-character passwords, 10 s refresh-token
 * reuse interval) so the local stack behaves like `supabase start`.
 */

export interface FailedSignInLimits {
  /**
   * Failed password sign-ins allowed per client address inside the window before answering 429
   * (`[auth.rate_limit] sign_in_sign_ups`). There is deliberately no per-account limit: see rate-limit.ts.
   */
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
   * Hosted Auth's `security_sb_forwarded_for_enabled`: a request made with a secret API key may name
   * the end user's address in `Sb-Forwarded-For`, and that address is then the rate-limit key.
   * Off = the socket address is the client address, whatever headers say. `X-Forwarded-For` is
   * never trusted: any client can write it.
   */
  sbForwardedForEnabled: boolean;
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
  // GoTrue's default `sign_in_sign_ups`: 30 per 5 minutes per IP address.
  failedSignIns: { maxFailuresPerAddress: 30, windowMs: 5 * 60_000 },
  sbForwardedForEnabled: false,
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
