/**
 * Staff views end to end: the admin live board, the dentist workspace and what patients see, with
 * several browser contexts at once. Every test creates its own dentist (superuser SQL, like an admin
 * onboarding a colleague) and its own patients (real sign-ups), so parallel workers never share rows.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import WebSocket from 'ws';
import { DEMO_CLINIC, DEMO_LOGINS, DEMO_SERVICES } from '../../lib/domain/demo-logins';
import { instantToLocal, localToInstant } from '../../lib/scheduling/time-zone';

const PASSWORD = 'correct-horse-battery';
/** "Live" claims are bounded generously: latency numbers belong to the bench, not to tests. */
const LIVE_TIMEOUT_MS = 10_000;
/** Presence tracks are debounced and rate-limited (one per 6 s), so allow a little more. */
const PRESENCE_TIMEOUT_MS = 20_000;
const TZ = DEMO_CLINIC.timezone;
const CHECK_UP = DEMO_SERVICES[0];
const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run through the e2e global setup`);
  return value;
}

function supabaseClient(): SupabaseClient {
  return createClient(env('E2E_SUPABASE_URL'), env('E2E_SUPABASE_ANON_KEY'), {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
  });
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

/** The clinic-local date `days` after today. */
function clinicDate(days: number): string {
  const today = instantToLocal(new Date(), TZ).date;
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

type TPerson = { client: SupabaseClient; userId: string; email: string; name: string };

async function signUpPatient(label: string): Promise<TPerson> {
  const client = supabaseClient();
  const email = `e2e-${label}-${randomUUID().slice(0, 8)}@example.test`;
  const name = `${label[0].toUpperCase()}${label.slice(1)} ${randomUUID().slice(0, 4)}`;
  const { data, error } = await client.auth.signUp({
    email,
    password: PASSWORD,
    options: { data: { full_name: name } },
  });
  if (error || !data.user) throw new Error(`sign-up failed: ${error?.message}`);
  return { client, userId: data.user.id, email, name };
}

/**
 * A new dentist of the demo clinic who offers a check-up every day 09:00–12:00 and 13:00–18:00,
 * made the way an admin's onboarding would (role, dentists row, services, weekly hours).
 */
async function createDentist(): Promise<TPerson & { dentistId: string }> {
  const person = await signUpPatient('dentist');
  const displayName = `Dr. E2E ${randomUUID().slice(0, 6)}`;
  await sql(`update public.profiles set role = 'dentist', display_name = $2 where id = $1`, [
    person.userId,
    displayName,
  ]);
  const [row] = await sql<{ id: string }>(
    `insert into public.dentists (clinic_id, profile_id, display_name) values ($1, $2, $3) returning id`,
    [DEMO_CLINIC.id, person.userId, displayName],
  );
  await sql(`insert into public.dentist_services (clinic_id, dentist_id, service_id) values ($1, $2, $3)`, [
    DEMO_CLINIC.id,
    row.id,
    CHECK_UP.id,
  ]);
  await sql(
    `insert into public.availability_rules (clinic_id, dentist_id, weekday, start_time, end_time)
     select $1, $2, d, t.s::time, t.e::time from generate_series(0, 6) d, (values ('09:00', '12:00'), ('13:00', '18:00')) t (s, e)`,
    [DEMO_CLINIC.id, row.id],
  );
  return { ...person, name: displayName, dentistId: row.id };
}

/** Books a check-up as the patient (through supabase-js, as the portal does) at a clinic-local time. */
async function book(
  patient: TPerson,
  dentistId: string,
  date: string,
  time: string,
): Promise<{ id: string; version: number }> {
  const { data, error } = await patient.client.rpc('book_appointment', {
    p_dentist_id: dentistId,
    p_service_id: CHECK_UP.id,
    p_starts_at: localToInstant(date, time, TZ).toISOString(),
  });
  if (error) throw new Error(`booking failed: ${error.message} ${error.details}`);
  const row = data as { id: string; version: number };
  return { id: row.id, version: row.version };
}

async function signIn(page: Page, email: string, password: string, landing: RegExp): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(landing);
}

async function newSignedInPage(
  browser: Browser,
  email: string,
  password: string,
  landing: RegExp,
): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email, password, landing);
  return page;
}

function demo(email: string) {
  const login = DEMO_LOGINS.find((l) => l.email === email);
  if (!login) throw new Error(`no demo login ${email}`);
  return login;
}

async function expectLive(page: Page): Promise<void> {
  // Some layouts render a second, narrow-screen copy; the visible one counts.
  await expect(page.getByTestId('connection-indicator').filter({ visible: true }).first()).toHaveAttribute(
    'data-status',
    'connected',
    { timeout: LIVE_TIMEOUT_MS },
  );
}

/**
 * A check-up of the patient with the dentist starting `offsetMinutes` from the database's now, in
 * `status` — written directly (superuser), like a visit booked earlier that is now due. Returns it
 * with its clinic-local date.
 */
async function visitDue(
  patient: TPerson,
  dentistId: string,
  offsetMinutes: number,
  status: 'scheduled' | 'confirmed' = 'scheduled',
): Promise<{ id: string; date: string }> {
  // A string when another spec in this worker loaded the local stack, whose db module makes node-postgres
  // return timestamps as text process-wide; a Date otherwise.
  const [row] = await sql<{ id: string; starts_at: Date | string }>(
    `insert into public.appointments (clinic_id, dentist_id, patient_id, service_id, period, blocked_period, status, source)
     select $1, $2, $3, $4, p, p, $6, 'staff'
     from (select tstzrange(date_trunc('minute', now()) + make_interval(mins => $5),
                            date_trunc('minute', now()) + make_interval(mins => $5 + 30), '[)') as p) t
     returning id, starts_at`,
    [DEMO_CLINIC.id, dentistId, patient.userId, CHECK_UP.id, offsetMinutes, status],
  );
  return { id: row.id, date: instantToLocal(new Date(row.starts_at), TZ).date };
}

/** Sonner's toast region. */
function toasts(page: Page) {
  return page.getByRole('region', { name: /Notifications/ });
}

function boardCard(page: Page, appointmentId: string) {
  return page.locator(`button[data-appointment-id="${appointmentId}"]`);
}

test('a patient booking shows up live on the admin board and the dentist’s schedule; the admin’s confirmation reaches dentist and patient live', async ({
  browser,
}) => {
  // Three signed-in browsers and two visits (one tomorrow, one due now): more than the default budget.
  test.slow();
  const dentist = await createDentist();
  const patient = await signUpPatient('patient');
  const date = clinicDate(1);
  const admin = demo('admin@demo.clinic');

  const adminPage = await newSignedInPage(browser, admin.email, admin.password, /\/admin/);
  await adminPage.goto(`/admin?date=${date}`);
  await expect(adminPage.getByRole('columnheader', { name: dentist.name })).toBeVisible();
  await expectLive(adminPage);

  const dentistPage = await newSignedInPage(browser, dentist.email, PASSWORD, /\/dentist/);
  await dentistPage.goto(`/dentist?view=day&date=${date}`);
  await expect(dentistPage.getByText('No appointments on this day.')).toBeVisible();
  await expectLive(dentistPage);

  const patientPage = await newSignedInPage(browser, patient.email, PASSWORD, /\/patient/);

  const booking = await book(patient, dentist.dentistId, date, '14:00');

  // The board: a card in the dentist's column, highlighted, and a toast naming the booking.
  const card = boardCard(adminPage, booking.id);
  await expect(card).toBeVisible({ timeout: LIVE_TIMEOUT_MS });
  await expect(card).toContainText('14:00–14:30');
  await expect(card).toContainText(patient.name);
  await expect(toasts(adminPage).getByText(/New booking: Check-up .* 14:00 with/)).toBeVisible({
    timeout: LIVE_TIMEOUT_MS,
  });
  // The dentist's own day.
  const dentistRow = dentistPage.locator(`li[data-appointment-id="${booking.id}"]`);
  await expect(dentistRow).toContainText(patient.name, { timeout: LIVE_TIMEOUT_MS });
  await expect(dentistRow.getByTestId('status')).toHaveText('Scheduled');

  // The patient's "my appointments" page, open before the admin acts.
  await patientPage.goto('/patient/appointments');
  const patientRow = patientPage.locator(`li[data-appointment-id="${booking.id}"]`);
  await expect(patientRow.getByTestId('appointment-status')).toHaveText('Scheduled');
  await expectLive(patientPage);

  // The admin confirms from the board.
  await card.click();
  const panel = adminPage.getByRole('region', { name: patient.name });
  await panel.getByRole('button', { name: 'Confirm', exact: true }).click();
  await expect(card).toHaveAttribute('data-status', 'confirmed', { timeout: LIVE_TIMEOUT_MS });

  await expect(dentistRow.getByTestId('status')).toHaveText('Confirmed', { timeout: LIVE_TIMEOUT_MS });
  await expect(patientRow.getByTestId('appointment-status')).toHaveText('Confirmed', {
    timeout: LIVE_TIMEOUT_MS,
  });

  // The activity feed names the change, newest first.
  const feed = adminPage.getByRole('list', { name: 'Clinic activity, newest first' });
  await expect(feed.locator('li').first()).toContainText(`set ${patient.name}'s Check-up`, {
    timeout: LIVE_TIMEOUT_MS,
  });

  // Tomorrow's visit cannot be checked in yet: the button stays reachable but inert, and says when.
  const early = dentistRow.getByRole('button', { name: /^Check in:/ });
  await expect(early).toHaveAttribute('aria-disabled', 'true');
  await expect(early).toHaveAccessibleDescription(/^Opens /);
  await early.focus();
  await dentistPage.keyboard.press('Enter');
  await expect(dentistRow.getByTestId('status')).toHaveText('Confirmed');

  // A visit of the same patient that is due now: the dentist checks them in; the board follows.
  const due = await visitDue(patient, dentist.dentistId, 15, 'confirmed');
  await adminPage.goto(`/admin?date=${due.date}`);
  const dueCard = boardCard(adminPage, due.id);
  await expect(dueCard).toHaveAttribute('data-status', 'confirmed');
  await expectLive(adminPage);
  await dentistPage.goto(`/dentist?view=day&date=${due.date}`);
  const dueRow = dentistPage.locator(`li[data-appointment-id="${due.id}"]`);
  await expectLive(dentistPage);
  await dueRow.getByRole('button', { name: /^Check in:/ }).click();
  await expect(dueCard).toHaveAttribute('data-status', 'checked_in', { timeout: LIVE_TIMEOUT_MS });

  // A status change based on an old version is refused and the view reloads instead of overwriting.
  const { error } = await patient.client.rpc('set_appointment_status', {
    p_appointment_id: booking.id,
    p_status: 'confirmed',
    p_expected_version: booking.version,
  });
  expect(error?.message).toBe('stale_version');
});

