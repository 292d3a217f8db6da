/**
 * Access-token claims and refresh-token strings, as GoTrue issues them
 * (`internal/tokens/service.go` GenerateAccessToken; legacy 12-character refresh tokens).
 */
import { randomInt } from 'node:crypto';
import type { JwtClaims } from '../jwt';
import type { JsonObject, UserRow } from './user-json';

export interface AmrEntry {
  method: string;
  timestamp: number;
}

export const REFRESH_TOKEN_LENGTH = 12;
const REFRESH_TOKEN_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const REFRESH_TOKEN_PATTERN = /^[a-z0-9]{12}$/;
export const AUTH_ISSUER_PATH = '/auth/v1';

export function generateRefreshToken(): string {
  let out = '';
  for (let i = 0; i < REFRESH_TOKEN_LENGTH; i++)
    out += REFRESH_TOKEN_ALPHABET[randomInt(REFRESH_TOKEN_ALPHABET.length)];
  return out;
}

export interface ClaimsInput {
  issuer: string;
  user: UserRow;
  sessionId: string;
  amr: AmrEntry[];
  /** Unix seconds. */
  issuedAt: number;
  expirySeconds: number;
}

/** `aud` is a plain string (GoTrue disables golang-jwt's single-audience-as-array). */
export function buildAccessTokenClaims(input: ClaimsInput): JwtClaims {
  const { user } = input;
  return {
    iss: input.issuer,
    sub: user.id,
    aud: user.aud ?? '',
    exp: input.issuedAt + input.expirySeconds,
    iat: input.issuedAt,
    email: user.email ?? '',
    phone: user.phone ?? '',
    app_metadata: user.raw_app_meta_data ?? {},
    user_metadata: user.raw_user_meta_data ?? {},
    role: user.role ?? '',
    aal: 'aal1',
    amr: input.amr,
    session_id: input.sessionId,
    is_anonymous: user.is_anonymous,
  };
}

export interface AccessTokenResponse extends JsonObject {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  expires_at: number;
  refresh_token: string;
  user: JsonObject;
}
