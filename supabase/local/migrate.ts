/**
 * Bootstrap, migrations and seed, applied the way the Supabase CLI applies them:
 * each migration file once, in file-name order, in its own transaction, recorded in
 * supabase_migrations.schema_migrations (version = the file's leading timestamp).
 */
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

/** Applies pending migrations; returns the file names applied now. */
export async function applyMigrations(client: Client, migrationsDir: string): Promise<string[]> {
  const applied = new Set(
    (
      await client.query<{ version: string }>('select version from supabase_migrations.schema_migrations')
    ).rows.map((r) => r.version),
  );
  const done: string[] = [];
  for (const file of sqlFiles(migrationsDir)) {
    const { version, name } = migrationVersion(file);
    if (applied.has(version)) continue;
    const sql = fs.readFileSync(file, 'utf8');
    await runInTransaction(client, file, sql, async () => {
      await client.query(
        'insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)',
        [version, name, [sql]],
      );
    });
    done.push(path.basename(file));
  }
  return done;
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
