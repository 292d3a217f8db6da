/**
 * Flows that cross roles, each with several browser contexts open at once:
 *   1. a patient books in the portal → the admin board and the dentist's schedule show it, live;
 *   2. a dentist blocks an afternoon → the patient's open slot grid and the chatbot stop offering it, live.
 * Each test creates its own dentist (a real login, made by superuser SQL as an admin's onboarding would)
 * and its own patients, so it can run in parallel with every other spec.
 */
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { randomInt, randomUUID } from 'node:crypto';
import pg from 'pg';
import { formatLocalDate as formatStaffDate } from '../../components/dentist/staff-format';
import { formatLocalDate as formatPatientDate } from '../../components/patient/format';
import { DEMO_CLINIC, DEMO_LOGINS } from '../../lib/domain/demo-logins';
import { instantToLocal } from '../../lib/scheduling/time-zone';
import {
  CHECK_UP,
  clinicDate,
  createPatient,
  LIVE_TIMEOUT_MS,
  serviceClient,
  signInThroughUi,
  supabaseClient,
  slotInstant,
  TZ,
} from './patient-helpers';

const DENTIST_PASSWORD = 'cross-role-dentist-pass';
const NEW_PATIENT_PASSWORD = 'cross-role-patient-pass';
const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
/** Where the afternoon starts, in the chatbot's and the clinic's words. */
const NOON = '12:00';
/** Consonants only: a generated surname is never an English word the chatbot could read as something else. */
const NAME_LETTERS = 'bcdfghjklmnpqrstvwz';
const NAME_LENGTH = 9;
/** Three or four signed-in browsers per test take 30–45 s on a busy 2-core machine; the default is 60 s. */
const MULTI_CONTEXT_TIMEOUT_MS = 120_000;

test.describe.configure({ timeout: MULTI_CONTEXT_TIMEOUT_MS });

