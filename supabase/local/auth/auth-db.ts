/**
 * Every Auth statement runs in a transaction as `supabase_auth_admin` with search_path `auth`, the
 * way GoTrue connects on hosted Supabase. That is what makes app triggers on auth.users behave the
 * same here: security-definer triggers run as their owner, invoker triggers run as
 * supabase_auth_admin (no rights on public tables) and see search_path `auth`, so an unqualified
 * `profiles` fails locally exactly as it fails in production.
 */
import type { Pool, PoolClient } from '../db';

export type Tx = PoolClient;

export async function withAuthTransaction<T>(pool: Pool, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('begin');
    // Timestamps come back as text (see db.ts); UTC keeps their conversion to RFC 3339 trivial.
    await client.query(
      `set local role supabase_auth_admin; set local search_path = auth; set local timezone = 'UTC'`,
    );
    const result = await fn(client);
    await client.query('commit');
    return result;
  } catch (err) {
    try {
      await client.query('rollback');
    } catch {
      broken = true;
    }
    throw err;
  } finally {
    client.release(broken);
  }
}

/**
 * A result that must be committed even though the request fails — GoTrue's `NewCommitWithError`,
 * used when reuse detection revokes a token family and then answers 400.
 */
export class CommitThenFail extends Error {
  constructor(readonly failure: Error) {
    super(failure.message);
  }
}

export async function withAuthTransactionCommitting<T>(
  pool: Pool,
  fn: (tx: Tx) => Promise<T | CommitThenFail>,
): Promise<T> {
  const outcome = await withAuthTransaction(pool, fn);
  if (outcome instanceof CommitThenFail) throw outcome.failure;
  return outcome;
}
