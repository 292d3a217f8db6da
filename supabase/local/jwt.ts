/**
 * HS256 JWT signing and verification shared by the Auth, REST and Realtime services.
 * Verification returns a tagged result instead of throwing, because each service maps the failure
 * to its own wire error (GoTrue `bad_jwt`, PostgREST `PGRST301/303`, Realtime `InvalidJWTToken`).
 */
import { SignJWT, jwtVerify, errors as joseErrors, decodeProtectedHeader } from 'jose';

export type JwtClaims = Record<string, unknown> & {
  role?: string;
  sub?: string;
  exp?: number;
  iat?: number;
  session_id?: string;
};

export type JwtFailure = 'malformed' | 'bad_signature' | 'expired' | 'missing_claims';

export type JwtResult =
  | { ok: true; claims: JwtClaims }
  | { ok: false; reason: JwtFailure; message: string; expiredSecondsAgo?: number };

export class JwtCodec {
  private readonly key: Uint8Array;
  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  async sign(claims: JwtClaims): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(this.key);
  }

  /**
   * Verify signature and expiry. `requireRoleAndExp` mirrors Realtime's rule that both claims are mandatory.
   */
  async verify(token: string, opts: { requireRoleAndExp?: boolean } = {}): Promise<JwtResult> {
    if (typeof token !== 'string' || token.split('.').length !== 3) {
      return { ok: false, reason: 'malformed', message: 'The token provided is not a valid JWT' };
    }
    try {
      decodeProtectedHeader(token);
    } catch {
      return { ok: false, reason: 'malformed', message: 'The token provided is not a valid JWT' };
    }
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256', 'HS384', 'HS512'] });
      const claims = payload as JwtClaims;
      if (opts.requireRoleAndExp && (typeof claims.role !== 'string' || typeof claims.exp !== 'number')) {
        return {
          ok: false,
          reason: 'missing_claims',
          message: 'Fields `role` and `exp` are required in JWT',
        };
      }
      return { ok: true, claims };
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) {
        const exp = Number((err.payload as JwtClaims).exp ?? 0);
        const ago = Math.max(0, Math.floor(Date.now() / 1000) - exp);
        return {
          ok: false,
          reason: 'expired',
          message: `Token has expired ${ago} seconds ago`,
          expiredSecondsAgo: ago,
        };
      }
      if (err instanceof joseErrors.JWSSignatureVerificationFailed) {
        return { ok: false, reason: 'bad_signature', message: 'Failed to validate JWT signature' };
      }
      return { ok: false, reason: 'malformed', message: 'The token provided is not a valid JWT' };
    }
  }
}
