/**
 * Staff presence on the live board, end to end: one entry per tab however often a colleague changes
 * the day, and a closed tab leaves the other boards at once (its websocket closes), long before the
 * server's heartbeat timeout would catch it. Two fresh admins per test, so parallel workers (and the
 * demo admins other specs use) never share a presence key.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { createClient } from '@supabase/supabase-js';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import WebSocket from 'ws';
import { DEMO_CLINIC } from '../../lib/domain/demo-logins';
import { instantToLocal } from '../../lib/scheduling/time-zone';

const PASSWORD = 'correct-horse-battery';
/** Presence tracks are debounced and rate-limited (one per 6 s), so allow a little more. */
const PRESENCE_TIMEOUT_MS = 20_000;
/**
 * A closed tab must leave well before the server's idle sweep (60 s without a heartbeat) could be
 * what removes it: the bound proves the close itself is seen.
 */
const LEAVE_TIMEOUT_MS = 20_000;
const DAY_STEPS = 3;

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run through the e2e global setup`);
  return value;
}

async function sql(text: string, values: unknown[] = []): Promise<void> {
  const db = new pg.Client({ connectionString: env('E2E_DB_URL') });
  await db.connect();
  try {
    await db.query(text, values);
  } finally {
    await db.end();
  }
}

type TStaff = { email: string; name: string };

/** A new front-desk admin of the demo clinic (a real sign-up, promoted the way onboarding would). */
async function createAdmin(label: string): Promise<TStaff> {
  const client = createClient(env('E2E_SUPABASE_URL'), env('E2E_SUPABASE_ANON_KEY'), {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    // Node 20 has no global WebSocket; the client is only used for the sign-up.
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
  });
  const email = `e2e-${label}-${randomUUID().slice(0, 8)}@example.test`;
  const name = `${label} ${randomUUID().slice(0, 6)}`;
  const { data, error } = await client.auth.signUp({
    email,
    password: PASSWORD,
    options: { data: { full_name: name } },
  });
  if (error || !data.user) throw new Error(`sign-up failed: ${error?.message}`);
  await sql(`update public.profiles set role = 'admin', clinic_id = $2, display_name = $3 where id = $1`, [
    data.user.id,
    DEMO_CLINIC.id,
    name,
  ]);
  return { email, name };
}

async function openBoard(browser: Browser, staff: TStaff, date: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(staff.email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/admin/);
  await page.goto(`/admin?date=${date}`);
  return page;
}

function entryOf(page: Page, staff: TStaff) {
  return page.getByRole('region', { name: /Online now/ }).locator(`[data-presence-user="${staff.name}"]`);
}

function clinicDate(days: number): string {
  const today = instantToLocal(new Date(), DEMO_CLINIC.timezone).date;
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The board's own wording of a day in its presence activity ("Board · Thu 10 Dec"). */
function boardActivity(date: string): string {
  const label = new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  }).format(new Date(`${date}T12:00:00Z`));
  return `Board · ${label}`;
}

test('a colleague paging through days stays one entry with one tab, and leaves at once when their browser closes', async ({
  browser,
}) => {
  const alice = await createAdmin('Alice');
  const bob = await createAdmin('Bob');
  const start = clinicDate(1);
  const [alicePage, bobPage] = await Promise.all([
    openBoard(browser, alice, start),
    openBoard(browser, bob, start),
  ]);

  for (const page of [alicePage, bobPage]) {
    await expect(entryOf(page, alice)).toBeVisible({ timeout: PRESENCE_TIMEOUT_MS });
    await expect(entryOf(page, bob)).toBeVisible({ timeout: PRESENCE_TIMEOUT_MS });
  }

  // Alice pages forward day by day (client-side navigation; each day re-renders the board).
  for (let step = 1; step <= DAY_STEPS; step++) {
    await alicePage.getByRole('button', { name: 'Next day' }).click();
    await expect(alicePage).toHaveURL(new RegExp(`date=${clinicDate(1 + step)}`));
  }
  const last = clinicDate(1 + DAY_STEPS);
  // Bob sees where Alice is now…
  await expect(entryOf(bobPage, alice)).toContainText(boardActivity(last), { timeout: PRESENCE_TIMEOUT_MS });
  // …as one entry for her one tab, on both boards.
  for (const page of [alicePage, bobPage]) {
    await expect(entryOf(page, alice)).toHaveCount(1);
    await expect(entryOf(page, alice)).not.toContainText('tabs');
  }

  // Alice closes her browser: she leaves Bob's board without Bob reloading.
  await alicePage.context().close();
  await expect(entryOf(bobPage, alice)).toHaveCount(0, { timeout: LEAVE_TIMEOUT_MS });
  await expect(entryOf(bobPage, bob)).toBeVisible();
  await bobPage.context().close();
});

test('a colleague who changed the day and then leaves the board for another page leaves the other boards', async ({
  browser,
}) => {
  const carol = await createAdmin('Carol');
  const dave = await createAdmin('Dave');
  const date = clinicDate(2);
  const [carolPage, davePage] = await Promise.all([
    openBoard(browser, carol, date),
    openBoard(browser, dave, date),
  ]);
  await expect(entryOf(davePage, carol)).toBeVisible({ timeout: PRESENCE_TIMEOUT_MS });

  // One presence update first (the case that used to leave a stale entry behind).
  await carolPage.getByRole('button', { name: 'Next day' }).click();
  await expect(entryOf(davePage, carol)).toContainText(boardActivity(clinicDate(3)), {
    timeout: PRESENCE_TIMEOUT_MS,
  });

  // Carol goes to the public home page through the app's own link (no reload, no closed socket).
  await carolPage.getByRole('link', { name: 'Chairtime' }).first().click();
  await expect(carolPage).not.toHaveURL(/\/admin/);
  await expect(entryOf(davePage, carol)).toHaveCount(0, { timeout: LEAVE_TIMEOUT_MS });
  await Promise.all([carolPage.context().close(), davePage.context().close()]);
});
