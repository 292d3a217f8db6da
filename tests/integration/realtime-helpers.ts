/**
 * Shared plumbing for the Realtime integration tests: supabase-js clients with a chosen serializer
 * and token, JWT minting, and promises that settle on channel events (never on sleeps).
 */
import { createClient, type RealtimeChannel, type SupabaseClient } from '@supabase/supabase-js';
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import WebSocket from 'ws';
import { stackInfo } from '../helpers/stack';

export type Vsn = '1.0.0' | '2.0.0';
export const VSNS: Vsn[] = ['1.0.0', '2.0.0'];
export const EVENT_TIMEOUT_MS = 8_000;

export interface TestTarget {
  apiUrl: string;
  anonKey: string;
  jwtSecret: string;
}

export interface RealtimeClientOptions {
  vsn?: Vsn;
  /** A user JWT for channel joins (sent as `access_token`), else the anon key is used. */
  token?: string;
  target?: TestTarget;
  heartbeatIntervalMs?: number;
}

export function realtimeClient(opts: RealtimeClientOptions = {}): SupabaseClient {
  const target = opts.target ?? stackInfo();
  const client = createClient(target.apiUrl, target.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: {
      transport: WebSocket as unknown as typeof globalThis.WebSocket,
      ...(opts.vsn ? { vsn: opts.vsn } : {}),
      ...(opts.heartbeatIntervalMs ? { heartbeatIntervalMs: opts.heartbeatIntervalMs } : {}),
    } as never,
  });
  if (opts.token) void client.realtime.setAuth(opts.token);
  return client;
}

/** A JWT like GoTrue's access tokens, signed with the stack's secret. */
export async function mintToken(
  opts: {
    sub?: string;
    role?: string;
    expiresInSeconds?: number;
    omit?: Array<'role' | 'exp'>;
    secret?: string;
  } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    sub: opts.sub ?? randomUUID(),
    role: opts.role ?? 'authenticated',
    aud: 'authenticated',
    iat: now,
    exp: now + (opts.expiresInSeconds ?? 3600),
  };
  for (const k of opts.omit ?? []) delete claims[k];
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(opts.secret ?? stackInfo().jwtSecret));
}

export function withTimeout<T>(promise: Promise<T>, what: string, ms = EVENT_TIMEOUT_MS): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/** Subscribes and resolves on SUBSCRIBED; rejects with the channel error otherwise. */
export function subscribe(channel: RealtimeChannel): Promise<RealtimeChannel> {
  return withTimeout(
    new Promise<RealtimeChannel>((resolve, reject) => {
      channel.subscribe((status, err) => {
        if (status === 'SUBSCRIBED') resolve(channel);
        else if (status !== 'CLOSED') reject(err ?? new Error(status));
      });
    }),
    `SUBSCRIBED on ${channel.topic}`,
  );
}

/** Subscribes and resolves with the first CHANNEL_ERROR, then stops the client's automatic rejoin. */
export async function joinError(client: SupabaseClient, channel: RealtimeChannel): Promise<Error> {
  const err = await withTimeout(
    new Promise<Error>((resolve, reject) => {
      channel.subscribe((status, e) => {
        if (status === 'CHANNEL_ERROR') resolve(e ?? new Error('CHANNEL_ERROR without error'));
        else if (status === 'SUBSCRIBED') reject(new Error(`${channel.topic} unexpectedly SUBSCRIBED`));
      });
    }),
    `CHANNEL_ERROR on ${channel.topic}`,
  );
  await client.removeChannel(channel);
  return err;
}

/** Collects events and lets a test wait until one matches. */
export class EventLog<T> {
  readonly items: T[] = [];
  private waiters: Array<{ match: (item: T) => boolean; resolve: (item: T) => void }> = [];

  readonly push = (item: T): void => {
    this.items.push(item);
    this.waiters = this.waiters.filter((w) => {
      if (!w.match(item)) return true;
      w.resolve(item);
      return false;
    });
  };

  waitFor(match: (item: T) => boolean, what: string, ms = EVENT_TIMEOUT_MS): Promise<T> {
    const seen = this.items.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return withTimeout(new Promise<T>((resolve) => this.waiters.push({ match, resolve })), what, ms);
  }
}

export const uniqueTopic = (prefix: string): string => `${prefix}${randomUUID().slice(0, 8)}`;
