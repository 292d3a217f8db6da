/**
 * The booking assistant on the public site, driven as visitors and patients would, against the seeded
 * clinic (Europe/London). Each test asks about a different dentist so parallel tests never compete
 * for the same slot: Okafor (Tue–Fri 10–14, 15–19) for the live "just taken" case, Garcia (Mon–Thu
 * 8–12, 13–16) for booking, any dentist in the morning for the sign-in invitation (nothing is booked).
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { DEMO_CLINIC } from '../../lib/domain/demo-logins';

const PASSWORD = 'chat-booking-pass';
/** The seed's overrides and time off sit 6, 8 and 10 days ahead; every day asked about here is nearer. */
const LAST_DAY_AHEAD = 5;
/** Live updates are expected within about a second; the bound is generous for a busy 2-core machine. */
const LIVE_TIMEOUT_MS = 10_000;

const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run through the Playwright global setup`);
  return value;
}

function supabaseClient(key = env('E2E_SUPABASE_ANON_KEY')): SupabaseClient {
  return createClient(env('E2E_SUPABASE_URL'), key, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
  });
}

function uniqueEmail(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.test`;
}

async function signedUpPatient(): Promise<{ client: SupabaseClient; email: string }> {
  const client = supabaseClient();
  const email = uniqueEmail('chat-patient');
  const { data, error } = await client.auth.signUp({ email, password: PASSWORD });
  if (error || !data.session) throw new Error(`sign-up failed: ${error?.message ?? 'no session'}`);
  return { client, email };
}

/**
 * How to say the first day 1…5 days ahead (clinic time) on which `weekdays` has hours: "tomorrow",
 * else the weekday's name ("on Thursday" is that day, as it is less than a week ahead).
 */
function dayWhen(weekdays: readonly number[], now = new Date()): string {
  const [year, month, day] = new Intl.DateTimeFormat('en-CA', {
    timeZone: DEMO_CLINIC.timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  })
    .format(now)
    .split('-')
    .map(Number);
  for (let ahead = 1; ahead <= LAST_DAY_AHEAD; ahead += 1) {
    const weekday = new Date(Date.UTC(year, month - 1, day + ahead)).getUTCDay();
    if (weekdays.includes(weekday)) return ahead === 1 ? 'tomorrow' : `on ${WEEKDAY_NAMES[weekday]}`;
  }
  throw new Error(`no day with hours in the next ${LAST_DAY_AHEAD} days`);
}

async function openChat(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Book by chat' }).click();
  const chat = page.getByRole('dialog', { name: 'Booking assistant' });
  await expect(chat).toBeVisible();
  // The clinic context has loaded once the header names the clinic's time zone.
  await expect(chat.getByText(`times in ${DEMO_CLINIC.timezone}`)).toBeVisible();
  return chat;
}

async function ask(chat: Locator, text: string): Promise<void> {
  const input = chat.getByLabel('Your message');
  await expect(input).toBeFocused();
  await input.fill(text);
  await input.press('Enter');
}

function slotButtons(chat: Locator): Locator {
  return chat.getByRole('list', { name: 'Offered times' }).last().getByRole('button');
}

async function slotOf(button: Locator) {
  const [start, dentistId, serviceId] = await Promise.all([
    button.getAttribute('data-start'),
    button.getAttribute('data-dentist-id'),
    button.getAttribute('data-service-id'),
  ]);
  if (!start || !dentistId || !serviceId) throw new Error('a slot button without its slot data');
  return { start, dentistId, serviceId };
}

test('a visitor asks in plain words, gets times, and sees one marked "just taken" when another patient books it', async ({
  page,
}) => {
  await page.goto('/');
  const chat = await openChat(page);
  await expect(chat.getByTestId('chat-live-status')).toHaveText('Live: taken times update instantly', {
    timeout: LIVE_TIMEOUT_MS,
  });

  await ask(chat, `any check-up with Dr. Okafor ${dayWhen([2, 3, 4, 5])} afternoon?`);
  await expect(chat.getByText(/Here are the openings for a check-up with Dr\. Chidi Okafor/)).toBeVisible();
  const buttons = slotButtons(chat);
  await expect(buttons.first()).toBeVisible();
  const shown = await buttons.count();
  expect(shown).toBeGreaterThan(1);
  await expect(buttons.first()).toHaveAttribute('data-status', 'available');
  const slot = await slotOf(buttons.first());

  // Someone else, in their own session, holds and books exactly that time.
  const other = await signedUpPatient();
  const hold = await other.client.rpc('hold_slot', {
    p_dentist_id: slot.dentistId,
    p_service_id: slot.serviceId,
    p_starts_at: slot.start,
  });
  expect(hold.error).toBeNull();
  const booking = await other.client.rpc('book_appointment', {
    p_dentist_id: slot.dentistId,
    p_service_id: slot.serviceId,
    p_starts_at: slot.start,
    p_hold_id: (hold.data as { id: string }).id,
  });
  expect(booking.error).toBeNull();

  // Marked in place, not removed: the transcript keeps every offered time.
  await expect(buttons.first()).toHaveAttribute('data-status', 'taken', { timeout: LIVE_TIMEOUT_MS });
  await expect(buttons.first()).toContainText('Just taken');
  await expect(buttons).toHaveCount(shown);
  // Times that overlap the booking (it blocks 30 min + a 5 min buffer) go too; a later one stays.
  const last = buttons.last();
  const lastSlot = await slotOf(last);
  expect(Date.parse(lastSlot.start) - Date.parse(slot.start)).toBeGreaterThanOrEqual(45 * 60_000);
  await expect(last).toHaveAttribute('data-status', 'available');

  // Assistive technology hears it too: the button is marked unavailable.
  await expect(buttons.first()).toHaveAttribute('aria-disabled', 'true');
  await expect(buttons.first()).toHaveAccessibleName(/just taken$/);
});

