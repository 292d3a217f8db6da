/**
 * Every code the SQL raises with private.fail(...) is a documented domain code with a message for
 * people (lib/domain/errors.ts), so the UI never shows a raw code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOMAIN_ERROR_CODES, SCHEDULING_ERROR_MESSAGES } from '@/lib/domain/errors';

const MIGRATIONS = path.join(__dirname, '..', '..', 'supabase', 'migrations');

function raisedCodes(): Set<string> {
  const codes = new Set<string>();
  for (const file of fs.readdirSync(MIGRATIONS).filter((f) => f.endsWith('.sql'))) {
    const sql = fs.readFileSync(path.join(MIGRATIONS, file), 'utf8');
    for (const match of sql.matchAll(/private\.fail\(\s*'([a-z_]+)'/g)) codes.add(match[1]);
  }
  return codes;
}

describe('domain error codes', () => {
  it('the migrations raise only documented codes, and each has a message', () => {
    const raised = [...raisedCodes()].sort();
    expect(raised.length).toBeGreaterThan(0);
    expect(raised.filter((code) => !(DOMAIN_ERROR_CODES as readonly string[]).includes(code))).toEqual([]);
    for (const code of raised)
      expect(SCHEDULING_ERROR_MESSAGES[code as keyof typeof SCHEDULING_ERROR_MESSAGES]).toBeTruthy();
  });

  it.each(['overlapping_booking', 'booking_limit_reached', 'status_too_early', 'overlapping_hours'])(
    '%s is raised by a migration',
    (code) => {
      expect(raisedCodes().has(code)).toBe(true);
    },
  );
});