test('a no-show asks for confirmation first, and Undo in the toast restores the visit through the version check', async ({
  browser,
}) => {
  const dentist = await createDentist();
  const patient = await signUpPatient('absent');
  const started = await visitDue(patient, dentist.dentistId, -10, 'confirmed');
  const far = await visitDue(patient, dentist.dentistId, 11 * 24 * 60);

  const page = await newSignedInPage(browser, dentist.email, PASSWORD, /\/dentist/);

  // Eleven days ahead, no-show is not offered yet (reachable by keyboard, inert, explained).
  await page.goto(`/dentist?view=day&date=${far.date}`);
  const farRow = page.locator(`li[data-appointment-id="${far.id}"]`);
  const earlyNoShow = farRow.getByRole('button', { name: /^No-show:/ });
  await expect(earlyNoShow).toHaveAttribute('aria-disabled', 'true');
  await expect(earlyNoShow).toHaveAccessibleDescription(/^Opens /);
  await earlyNoShow.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog')).toHaveCount(0);

  await page.goto(`/dentist?view=day&date=${started.date}`);
  const row = page.locator(`li[data-appointment-id="${started.id}"]`);
  await expect(row).toContainText(patient.name);
  await expectLive(page);

  // The first click only asks; "Keep it" changes nothing.
  await row.getByRole('button', { name: /^No-show:/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Mark as a no-show?' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Keep it' }).click();
  await expect(row.getByTestId('status')).toHaveText('Confirmed');

  await row.getByRole('button', { name: /^No-show:/ }).click();
  await dialog.getByRole('button', { name: 'Mark as no-show' }).click();
  await expect(row.getByTestId('status')).toHaveText('No-show', { timeout: LIVE_TIMEOUT_MS });
  const toast = toasts(page).locator('[data-sonner-toast]').filter({ hasText: 'Marked as no-show.' });
  await toast.getByRole('button', { name: 'Undo' }).click();
  await expect(row.getByTestId('status')).toHaveText('Confirmed', { timeout: LIVE_TIMEOUT_MS });
  await expect(toasts(page).getByText('Undone: the appointment is confirmed again.')).toBeVisible();

  const [saved] = await sql<{ status: string; version: number; previous_status: string }>(
    'select status::text, version, previous_status::text from public.appointments where id = $1',
    [started.id],
  );
  expect(saved).toEqual({ status: 'confirmed', version: 3, previous_status: 'no_show' });
});

