/**
 * The patient booking flow in the browser: a fresh patient books end to end; two patients race for one
 * slot; a slot booked elsewhere turns "taken" in an open grid without a reload.
 */
import { expect, test } from '@playwright/test';
import {
  bookAs,
  CHECK_UP,
  clinicDate,
  createDedicatedDentist,
  createPatient,
  LIVE_TIMEOUT_MS,
  newPatientPage,
  openSlotGrid,
  serviceClient,
  signInThroughUi,
  slotButton,
  slotInstant,
} from './patient-helpers';

test('a fresh patient books a slot end to end: hold with countdown, confirm, toast, My appointments', async ({
  page,
}) => {
  const dentist = await createDedicatedDentist();
  const patient = await createPatient('book');
  const date = clinicDate(2);
  const start = slotInstant(date, '09:00');

  await signInThroughUi(page, patient.email);
  await openSlotGrid(page, dentist.name, date);
  await expect(slotButton(page, start)).toHaveAttribute('data-state', 'free');
  await expect(page.getByText(/Times are in the clinic’s time zone, Europe\/London/)).toBeVisible();

  await slotButton(page, start).click();
  const hold = page.getByTestId('hold-panel');
  await expect(hold).toBeVisible();
  // The 21-day strip scrolls inside its column; the page itself never gets wider than the window.
  const viewport = page.viewportSize();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
    viewport?.width ?? 0,
  );
  await expect(hold.getByText('Reserved for you')).toBeVisible();
  await expect(hold.getByTestId('hold-countdown')).toHaveText(/^[45]:\d\d$/);
  await expect(hold.getByText(dentist.name)).toBeVisible();

  await hold.getByRole('button', { name: 'Confirm booking' }).click();
  await expect(page.getByText(/^Booked: Check-up with /)).toBeVisible();
  await expect(page).toHaveURL(/\/patient\/appointments/);

  const upcoming = page.getByRole('list', { name: 'Upcoming appointments' });
  const row = upcoming.getByRole('listitem').filter({ hasText: dentist.name });
  await expect(row).toHaveCount(1);
  await expect(row.getByText('09:00–09:30')).toBeVisible();
  await expect(row.getByTestId('appointment-status')).toHaveText('Scheduled');

  // The database agrees: one scheduled appointment at that instant for this patient.
  const { data } = await patient.client
    .from('appointments')
    .select('starts_at, status, source')
    .eq('patient_id', patient.userId);
  expect(data).toEqual([{ starts_at: expect.any(String), status: 'scheduled', source: 'portal' }]);
  expect(new Date((data ?? [])[0].starts_at).toISOString()).toBe(start);
});

