/**
 * The closed set of error codes the Realtime server puts on the wire. Join errors are sent as
 * `{reason: "<Code>: <message>"}` (hosted formats them the same way); channel shutdowns carry only the
 * message in a `system` push. Names follow hosted Realtime's ERROR_CODES list.
 */
import type { JwtResult } from '../jwt';

export type RealtimeErrorCode =
  | 'TopicNameRequired'
  | 'InvalidJoinPayload'
  | 'InvalidJWTToken'
  | 'MalformedJWT'
  | 'JwtSignatureError'
  | 'Unauthorized'
  | 'ChannelRateLimitReached'
  | 'ClientJoinRateLimitReached'
  | 'UnableToReplayMessages'
  | 'RlsPolicyError'
  | 'PayloadSizeExceeded'
  | 'UnknownErrorOnChannel'
  | 'UnableToConnectToProject';

export class ChannelError extends Error {
  constructor(
    readonly code: RealtimeErrorCode,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
  /** The `reason` string of a join error reply. */
  get reason(): string {
    return this.message;
  }
}

/** The database is down (stopped, shutting down, restarting): hosted's code for the same situation. */
export const databaseUnavailableError = () =>
  new ChannelError('UnableToConnectToProject', 'Realtime was unable to connect to the project database');

export const CHANNEL_SHUTDOWN = {
  tooManyMessages: 'Too many messages per second',
  presenceRateLimit: 'Client presence rate limit exceeded',
  presenceTooLarge: 'Track message size exceeded',
  missingClaims: 'Fields `role` and `exp` are required in JWT',
  readRevoked: (topic: string) => `You no longer have permission to read from this Channel topic: ${topic}`,
} as const;

export type VerifiedToken = { ok: true; claims: Record<string, unknown>; expiresAtMs: number };
export type TokenFailure = { ok: false; error: ChannelError };

/** Maps a JwtCodec result to the join/refresh outcome hosted Realtime produces. */
export function toChannelTokenResult(result: JwtResult): VerifiedToken | TokenFailure {
  if (!result.ok) {
    switch (result.reason) {
      case 'expired':
      case 'missing_claims':
        return { ok: false, error: new ChannelError('InvalidJWTToken', result.message) };
      case 'bad_signature':
        return { ok: false, error: new ChannelError('JwtSignatureError', result.message) };
      default:
        return { ok: false, error: new ChannelError('MalformedJWT', result.message) };
    }
  }
  const exp = result.claims.exp;
  if (typeof exp !== 'number' || exp <= 0) {
    return { ok: false, error: new ChannelError('InvalidJWTToken', 'Token expiration time is invalid') };
  }
  return { ok: true, claims: result.claims, expiresAtMs: exp * 1000 };
}

/** HTTP status + `{"error": …}` body for a failed websocket upgrade (hosted `user_socket.ex`). */
export interface ConnectFailure {
  status: number;
  message: string;
}

export function toConnectFailure(result: JwtResult): ConnectFailure | null {
  if (result.ok) return null;
  switch (result.reason) {
    case 'expired':
      return { status: 401, message: 'Token has expired' };
    case 'missing_claims':
      return { status: 401, message: result.message };
    case 'bad_signature':
      return { status: 401, message: 'Failed to validate JWT signature' };
    default:
      return { status: 401, message: 'The token provided is not a valid JWT' };
  }
}
