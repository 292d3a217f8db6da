/**
 * The committed `Database` type matches the migrations: a migration merged without
 * `npm run supabase:types` fails here. Its own stack (migrations only), because the shared one
 * carries test fixtures in `public`.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_TYPES_FILE, generateDatabaseTypes } from '../../supabase/local/database-types';
import { startLocalStack, type LocalStack } from '../../supabase/local/stack';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ apiPort: 0, dbPort: 0, seedFile: false });
});

afterAll(async () => {
  await stack?.stop();
});

describe('lib/data/database.types.ts', () => {
  it('is what `npm run supabase:types` generates from supabase/migrations today', async () => {
    const generated = await generateDatabaseTypes(stack.dbUrl);
    const committed = fs.readFileSync(DATABASE_TYPES_FILE, 'utf8');
    expect(
      committed === generated,
      'lib/data/database.types.ts is stale: run `npm run supabase:types` and commit the result',
    ).toBe(true);
  });

  it('types the tables and RPCs the app uses', async () => {
    const generated = await generateDatabaseTypes(stack.dbUrl);
    for (const name of ['appointments:', 'slot_holds:', 'available_slots:', 'book_appointment:'])
      expect(generated).toContain(name);
  });
});
