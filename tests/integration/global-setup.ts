/**
 * Starts one local stack for the whole integration run: ephemeral ports, a temporary data dir, the
 * project's migrations and seed, plus the test fixtures in tests/integration/fixtures/*.sql.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalStack, type LocalStack } from '../../supabase/local/stack';

let stack: LocalStack | undefined;

export async function setup(project: TestProject) {
  const fixturesDir = path.join(__dirname, 'fixtures');
  const fixtures = fs.existsSync(fixturesDir)
    ? fs
        .readdirSync(fixturesDir)
        .filter((f) => f.endsWith('.sql'))
        .sort()
        .map((f) => path.join(fixturesDir, f))
    : [];
  stack = await startLocalStack({
    apiPort: 0,
    dbPort: 0,
    extraSqlFiles: fixtures,
    log: process.env.SUPABASE_DEBUG ? (l) => process.stderr.write(l) : undefined,
  });
  project.provide('stack', {
    apiUrl: stack.apiUrl,
    dbUrl: stack.dbUrl,
    anonKey: stack.anonKey,
    serviceRoleKey: stack.serviceRoleKey,
    jwtSecret: stack.jwtSecret,
  });
}

export async function teardown() {
  await stack?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: { apiUrl: string; dbUrl: string; anonKey: string; serviceRoleKey: string; jwtSecret: string };
  }
}
