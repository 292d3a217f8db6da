import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATION_CHANGED, MigrationChangedError, sha256Of } from '../../supabase/local/migrate';
import { startLocalStack, type LocalStack } from '../../supabase/local/stack';

// Each case starts PostgreSQL on a kept data dir more than once (initdb the first time).
const RESTARTS_TIMEOUT_MS = 180_000;

const FIRST = '20260101000000_first.sql';
const SECOND = '20260102000000_second.sql';
const THIRD = '20260103000000_third.sql';

let workDir: string;

beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'migration-checksums-'));
  // As root, PostgreSQL runs as the `postgres` OS user, which must be able to reach the data dirs inside.
  fs.chmodSync(workDir, 0o755);
});

afterAll(() => {
  fs.rmSync(workDir, { recursive: true, force: true });
});

/** A fresh data dir plus a migrations dir holding copies the test may edit. */
function makeProject(name: string): { dataDir: string; migrationsDir: string } {
  const dataDir = path.join(workDir, name, 'data');
  const migrationsDir = path.join(workDir, name, 'migrations');
  fs.mkdirSync(migrationsDir, { recursive: true });
  fs.writeFileSync(
    path.join(migrationsDir, FIRST),
    'create table public.checksum_first (id int primary key);\n',
  );
  fs.writeFileSync(
    path.join(migrationsDir, SECOND),
    'create table public.checksum_second (id int primary key);\n',
  );
  return { dataDir, migrationsDir };
}

function start(project: { dataDir: string; migrationsDir: string }, reset = false): Promise<LocalStack> {
  return startLocalStack({ apiPort: 0, dbPort: 0, seedFile: false, reset, ...project });
}

async function queryStack<T extends pg.QueryResultRow>(stack: LocalStack, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: stack.dbUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** The error a start fails with; a start that succeeds is stopped again and yields undefined. */
function startRefused(project: { dataDir: string; migrationsDir: string }): Promise<unknown> {
  return start(project).then(
    async (stack) => {
      await stack.stop();
      return undefined;
    },
    (err: unknown) => err,
  );
}

function recordedChecksums(stack: LocalStack) {
  return queryStack<{ version: string; sha256: string }>(
    stack,
    'select version, sha256 from supabase_migrations.local_migration_checksums order by version',
  );
}

function checksumOf(migrationsDir: string, file: string): string {
  return sha256Of(fs.readFileSync(path.join(migrationsDir, file), 'utf8'));
}

describe('applied migration checksums', () => {
  it(
    'refuses to start when an applied migration was edited, naming the file and the reset command',
    async () => {
      const project = makeProject('edited');
      const first = await start(project);
      expect(first.appliedMigrations).toEqual([FIRST, SECOND]);
      expect(await recordedChecksums(first)).toEqual([
        { version: '20260101000000', sha256: checksumOf(project.migrationsDir, FIRST) },
        { version: '20260102000000', sha256: checksumOf(project.migrationsDir, SECOND) },
      ]);
      await first.stop();

      const original = fs.readFileSync(path.join(project.migrationsDir, SECOND), 'utf8');
      fs.writeFileSync(
        path.join(project.migrationsDir, SECOND),
        'create table public.checksum_second (id int primary key, note text);\n',
      );
      // A new migration next to the edited one must not be applied either: nothing runs on a stale base.
      fs.writeFileSync(
        path.join(project.migrationsDir, THIRD),
        'create table public.checksum_third (id int);\n',
      );

      const refused = await startRefused(project);
      expect(refused).toBeInstanceOf(MigrationChangedError);
      const error = refused as MigrationChangedError;
      expect(error.code).toBe(MIGRATION_CHANGED);
      expect(error.file).toBe(SECOND);
      expect(error.message).toContain(SECOND);
      expect(error.message).toContain('npm run supabase:reset');

      // The refused start left nothing running, and restoring the file is enough to start again.
      fs.writeFileSync(path.join(project.migrationsDir, SECOND), original);
      const restored = await start(project);
      try {
        expect(restored.appliedMigrations).toEqual([THIRD]);
        const third = await queryStack<{ n: number }>(
          restored,
          "select count(*)::int as n from pg_tables where tablename = 'checksum_third'",
        );
        expect(third[0]?.n).toBe(1);
      } finally {
        await restored.stop();
      }
    },
    RESTARTS_TIMEOUT_MS,
  );

  it(
    'starts again after a reset rebuilds the database from the edited files',
    async () => {
      const project = makeProject('reset');
      await (await start(project)).stop();
      fs.writeFileSync(
        path.join(project.migrationsDir, FIRST),
        'create table public.checksum_first (id int primary key, label text);\n',
      );
      const reset = await start(project, true);
      try {
        expect(reset.appliedMigrations).toEqual([FIRST, SECOND]);
        expect((await recordedChecksums(reset))[0]?.sha256).toBe(checksumOf(project.migrationsDir, FIRST));
      } finally {
        await reset.stop();
      }
    },
    RESTARTS_TIMEOUT_MS,
  );

  it(
    'records the checksum on first sight for data dirs made before checksums were kept, then guards it',
    async () => {
      const project = makeProject('legacy');
      const made = await start(project);
      // What a data dir from before this check looks like: migrations recorded, no checksums.
      await queryStack(made, 'drop table supabase_migrations.local_migration_checksums');
      await made.stop();

      const upgraded = await start(project);
      try {
        expect(upgraded.appliedMigrations).toEqual([]);
        expect((await recordedChecksums(upgraded)).map((r) => r.version)).toEqual([
          '20260101000000',
          '20260102000000',
        ]);
      } finally {
        await upgraded.stop();
      }

      fs.appendFileSync(
        path.join(project.migrationsDir, FIRST),
        'comment on table public.checksum_first is $$x$$;\n',
      );
      expect(await startRefused(project)).toMatchObject({ code: MIGRATION_CHANGED, file: FIRST });
    },
    RESTARTS_TIMEOUT_MS,
  );
});