type TDentist = { dentistId: string; name: string; email: string };

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run through the Playwright global setup`);
  return value;
}

async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const db = new pg.Client({ connectionString: env('E2E_DB_URL') });
  await db.connect();
  try {
    return (await db.query<T>(text, values)).rows;
  } finally {
    await db.end();
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** "Dr. Xkrtbv…": unique per test, and one word the chatbot's name matcher finds exactly. */
function uniqueDentistName(): string {
  const letters = Array.from(
    { length: NAME_LENGTH },
    () => NAME_LETTERS[randomInt(NAME_LETTERS.length)],
  ).join('');
  return `Dr. X${letters}`;
}

/**
 * A new dentist of the demo clinic with a login, offering the Check-up every day 09:00–12:00 and
 * 13:00–18:00, made the way an admin's onboarding would (role, dentists row, services, weekly hours).
 */
async function createDentist(): Promise<TDentist> {
  const email = `cross-dentist-${randomUUID().slice(0, 8)}@example.test`;
  const { data, error } = await supabaseClient().auth.signUp({ email, password: DENTIST_PASSWORD });
  if (error || !data.user) throw new Error(`dentist sign-up failed: ${error?.message}`);
  const name = uniqueDentistName();
  await sql(`update public.profiles set role = 'dentist', display_name = $2 where id = $1`, [
    data.user.id,
    name,
  ]);
  const [row] = await sql<{ id: string }>(
    `insert into public.dentists (clinic_id, profile_id, display_name) values ($1, $2, $3) returning id`,
    [DEMO_CLINIC.id, data.user.id, name],
  );
  await sql(`insert into public.dentist_services (clinic_id, dentist_id, service_id) values ($1, $2, $3)`, [
    DEMO_CLINIC.id,
    row.id,
    CHECK_UP.id,
  ]);
  await sql(
    `insert into public.availability_rules (clinic_id, dentist_id, weekday, start_time, end_time)
     select $1, $2, d, t.s::time, t.e::time
     from generate_series(0, 6) d, (values ('09:00', '12:00'), ('13:00', '18:00')) t (s, e)`,
    [DEMO_CLINIC.id, row.id],
  );
  return { dentistId: row.id, name, email };
}

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

async function signIn(page: Page, email: string, password: string, landing: RegExp): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(landing);
}

async function expectLive(page: Page): Promise<void> {
  // Some layouts render a second, narrow-screen copy; the visible one counts.
  await expect(page.getByTestId('connection-indicator').filter({ visible: true }).first()).toHaveAttribute(
    'data-status',
    'connected',
    { timeout: LIVE_TIMEOUT_MS },
  );
}

function toasts(page: Page): Locator {
  return page.getByRole('region', { name: /Notifications/ });
}

/** Treatment → dentist → day on the booking page; returns the grid of start times. */
async function chooseDentistAndDay(page: Page, dentistName: string, date: string): Promise<Locator> {
  await page.goto('/patient/book');
  await page.getByRole('radio', { name: new RegExp(CHECK_UP.name) }).check();
  await page.getByRole('radio', { name: dentistName, exact: true }).check();
  await page
    .getByRole('group', { name: 'Choose a day' })
    .getByRole('button', { name: formatPatientDate(date, { withYear: true }), exact: true })
    .click();
  await expect(page.getByRole('heading', { name: `4. Time on ${formatPatientDate(date)}` })).toBeVisible();
  const grid = page.getByRole('list', { name: 'Free times' });
  await expect(grid).toBeVisible();
  return grid;
}

function freeTime(grid: Locator, time: string): Locator {
  return grid.getByRole('button', { name: `${time} available`, exact: true });
}

test('a patient books in the portal → the admin board and the dentist’s schedule show it without a reload', async ({
  browser,
}) => {
  const dentist = await createDentist();
  const date = clinicDate(2);
  const admin = DEMO_LOGINS.find((login) => login.email === 'admin@demo.clinic');
  if (!admin) throw new Error('no demo admin in the seed');

  // The front desk has the board open on that date.
  const adminPage = await newPage(browser);
  await signIn(adminPage, admin.email, admin.password, /\/admin/);
  await adminPage.goto(`/admin?date=${date}`);
  await expect(adminPage.getByRole('columnheader', { name: dentist.name, exact: true })).toBeVisible();
  const column = adminPage.getByRole('region', { name: `${dentist.name}, 0 appointments`, exact: true });
  await expect(column).toBeVisible();
  await expectLive(adminPage);

  // The dentist has their day open.
  const dentistPage = await newPage(browser);
  await signIn(dentistPage, dentist.email, DENTIST_PASSWORD, /\/dentist/);
  await dentistPage.goto(`/dentist?view=day&date=${date}`);
  const day = dentistPage.getByRole('region', { name: `Appointments on ${formatStaffDate(date)}` });
  await expect(day.getByText('No appointments on this day.')).toBeVisible();
  await expectLive(dentistPage);

  // A fresh patient signs up in the browser and books 14:00 through the portal.
  const patientPage = await newPage(browser);
  const email = `cross-patient-${randomUUID().slice(0, 8)}@example.test`;
  await patientPage.goto('/sign-up');
  await patientPage.getByLabel('Email').fill(email);
  await patientPage.getByLabel('Password', { exact: true }).fill(NEW_PATIENT_PASSWORD);
  await patientPage.getByRole('button', { name: 'Create account' }).click();
  await expect(patientPage).toHaveURL(/\/patient$/);

  const grid = await chooseDentistAndDay(patientPage, dentist.name, date);
  await freeTime(grid, '14:00').click();
  const booking = patientPage.getByRole('complementary', { name: 'Your booking' });
  await expect(booking.getByRole('heading', { name: 'Reserved for you' })).toBeVisible();
  await expect(booking.getByText(dentist.name)).toBeVisible();
  await booking.getByRole('button', { name: 'Confirm booking' }).click();
  await expect(patientPage.getByText(/^Booked: Check-up with /)).toBeVisible();
  await expect(patientPage).toHaveURL(/\/patient\/appointments/);

  // Exactly one appointment was made, by the portal, at 14:00 clinic time.
  const { data, error } = await serviceClient()
    .from('appointments')
    .select('id, starts_at, status, source')
    .eq('dentist_id', dentist.dentistId);
  expect(error).toBeNull();
  expect(data).toHaveLength(1);
  const [row] = data ?? [];
  expect(new Date(row.starts_at).toISOString()).toBe(slotInstant(date, '14:00'));
  expect([row.status, row.source]).toEqual(['scheduled', 'portal']);

  // The board: a card in the dentist's column and a toast naming the booking — no reload.
  const card = adminPage
    .getByRole('region', { name: `${dentist.name}, 1 appointment`, exact: true })
    .getByRole('button', { name: `14:00–14:30 ${email}, Check-up, Scheduled` });
  await expect(card).toBeVisible({ timeout: LIVE_TIMEOUT_MS });
  await expect(card).toHaveAttribute('data-appointment-id', row.id);
  await expect(
    toasts(adminPage).getByText(
      new RegExp(`New booking: Check-up .* 14:00 with ${escapeRegExp(dentist.name)}`),
    ),
  ).toBeVisible({ timeout: LIVE_TIMEOUT_MS });

  // The dentist's day: the patient at 14:00, scheduled — no reload.
  const item = day.getByRole('listitem').filter({ hasText: email });
  await expect(item).toBeVisible({ timeout: LIVE_TIMEOUT_MS });
  await expect(item).toContainText('14:00–14:30');
  await expect(item.getByTestId('status')).toHaveText('Scheduled');
  await expect(item.getByRole('button', { name: `Confirm: ${email} at 14:00` })).toBeVisible();

  for (const page of [adminPage, dentistPage, patientPage]) await page.context().close();
});

test('a dentist blocks an afternoon → the patient’s open slot grid and the chatbot stop offering those times', async ({
  browser,
}) => {
  const dentist = await createDentist();
  const patient = await createPatient('cross-grid');
  // Two days ahead at the least, so "on <weekday>" names that date and no time is inside the notice period.
  const date = clinicDate(3);
  const weekday = WEEKDAY_NAMES[new Date(`${date}T12:00:00Z`).getUTCDay()];
  const isAfternoon = (iso: string) => {
    const local = instantToLocal(new Date(iso), TZ);
    return local.date === date && local.time >= NOON;
  };

  // A patient has the slot grid open on this dentist and day: afternoon times are offered.
  const patientPage = await newPage(browser);
  await signInThroughUi(patientPage, patient.email);
  const grid = await chooseDentistAndDay(patientPage, dentist.name, date);
  await expect(freeTime(grid, '14:00')).toBeVisible();
  await expect(freeTime(grid, '10:00')).toBeVisible();
  await expect(patientPage.getByText('Times update live as others book.')).toBeVisible({
    timeout: LIVE_TIMEOUT_MS,
  });
  const offeredAfternoon = (
    await grid
      .getByRole('button')
      .evaluateAll((buttons) => buttons.map((button) => button.getAttribute('aria-label') ?? ''))
  ).filter((label) => /^(1[2-9]|2\d):\d\d available$/.test(label));
  expect(offeredAfternoon.length).toBeGreaterThan(1);

  // A visitor has the chatbot open with this dentist's afternoon times on screen.
  const visitorPage = await newPage(browser);
  await visitorPage.goto('/');
  await visitorPage.getByRole('button', { name: 'Book by chat' }).click();
  const chat = visitorPage.getByRole('dialog', { name: 'Booking assistant' });
  await expect(chat.getByText(`times in ${DEMO_CLINIC.timezone}`)).toBeVisible();
  await expect(chat.getByTestId('chat-live-status')).toHaveText('Live: taken times update instantly', {
    timeout: LIVE_TIMEOUT_MS,
  });
  const input = chat.getByLabel('Your message');
  await input.fill(`a check-up with ${dentist.name} on ${weekday} afternoon`);
  await input.press('Enter');
  await expect(
    chat.getByText(new RegExp(`Here are the openings for a check-up with ${escapeRegExp(dentist.name)}`)),
  ).toBeVisible();
  const chatSlots = chat.getByRole('list', { name: 'Offered times' }).last().getByRole('button');
  await expect(chatSlots.first()).toBeVisible();
  const shown = await chatSlots.count();
  expect(shown).toBeGreaterThan(1);
  for (let index = 0; index < shown; index += 1) {
    const slot = chatSlots.nth(index);
    await expect(slot).toHaveAttribute('data-status', 'available');
    await expect(slot).toHaveAttribute('data-dentist-id', dentist.dentistId);
    expect(isAfternoon((await slot.getAttribute('data-start')) ?? '')).toBe(true);
  }

  // The dentist limits that date to the morning.
  const dentistPage = await newPage(browser);
  await signIn(dentistPage, dentist.email, DENTIST_PASSWORD, /\/dentist/);
  await dentistPage.goto('/dentist/availability');
  const form = dentistPage.getByRole('form', { name: 'Change one date' });
  await form.getByLabel('Date').fill(date);
  await form.getByLabel('Different hours').check();
  const hours = form.getByRole('group', { name: 'Hours 1' });
  await hours.getByLabel('Hours 1 start').fill('09:00');
  await hours.getByLabel('Hours 1 end').fill(NOON);
  await form.getByLabel('Note (optional)').fill('Afternoon blocked');
  await form.getByRole('button', { name: 'Save date' }).click();
  await expect(toasts(dentistPage).getByText(`Hours for ${formatStaffDate(date)} saved.`)).toBeVisible();
  await expect(dentistPage.getByRole('listitem').filter({ hasText: 'Afternoon blocked' })).toContainText(
    `09:00–${NOON}`,
  );

  // The open grid stops offering every afternoon time it showed (gone, or greyed out as taken); the
  // morning stays bookable. No reload.
  for (const label of offeredAfternoon) {
    await expect(grid.getByRole('button', { name: label, exact: true })).toHaveCount(0, {
      timeout: LIVE_TIMEOUT_MS,
    });
  }
  await expect(freeTime(grid, '10:00')).toBeVisible();

  // The chatbot marks every afternoon time it offered as unavailable, in place.
  for (let index = 0; index < shown; index += 1) {
    const slot = chatSlots.nth(index);
    await expect(slot).toHaveAttribute('data-status', 'taken', { timeout: LIVE_TIMEOUT_MS });
    await expect(slot).toHaveAttribute('aria-disabled', 'true');
  }
  await expect(chatSlots).toHaveCount(shown);

  for (const page of [patientPage, visitorPage, dentistPage]) await page.context().close();
});