test('a cancellation shows up live on the board with a toast, and the dentist’s schedule drops it', async ({
  browser,
}) => {
  const dentist = await createDentist();
  const patient = await signUpPatient('canceller');
  const date = clinicDate(2);
  const booking = await book(patient, dentist.dentistId, date, '10:00');
  const admin = demo('frontdesk@demo.clinic');

  const adminPage = await newSignedInPage(browser, admin.email, admin.password, /\/admin/);
  await adminPage.goto(`/admin?date=${date}`);
  await expect(boardCard(adminPage, booking.id)).toBeVisible();
  await expectLive(adminPage);

  const dentistPage = await newSignedInPage(browser, dentist.email, PASSWORD, /\/dentist/);
  await dentistPage.goto(`/dentist?view=week&date=${date}`);
  await expect(dentistPage.locator(`li[data-appointment-id="${booking.id}"]`)).toBeVisible();
  await expectLive(dentistPage);

  const { error } = await patient.client.rpc('cancel_appointment', { p_appointment_id: booking.id });
  expect(error).toBeNull();

  await expect(toasts(adminPage).getByText(/Cancelled: Check-up .* 10:00 with/)).toBeVisible({
    timeout: LIVE_TIMEOUT_MS,
  });
  await expect(dentistPage.locator(`li[data-appointment-id="${booking.id}"]`)).toHaveCount(0, {
    timeout: LIVE_TIMEOUT_MS,
  });
  // The cancelled card lingers highlighted, then leaves the default ("booked") view.
  await expect(boardCard(adminPage, booking.id)).toHaveCount(0, { timeout: LIVE_TIMEOUT_MS });
  await adminPage.getByLabel('Status').selectOption('cancelled');
  await expect(boardCard(adminPage, booking.id)).toHaveAttribute('data-status', 'cancelled');
});

