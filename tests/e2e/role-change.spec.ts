/**
 * A role change follows the person's open tab: promoted to admin, their patient portal moves to the
 * admin board; demoted back, the board moves to the patient portal — without a reload, because the
 * database announces the change on the member's own topic and the tab refreshes its session and
 * navigates (hooks/use-membership-sync.ts).
 */
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { createPatient, LIVE_TIMEOUT_MS, signInThroughUi } from './patient-helpers';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run through the Playwright global setup`);
  return value;
}

/** As an admin's set_member_role would, but without needing a second admin: superuser SQL. */
async function setRole(userId: string, role: 'patient' | 'admin'): Promise<void> {
  const db = new pg.Client({ connectionString: env('E2E_DB_URL') });
  await db.connect();
  try {
    await db.query(`update public.profiles set role = $2 where id = $1`, [userId, role]);
  } finally {
    await db.end();
  }
}

test('a promoted patient’s tab moves to the admin board, and back to the patient portal when demoted', async ({
  page,
}) => {
  const person = await createPatient('role-change');
  await signInThroughUi(page, person.email);
  // The tab listens once it has joined its member topic; the connection indicator says when.
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible({
    timeout: LIVE_TIMEOUT_MS,
  });

  await setRole(person.userId, 'admin');
  await expect(page).toHaveURL(/\/admin$/, { timeout: LIVE_TIMEOUT_MS });
  await expect(page.getByRole('heading', { name: `Welcome, ${person.email}` })).toBeVisible();

  await setRole(person.userId, 'patient');
  await expect(page).toHaveURL(/\/patient$/, { timeout: LIVE_TIMEOUT_MS });
});
