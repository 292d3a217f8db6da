/**
 * Private-channel authorization exactly as hosted Realtime does it: RLS policies on
 * `realtime.messages`, evaluated with `realtime.topic()` set to the channel name and the caller's JWT
 * claims and role, against probe rows that are always rolled back.
 *  - read: insert one probe row per extension as the privileged connection, then SELECT them as the
 *    user — a visible probe means "may read" for that extension;
 *  - write: INSERT a row per extension as the user inside a savepoint — success means "may write",
 *    SQLSTATE 42501 (RLS violation) means "may not".
 */
import type { Pool } from '../db';
import { withRequestContext } from '../db';

export type AuthExtension = 'broadcast' | 'presence';

export interface Policies {
  broadcastRead: boolean | null;
  broadcastWrite: boolean | null;
  presenceRead: boolean | null;
  presenceWrite: boolean | null;
}

export const emptyPolicies = (): Policies => ({
  broadcastRead: null,
  broadcastWrite: null,
  presenceRead: null,
  presenceWrite: null,
});

export class PolicyError extends Error {}

const INSUFFICIENT_PRIVILEGE = '42501';

interface AuthContext {
  pool: Pool;
  topic: string;
  claims: Record<string, unknown>;
  headers?: Record<string, string>;
}

function roleOf(claims: Record<string, unknown>): string {
  return typeof claims.role === 'string' && claims.role.length > 0 ? claims.role : 'anon';
}

function sqlstate(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err
    ? String((err as { code: unknown }).code)
    : undefined;
}

export async function checkRead(
  ctx: AuthContext,
  extensions: AuthExtension[],
): Promise<Record<AuthExtension, boolean>> {
  const role = roleOf(ctx.claims);
  const result: Record<AuthExtension, boolean> = { broadcast: false, presence: false };
  try {
    await withRequestContext(
      ctx.pool,
      { role, claims: ctx.claims, headers: ctx.headers, settings: { 'realtime.topic': ctx.topic } },
      async (client) => {
        // The session user is the superuser the pool connects as, so it can step out of the request
        // role to write the probes and back in to read them.
        await client.query(`select set_config('role', 'postgres', true)`);
        const ins = await client.query<{ id: string; extension: AuthExtension }>(
          `insert into realtime.messages (topic, extension, private, event)
           select $1, e, true, 'authorization_probe' from unnest($2::text[]) as e
           returning id, extension`,
          [ctx.topic, extensions],
        );
        await client.query(`select set_config('role', $1, true)`, [role]);
        const seen = await client.query<{ id: string }>(
          `select id from realtime.messages where id = any($1::uuid[])`,
          [ins.rows.map((r) => r.id)],
        );
        const visible = new Set(seen.rows.map((r) => r.id));
        for (const row of ins.rows) result[row.extension] = visible.has(row.id);
      },
      { rollback: true },
    );
  } catch (err) {
    throw new PolicyError((err as Error).message, { cause: err });
  }
  return result;
}

export async function checkWrite(ctx: AuthContext, extension: AuthExtension): Promise<boolean> {
  const role = roleOf(ctx.claims);
  try {
    return await withRequestContext(
      ctx.pool,
      { role, claims: ctx.claims, headers: ctx.headers, settings: { 'realtime.topic': ctx.topic } },
      async (client) => {
        await client.query('savepoint write_probe');
        try {
          await client.query(
            `insert into realtime.messages (topic, extension, private, event) values ($1, $2, true, 'authorization_probe')`,
            [ctx.topic, extension],
          );
          return true;
        } catch (err) {
          if (sqlstate(err) === INSUFFICIENT_PRIVILEGE) return false;
          throw err;
        } finally {
          await client.query('rollback to savepoint write_probe');
        }
      },
      { rollback: true },
    );
  } catch (err) {
    throw new PolicyError((err as Error).message, { cause: err });
  }
}