test('two patients race for one slot: one books, the other is told it was just taken and offered alternatives', async ({
  browser,
}) => {
  const dentist = await createDedicatedDentist();
  const [first, second] = await Promise.all([createPatient('race-a'), createPatient('race-b')]);
  const date = clinicDate(3);
  const start = slotInstant(date, '10:00');

  const pages = await Promise.all([
    newPatientPage(browser, first.email),
    newPatientPage(browser, second.email),
  ]);
  for (const page of pages) {
    await openSlotGrid(page, dentist.name, date);
    await expect(slotButton(page, start)).toHaveAttribute('data-state', 'free');
  }

  // Both choose 10:00 at the same moment; exactly one gets the hold.
  await Promise.all(pages.map((page) => slotButton(page, start).click()));
  const outcomes = await Promise.all(
    pages.map(async (page) => {
      const won = page.getByTestId('hold-panel');
      const lost = page.getByTestId('slot-taken');
      await expect(won.or(lost)).toBeVisible();
      return (await won.isVisible()) ? 'won' : 'lost';
    }),
  );
  expect([...outcomes].sort()).toEqual(['lost', 'won']);
  const winner = pages[outcomes.indexOf('won')];
  const loser = pages[outcomes.indexOf('lost')];

  await winner.getByRole('button', { name: 'Confirm booking' }).click();
  await expect(winner).toHaveURL(/\/patient\/appointments/);

  const taken = loser.getByTestId('slot-taken');
  await expect(taken.getByRole('heading', { name: 'Just taken' })).toBeVisible();
  await expect(taken.getByText('Sorry, that time was just taken by someone else.')).toBeVisible();
  const alternatives = taken.getByRole('list', { name: 'Alternative times' }).getByRole('button');
  await expect(alternatives.first()).toBeVisible();
  expect(await alternatives.count()).toBeGreaterThanOrEqual(3);
  // Nearest first, on the same day: 09:15 (the last start whose visit ends before 10:00) and 10:45 (the
  // first after the taken visit and its 5-minute buffer) are both 45 minutes away.
  await expect(alternatives.nth(0)).toContainText(/09:15|10:45/);
  await expect(alternatives.nth(1)).toContainText(/09:15|10:45/);
  const nearest = /09:15|10:45/.exec((await alternatives.first().textContent()) ?? '')?.[0] ?? 'none';

  // Taking an alternative works: it is held for the loser.
  await alternatives.first().click();
  await expect(loser.getByTestId('hold-panel')).toBeVisible();
  await expect(loser.getByTestId('hold-panel')).toContainText(nearest);

  // Only one appointment exists at 10:00.
  const { data } = await serviceClient()
    .from('appointments')
    .select('patient_id')
    .eq('dentist_id', dentist.id)
    .eq('starts_at', start);
  expect(data).toHaveLength(1);
  for (const page of pages) await page.context().close();
});

test('a slot booked by another patient turns taken in an open grid without a reload', async ({ page }) => {
  const dentist = await createDedicatedDentist();
  const [viewer, other] = await Promise.all([createPatient('viewer'), createPatient('other')]);
  const date = clinicDate(2);
  const start = slotInstant(date, '14:00');

  await signInThroughUi(page, viewer.email);
  await openSlotGrid(page, dentist.name, date);
  await expect(slotButton(page, start)).toHaveAttribute('data-state', 'free');
  await expect(page.getByTestId('connection-indicator').first()).toHaveAttribute('data-status', 'connected');

  await bookAs(other.client, dentist.id, start);

  await expect(slotButton(page, start)).toHaveAttribute('data-state', 'taken', { timeout: LIVE_TIMEOUT_MS });
  await expect(slotButton(page, start)).toHaveAccessibleName('14:00 taken');
  // Choosing it anyway explains and offers the nearest free times.
  await slotButton(page, start).click();
  await expect(
    page
      .getByTestId('slot-taken')
      .getByRole('list', { name: 'Alternative times' })
      .getByRole('button')
      .first(),
  ).toBeVisible();
});

test('a slot held by someone else is unavailable, and frees up when they release it', async ({ page }) => {
  const dentist = await createDedicatedDentist();
  const [viewer, holder] = await Promise.all([createPatient('viewer'), createPatient('holder')]);
  const date = clinicDate(4);
  const start = slotInstant(date, '11:00');

  await signInThroughUi(page, viewer.email);
  await openSlotGrid(page, dentist.name, date);
  await expect(slotButton(page, start)).toHaveAttribute('data-state', 'free');

  const { data: hold, error } = await holder.client
    .rpc('hold_slot', { p_dentist_id: dentist.id, p_service_id: CHECK_UP.id, p_starts_at: start })
    .single();
  expect(error).toBeNull();
  await expect(slotButton(page, start)).toHaveAttribute('data-state', 'taken', { timeout: LIVE_TIMEOUT_MS });

  await holder.client.rpc('release_hold', { p_hold_id: (hold as { id: string }).id });
  // Freed again: the grid shows it free once more (the same button, no reload).
  await expect(page.locator(`button[data-slot-start="${start}"][data-state="free"]`)).toBeVisible({
    timeout: LIVE_TIMEOUT_MS,
  });
});