test('a signed-in patient books a time from the chat and sees the confirmation', async ({ page }) => {
  const email = uniqueEmail('chat-booker');
  await page.goto('/sign-up');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/patient$/);

  await page.goto('/');
  const chat = await openChat(page);
  await ask(chat, `a cleaning with Dr. Garcia ${dayWhen([1, 2, 3, 4])} afternoon please`);
  const first = slotButtons(chat).first();
  await expect(first).toBeVisible();
  const slot = await slotOf(first);
  await first.click();

  const confirm = chat.getByRole('region', { name: 'Confirm your booking' });
  await expect(confirm).toBeVisible();
  await expect(confirm.getByTestId('hold-countdown')).toHaveText(/^[0-5]:\d\d$/);
  await expect(confirm.getByRole('button', { name: 'Confirm booking' })).toBeFocused();
  await confirm.getByRole('button', { name: 'Confirm booking' }).click();

  await expect(chat.getByText(/You're booked: Cleaning/)).toBeVisible();
  await expect(chat.getByRole('link', { name: 'My appointments' })).toBeVisible();
  await expect(confirm).toBeHidden();

  // The database has it, made by the chatbot, for this dentist and time.
  const service = supabaseClient(env('E2E_SUPABASE_SERVICE_ROLE_KEY'));
  const { data, error } = await service
    .from('appointments')
    .select('patient_id, status, starts_at')
    .eq('dentist_id', slot.dentistId)
    .eq('source', 'chatbot')
    .eq('status', 'scheduled');
  expect(error).toBeNull();
  const mine = (data ?? []).filter((row) => Date.parse(String(row.starts_at)) === Date.parse(slot.start));
  expect(mine).toHaveLength(1);
  const profile = await service
    .from('profiles')
    .select('email')
    .eq('id', String(mine[0].patient_id))
    .single();
  expect(profile.data?.email).toBe(email);
});

test('a visitor choosing a time is invited to sign in and comes back to the same chat', async ({ page }) => {
  const { email } = await signedUpPatient();
  await page.goto('/');
  const chat = await openChat(page);

  // A quick reply without a treatment: the assistant asks for one, then keeps "tomorrow morning".
  await chat.getByRole('button', { name: 'Tomorrow morning' }).click();
  await expect(chat.getByText('Which treatment would you like?', { exact: false })).toBeVisible();
  await chat.getByRole('group', { name: 'Suggestions' }).getByRole('button', { name: 'Check-up' }).click();
  const first = slotButtons(chat).first();
  await expect(first).toBeVisible();
  const label = await first.getAttribute('aria-label');
  await first.click();

  const signIn = chat.getByRole('link', { name: 'Sign in to book' });
  await expect(signIn).toBeVisible();
  await expect(signIn).toHaveAttribute('href', `/sign-in?next=${encodeURIComponent('/?chat=open')}`);
  await signIn.click();

  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();

  // Back on the page with the chat open and the offered times still there.
  await expect(page).toHaveURL((url) => url.pathname === '/');
  const reopened = page.getByRole('dialog', { name: 'Booking assistant' });
  await expect(reopened).toBeVisible();
  await expect(reopened.getByRole('button', { name: label ?? '' }).first()).toBeVisible();

  // Escape closes the chat and gives focus back to the button that opened it.
  await reopened.getByLabel('Your message').focus();
  await page.keyboard.press('Escape');
  await expect(reopened).toBeHidden();
  await expect(page.getByRole('button', { name: 'Book by chat' })).toBeFocused();
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 360, height: 640 }, hasTouch: true });

  test('the chat fits the screen and the launcher stays reachable', async ({ page }) => {
    await page.goto('/');
    const chat = await openChat(page);
    const box = await chat.boundingBox();
    if (!box) throw new Error('the chat panel has no box');
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(360);
    expect(box.y).toBeGreaterThanOrEqual(0);
    await expect(chat.getByLabel('Your message')).toBeInViewport();
    await expect(chat.getByRole('button', { name: 'Send' })).toBeInViewport();
    await page.getByRole('button', { name: 'Close chat' }).first().click();
    await expect(chat).toBeHidden();
  });
});
