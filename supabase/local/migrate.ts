/**
 * Bootstrap, migrations and seed, applied the way the Supabase CLI applies them:
 * each migration file once, in file-name order, in its own transaction, recorded in
 * supabase_migrations.schema_migrations (version = the file's leading timestamp).
 * Beyond the CLI, the stack keeps each applied file's sha256 and refuses to start when an applied
 * migration was edited: a shipped migration never changes, and a database built from an old version
 * of a file would silently differ from hosted.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from 'pg';

export const BOOTSTRAP_DIR = path.join(__dirname, 'bootstrap');

export class MigrationError extends Error {
  constructor(
    readonly file: string,
    readonly pgMessage: string,
    readonly detail?: string,
  ) {
    super(
      `Migration ${file} failed: ${pgMessage}${detail ? ` (${detail})` : ''}. The database was left as it was before this file.`,
    );
    this.name = 'MigrationError';
  }
}

export const MIGRATION_CHANGED = 'MIGRATION_CHANGED';

export class MigrationChangedError extends Error {
  readonly code = MIGRATION_CHANGED;
  constructor(
    readonly file: string,
    readonly appliedSha256: string,
    readonly currentSha256: string,
  ) {
    super(
      `Migration ${file} was changed after it was applied to this database (sha256 ${appliedSha256} when applied, ${currentSha256} now). ` +
        'Applied migrations never change: restore the file and put the change in a new migration, ' +
        'or rebuild the local database from the files with `npm run supabase:reset` (this wipes its data).',
    );
    this.name = 'MigrationChangedError';
  }
}

export function sha256Of(content: string): string {
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

function sqlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => path.join(dir, f));
}

async function runInTransaction(client: Client, file: string, sql: string, after?: () => Promise<void>) {
  await client.query('begin');
  try {
    await client.query(sql);
    if (after) await after();
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => {});
    const e = err as { message?: string; detail?: string; position?: string };
    throw new MigrationError(path.basename(file), e.message ?? String(err), e.detail);
  }
}

/** Idempotent: the bootstrap is safe to run on every start. */
export async function applyBootstrap(client: Client): Promise<void> {
  for (const file of sqlFiles(BOOTSTRAP_DIR)) {
    await runInTransaction(client, file, fs.readFileSync(file, 'utf8'));
  }
}

export function migrationVersion(fileName: string): { version: string; name: string } {
  const base = path.basename(fileName, '.sql');
  const m = /^(\d+)_?(.*)$/.exec(base);
  if (!m) return { version: base, name: '' };
  return { version: m[1], name: m[2] };
}

/**
 * Applies pending migrations; returns the file names applied now. Throws MigrationChangedError, before
 * applying anything, when an applied migration's file differs from what was applied. Versions applied
 * before checksums were kept (older data dirs) get the current file's checksum recorded on first sight.
 */
export async function applyMigrations(client: Client, migrationsDir: string): Promise<string[]> {
  const applied = new Map(
    (
      await client.query<{ version: string; sha256: string | null }>(
        `select m.version, c.sha256
           from supabase_migrations.schema_migrations m
           left join supabase_migrations.local_migration_checksums c using (version)`,
      )
    ).rows.map((r) => [r.version, r.sha256]),
  );
  const files = sqlFiles(migrationsDir).map((file) => ({
    file,
    ...migrationVersion(file),
    sql: fs.readFileSync(file, 'utf8'),
  }));

  for (const { file, version, sql } of files) {
    if (!applied.has(version)) continue;
    const recorded = applied.get(version);
    const current = sha256Of(sql);
    if (recorded == null) await recordChecksum(client, version, current);
    else if (recorded !== current) throw new MigrationChangedError(path.basename(file), recorded, current);
  }

  const done: string[] = [];
  for (const { file, version, name, sql } of files) {
    if (applied.has(version)) continue;
    await runInTransaction(client, file, sql, async () => {
      await client.query(
        'insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)',
        [version, name, [sql]],
      );
      await recordChecksum(client, version, sha256Of(sql));
    });
    done.push(path.basename(file));
  }
  return done;
}

/** Upsert: a row may outlive its schema_migrations row (the CLI's `migration repair` deletes those). */
async function recordChecksum(client: Client, version: string, sha256: string): Promise<void> {
  await client.query(
    `insert into supabase_migrations.local_migration_checksums (version, sha256) values ($1, $2)
     on conflict (version) do update set sha256 = excluded.sha256`,
    [version, sha256],
  );
}

export async function applySeed(client: Client, seedFile: string): Promise<boolean> {
  if (!fs.existsSync(seedFile)) return false;
  await runInTransaction(client, seedFile, fs.readFileSync(seedFile, 'utf8'));
  return true;
}

/** Extra SQL files (test fixtures), each in its own transaction. */
export async function applySqlFiles(client: Client, files: string[]): Promise<void> {
  for (const file of files) await runInTransaction(client, file, fs.readFileSync(file, 'utf8'));
}
