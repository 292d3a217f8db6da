/**
 * The stack's pool when the database ends a session under it (what every session sees when
 * Postgres shuts down): the process survives and the failure is recognised as an outage, which the
 * services answer with 503. The whole stop/start cycle is in tests/chaos/postgres-restart.test.ts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createPool, isDatabaseUnavailable } from '../../supabase/local/db';
import { stackInfo, withDb } from '../helpers/stack';

const pool = createPool(stackInfo().dbUrl, 2);

afterAll(async () => {
  await pool.end();
});

async function terminate(pid: number): Promise<void> {
  await withDb((db) => db.query('select pg_terminate_backend($1)', [pid]));
}

describe('a pooled session ended by the server', () => {
  it('while lent out between two queries: no uncaught error, the next query fails as an outage', async () => {
    const client = await pool.connect();
    const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
    const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
    await terminate(rows[0].pid);
    await ended;
    const err = await client.query('select 1').then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).not.toBeNull();
    expect(isDatabaseUnavailable(err)).toBe(true);
    client.release(true);
  });

  it('while idle in the pool: the pool drops it and the next query gets a fresh session', async () => {
    const first = await pool.query<{ pid: number }>('select pg_backend_pid() as pid');
    const removed = new Promise<void>((resolve) => pool.once('remove', () => resolve()));
    await terminate(first.rows[0].pid);
    await removed;
    const next = await pool.query<{ pid: number }>('select pg_backend_pid() as pid');
    expect(next.rows[0].pid).not.toBe(first.rows[0].pid);
  });
});
