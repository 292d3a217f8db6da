/**
 * JWT → database role, as PostgREST does it: no token → the anon role; a valid token's `role` claim
 * (default anon) → that role; bad signature/format → PGRST301; expired → PGRST303.
 * Verified tokens are remembered until they expire, so a client reusing one token pays for the
 * HMAC once.
 */
import type { JwtClaims, JwtCodec } from '../jwt';
import { Errors, RestError } from './errors';
import type { SchemaCache } from './schema-cache';

export const ANON_ROLE = 'anon';
/** Distinct tokens remembered at once; the oldest is dropped first. */
export const TOKEN_CACHE_SIZE = 1000;

export interface RequestAuth {
  role: string;
  claims: Record<string, unknown>;
}

export class RequestAuthenticator {
  private readonly verified = new Map<string, JwtClaims>();

  constructor(private readonly jwt: JwtCodec) {}

  async authenticate(token: string | null, cache: SchemaCache): Promise<RequestAuth> {
    if (!token) return { role: ANON_ROLE, claims: { role: ANON_ROLE } };
    const claims = await this.verify(token);
    const role = typeof claims.role === 'string' && claims.role !== '' ? claims.role : ANON_ROLE;
    const info = cache.roles.get(role);
    if (!info) throw Errors.unknownRole(role);
    if (!info.grantedToAuthenticator)
      throw new RestError(403, '42501', `permission denied to set role "${role}"`);
    return { role, claims: { ...claims, role } };
  }

  private async verify(token: string): Promise<JwtClaims> {
    const known = this.verified.get(token);
    if (known) {
      if (typeof known.exp === 'number' && known.exp * 1000 <= Date.now()) {
        this.verified.delete(token);
        throw Errors.jwtExpired();
      }
      return known;
    }
    const result = await this.jwt.verify(token);
    if (!result.ok) {
      if (result.reason === 'expired') throw Errors.jwtExpired();
      throw Errors.jwtInvalid(
        result.reason === 'bad_signature'
          ? 'JWSError JWSInvalidSignature'
          : 'JWSError (CompactDecodeError Invalid number of parts: Expected 3 parts; got 1)',
      );
    }
    if (this.verified.size >= TOKEN_CACHE_SIZE) {
      const oldest = this.verified.keys().next().value;
      if (oldest !== undefined) this.verified.delete(oldest);
    }
    this.verified.set(token, result.claims);
    return result.claims;
  }
}
