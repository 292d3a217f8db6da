/** The request shape every Auth handler receives, and small shared helpers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import bcrypt from 'bcryptjs';
import type { AuthDeps, ClientInfo } from '../deps';
import { AuthApiError, internal } from '../errors';
import { resolveClientAddress } from '../client-address';
import { userAgent } from '../request';

export interface AuthRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Path below `/auth/v1`. */
  path: string;
  /** Route parameters such as `id` of `/admin/users/:id`. */
  params: Record<string, string>;
  deps: AuthDeps;
}

export type AuthHandler = (r: AuthRequest) => Promise<void>;

export async function clientInfo(r: AuthRequest): Promise<ClientInfo> {
  const address = await resolveClientAddress(r.req, {
    sbForwardedForEnabled: r.deps.options.sbForwardedForEnabled,
    jwt: r.deps.jwt,
  });
  return { userAgent: userAgent(r.req), ip: isIP(address) ? address : null, address };
}

/**
 * Run one database step; a Postgres failure (a trigger raising, a constraint) becomes GoTrue's
 * generic 500 with `message`, keeping the database error as `cause` for the server log only.
 */
export async function dbStep<T>(message: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AuthApiError) throw err;
    const wrapped = internal(message);
    wrapped.cause = err;
    throw wrapped;
  }
}

export function hashPassword(password: string, cost: number): Promise<string> {
  return bcrypt.hash(password, cost);
}

/** False for a wrong password and for stored values that are not bcrypt hashes. */
export async function verifyPassword(password: string, hash: string | null): Promise<boolean> {
  if (!hash || !/^\$2[aby]\$\d{2}\$/.test(hash)) return false;
  try {
    return await bcrypt.compare(password, hash);
  } catch {
    return false;
  }
}
