/**
 * The app's sign-in runs in a server action, so Auth would see every user at the Next.js server's
 * address. The app forwards each user's address (Sb-Forwarded-For with its server key), and Auth
 * records and rate-limits by it: a session started through the app carries the browser's address,
 * not the server's.
 */
import { expect, test } from '@playwright/test';
import { randomInt, randomUUID } from 'node:crypto';
import pg from 'pg';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run through the Playwright global setup`);
  return value;
}

async function sessionAddresses(email: string): Promise<string[]> {
  const db = new pg.Client({ connectionString: env('E2E_DB_URL') });
  await db.connect();
  try {
    const { rows } = await db.query<{ ip: string }>(
      `select host(s.ip) as ip from auth.sessions s join auth.users u on u.id = s.user_id where u.email = $1`,
      [email],
    );
    return rows.map((r) => r.ip);
  } finally {
    await db.end();
  }
}

test('a sign-up through the app is attributed to the user’s address, not the server’s', async ({
  browser,
}) => {
  // What a proxy in front of the app (Vercel, nginx) reports as the visitor's address.
  const visitor = `198.51.100.${randomInt(1, 255)}`;
  const context = await browser.newContext({ extraHTTPHeaders: { 'X-Forwarded-For': visitor } });
  const page = await context.newPage();
  const email = `e2e-fwd-${randomUUID().slice(0, 8)}@example.test`;

  await page.goto('/sign-up');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill('correct-horse-battery');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/patient$/);

  expect(await sessionAddresses(email)).toEqual([visitor]);
  await context.close();
});