test('two front-desk staff see each other online, and a soft-lock marker when both open the same appointment', async ({
  browser,
}) => {
  const dentist = await createDentist();
  const patient = await signUpPatient('locked');
  const date = clinicDate(3);
  const booking = await book(patient, dentist.dentistId, date, '09:30');
  const alex = demo('admin@demo.clinic');
  const sam = demo('frontdesk@demo.clinic');

  const alexPage = await newSignedInPage(browser, alex.email, alex.password, /\/admin/);
  const samPage = await newSignedInPage(browser, sam.email, sam.password, /\/admin/);
  await Promise.all([alexPage.goto(`/admin?date=${date}`), samPage.goto(`/admin?date=${date}`)]);

  for (const page of [alexPage, samPage]) {
    const online = page.getByRole('region', { name: /Online now/ });
    await expect(online.locator(`[data-presence-user="${alex.name}"]`)).toBeVisible({
      timeout: PRESENCE_TIMEOUT_MS,
    });
    await expect(online.locator(`[data-presence-user="${sam.name}"]`)).toBeVisible({
      timeout: PRESENCE_TIMEOUT_MS,
    });
    await expect(online.locator(`[data-presence-user="${alex.name}"]`)).toContainText('Front desk / admin');
  }

  // Alex opens the appointment and starts rescheduling: Sam's board marks it, and Sam's panel says so.
  await boardCard(alexPage, booking.id).click();
  await alexPage.getByRole('button', { name: 'Reschedule' }).click();
  await expect(boardCard(samPage, booking.id)).toHaveAccessibleName(new RegExp(`open by ${alex.name}`), {
    timeout: PRESENCE_TIMEOUT_MS,
  });
  await boardCard(samPage, booking.id).click();
  await expect(samPage.getByRole('status').filter({ hasText: `${alex.name} is editing this` })).toBeVisible({
    timeout: PRESENCE_TIMEOUT_MS,
  });
  // Sam's presence entry shows what Alex is doing.
  await expect(samPage.locator(`[data-presence-user="${alex.name}"]`)).toContainText('Editing', {
    timeout: PRESENCE_TIMEOUT_MS,
  });

  // Alex moves it to a free slot; Sam's board follows.
  const freeTimes = alexPage.getByRole('list', { name: 'Free times' });
  await freeTimes.getByRole('button', { name: '16:00', exact: true }).click();
  await expect(alexPage.getByText('Appointment moved.')).toBeVisible();
  await expect(boardCard(samPage, booking.id)).toContainText('16:00–16:30', { timeout: LIVE_TIMEOUT_MS });
});

