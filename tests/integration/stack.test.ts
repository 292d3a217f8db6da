import { describe, expect, it } from 'vitest';
import { stackInfo, withDb } from '../helpers/stack';

describe('local stack bootstrap', () => {
  it('answers on the gateway', async () => {
    const res = await fetch(`${stackInfo().apiUrl}/health`);
    expect(res.status).toBe(200);
  });

  it.each([
    ['anon', false],
    ['authenticated', false],
    ['service_role', true],
  ])('role %s exists (bypassrls=%s)', async (role, bypass) => {
    const row = await withDb((db) =>
      db.query('select rolbypassrls from pg_roles where rolname = $1', [role]),
    );
    expect(row.rows[0]?.rolbypassrls).toBe(bypass);
  });

  it.each(['auth.uid()', 'auth.role()', 'auth.jwt()', 'auth.email()', 'realtime.topic()'])(
    '%s reads the request settings',
    async (fn) => {
      const value = await withDb(async (db) => {
        await db.query('begin');
        await db.query(
          `select set_config('request.jwt.claims', $1, true), set_config('realtime.topic', 'room', true)`,
          [
            JSON.stringify({
              sub: '11111111-1111-1111-1111-111111111111',
              role: 'authenticated',
              email: 'a@b.c',
            }),
          ],
        );
        const r = await db.query(`select ${fn}::text as v`);
        await db.query('rollback');
        return r.rows[0].v as string;
      });
      expect(value).toMatch(/11111111-1111-1111-1111-111111111111|authenticated|a@b\.c|room/);
    },
  );

  it('has the extensions and the publication migrations rely on', async () => {
    const ext = await withDb((db) =>
      db.query(`select extname from pg_extension where extname in ('pgcrypto','btree_gist') order by 1`),
    );
    expect(ext.rows.map((r) => r.extname)).toEqual(['btree_gist', 'pgcrypto']);
    const pub = await withDb((db) =>
      db.query(`select 1 from pg_publication where pubname = 'supabase_realtime'`),
    );
    expect(pub.rowCount).toBe(1);
  });

  it('realtime.send writes a private broadcast row with an id in the payload', async () => {
    const row = await withDb(async (db) => {
      await db.query('begin');
      await db.query(`select realtime.send('{"a":1}'::jsonb, 'ev', 'topic-x')`);
      const r = await db.query(
        `select payload, private, extension from realtime.messages where topic = 'topic-x'`,
      );
      await db.query('rollback');
      return r.rows[0];
    });
    expect(row).toMatchObject({ private: true, extension: 'broadcast', payload: { a: 1 } });
    expect(typeof row.payload.id).toBe('string');
  });
});
