/** What the Auth handlers share: database, JWT codec, issuer, options, the sign-in limiter. */
import type { Pool } from '../db';
import type { JwtCodec } from '../jwt';
import type { AuthOptions } from './options';
import type { FailedSignInLimiter } from './rate-limit';

export interface AuthDeps {
  pool: Pool;
  jwt: JwtCodec;
  /** `<apiUrl>/auth/v1`, the `iss` of every access token. */
  issuer: string;
  /** Access-token lifetime in seconds. */
  jwtExpiry: number;
  options: AuthOptions;
  limiter: FailedSignInLimiter;
  log: (line: string) => void;
}

/** Who is calling, recorded on sessions like GoTrue's grant params. */
export interface ClientInfo {
  userAgent: string | null;
  /** A valid IP literal or null (the sessions.ip column is `inet`). */
  ip: string | null;
  /** The key used for rate limiting (may be a non-IP string). */
  address: string;
}