test('the dentist’s weekly hours editor validates windows, counts booked patients before removing hours, and saves', async ({
  browser,
}) => {
  const dentist = await createDentist();
  const date = clinicDate(4);
  const weekday = WEEKDAY_NAMES[weekdayOf(date)];
  const first = await signUpPatient('first');
  const second = await signUpPatient('second');
  await book(first, dentist.dentistId, date, '14:00');
  await book(second, dentist.dentistId, date, '15:00');

  const page = await newSignedInPage(browser, dentist.email, PASSWORD, /\/dentist/);
  await page.getByRole('link', { name: 'Availability' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Availability' })).toBeVisible();

  const day = page.getByRole('group', { name: `${weekday} window 2` });
  await expect(day.getByLabel(`${weekday} window 2 start`)).toHaveValue('13:00');

  // Validation: an end before the start, then an overlap.
  await day.getByLabel(`${weekday} window 2 end`).fill('12:00');
  await expect(day.getByText('The end must be after the start.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save weekly hours' })).toBeDisabled();
  await day.getByLabel(`${weekday} window 2 start`).fill('11:00');
  await day.getByLabel(`${weekday} window 2 end`).fill('18:00');
  await expect(day.getByText('This overlaps another window on the same day.')).toBeVisible();

  // Remove the afternoon: two booked patients are in it.
  await day.getByRole('button', { name: `Remove ${weekday} window 2` }).click();
  await page.getByRole('button', { name: 'Save weekly hours' }).click();
  const dialog = page.getByRole('dialog', { name: 'Remove hours with booked patients?' });
  await expect(dialog).toContainText('2 patients (2 appointments)');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  let rules = await sql<{ n: string }>(
    `select count(*) as n from public.availability_rules where dentist_id = $1 and weekday = $2`,
    [dentist.dentistId, weekdayOf(date)],
  );
  expect(Number(rules[0].n)).toBe(2);

  // Adding an evening window and removing the afternoon, confirmed.
  await page.getByRole('button', { name: `Add hours on ${weekday}` }).click();
  await page.getByLabel(`${weekday} window 2 start`).fill('18:00');
  await page.getByLabel(`${weekday} window 2 end`).fill('20:00');
  await page.getByRole('button', { name: 'Save weekly hours' }).click();
  await dialog.getByRole('button', { name: 'Save anyway' }).click();
  await expect(toasts(page).getByText('Weekly hours saved.')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel(`${weekday} window 2 start`)).toHaveValue('18:00');
  rules = await sql<{ n: string }>(
    `select count(*) as n from public.availability_rules where dentist_id = $1 and weekday = $2 and start_time in ('09:00', '18:00')`,
    [dentist.dentistId, weekdayOf(date)],
  );
  expect(Number(rules[0].n)).toBe(2);

  // Shortening a morning nobody is booked in needs no confirmation.
  await page.getByLabel(`${weekday} window 1 end`).fill('11:00');
  await page.getByRole('button', { name: 'Save weekly hours' }).click();
  await expect(toasts(page).getByText('Weekly hours saved.')).toBeVisible();
});

test('a dentist blocks an afternoon: the confirmation counts the patient, and patients are no longer offered those times', async ({
  browser,
}) => {
  const dentist = await createDentist();
  const date = clinicDate(5);
  const patient = await signUpPatient('afternoon');
  await book(patient, dentist.dentistId, date, '16:00');

  const bounds = {
    p_from: localToInstant(date, '00:00', TZ).toISOString(),
    p_to: localToInstant(date, '24:00', TZ).toISOString(),
  };
  const afternoonSlots = async () => {
    const anon = supabaseClient();
    const { data, error } = await anon.rpc('available_slots', {
      p_clinic_id: DEMO_CLINIC.id,
      p_service_id: CHECK_UP.id,
      p_dentist_id: dentist.dentistId,
      ...bounds,
    });
    if (error) throw new Error(error.message);
    return (data as { start: string }[]).filter(
      (slot) => instantToLocal(new Date(slot.start), TZ).time >= '12:00',
    );
  };
  expect((await afternoonSlots()).length).toBeGreaterThan(0);

  // A patient has the booking page open on this dentist and day: 14:00 is offered.
  const patientPage = await newSignedInPage(browser, patient.email, PASSWORD, /\/patient/);
  await patientPage.goto('/patient/book');
  await patientPage.getByRole('radio', { name: /Check-up/ }).check();
  await patientPage.getByRole('radio', { name: dentist.name }).check();
  const dayLabel = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  }).format(new Date(`${date}T12:00:00Z`));
  await patientPage
    .getByRole('group', { name: 'Choose a day' })
    .getByRole('button', { name: dayLabel })
    .click();
  const slotCell = (time: string) =>
    patientPage.locator(`[data-slot-start="${localToInstant(date, time, TZ).toISOString()}"]`);
  await expect(slotCell('14:00')).toHaveAttribute('data-state', 'free');
  await expect(slotCell('10:00')).toHaveAttribute('data-state', 'free');

  const page = await newSignedInPage(browser, dentist.email, PASSWORD, /\/dentist/);
  await page.goto('/dentist/availability');
  const form = page.getByRole('form', { name: 'Change one date' });
  await form.getByLabel('Date').fill(date);
  await form.getByLabel('Different hours').check();
  await form.getByRole('group', { name: 'Hours 1' }).getByLabel('Hours 1 start').fill('09:00');
  await form.getByRole('group', { name: 'Hours 1' }).getByLabel('Hours 1 end').fill('12:00');
  await form.getByLabel('Note (optional)').fill('Afternoon blocked');
  await form.getByRole('button', { name: 'Save date' }).click();

  const dialog = page.getByRole('dialog', { name: 'Block hours with booked patients?' });
  await expect(dialog).toContainText('1 patient (1 appointment)');
  await dialog.getByRole('button', { name: 'Save anyway' }).click();
  await expect(page.getByText(/Hours for .* saved\./)).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: 'Afternoon blocked' })).toContainText(
    '09:00–12:00',
  );

  await expect.poll(async () => (await afternoonSlots()).length, { timeout: LIVE_TIMEOUT_MS }).toBe(0);
  // The open slot grid stops offering the afternoon without a reload; the morning stays.
  await expect(slotCell('14:00').and(patientPage.locator('[data-state="free"]'))).toHaveCount(0, {
    timeout: LIVE_TIMEOUT_MS,
  });
  await expect(slotCell('10:00')).toHaveAttribute('data-state', 'free');

  // Time off on another day also asks first when someone is booked in it.
  const nextDay = clinicDate(6);
  await book(patient, dentist.dentistId, nextDay, '14:30');
  const timeOff = page.getByRole('form', { name: 'Add time off' });
  await timeOff.getByLabel('From').fill(`${nextDay}T13:00`);
  await timeOff.getByLabel('Until').fill(`${nextDay}T18:00`);
  await timeOff.getByRole('button', { name: 'Add time off' }).click();
  await expect(dialog).toContainText('1 patient (1 appointment)');
  await dialog.getByRole('button', { name: 'Save anyway' }).click();
  await expect(page.getByText('Time off saved.')).toBeVisible();
});

test.describe('staff areas refuse other roles', () => {
  test('a patient opening the board or the dentist workspace gets the 403 page', async ({ page }) => {
    const patient = demo('patient@demo.clinic');
    await signIn(page, patient.email, patient.password, /\/patient/);
    await page.goto('/admin');
    await expect(
      page.getByRole('heading', { level: 1, name: 'This area is for clinic admins and the front desk' }),
    ).toBeVisible();
    await expect(page.getByText('403 · Not allowed')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Go to your patient portal' })).toBeVisible();
    await expect(page.getByRole('region', { name: /Online now/ })).toHaveCount(0);
    await page.goto('/dentist/availability');
    await expect(page.getByRole('heading', { level: 1, name: 'This area is for dentists' })).toBeVisible();
  });

  test('an admin opening the dentist workspace is pointed back to the board', async ({ page }) => {
    const admin = demo('frontdesk@demo.clinic');
    await signIn(page, admin.email, admin.password, /\/admin/);
    await page.goto('/dentist');
    await expect(page.getByRole('heading', { level: 1, name: 'This area is for dentists' })).toBeVisible();
    await page.getByRole('link', { name: 'Go to the live board' }).click();
    await expect(page).toHaveURL(/\/admin$/);
  });
});
