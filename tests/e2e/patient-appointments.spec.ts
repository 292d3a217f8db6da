/**
 * "My appointments" in the browser: live status from the patient's private topic, catching up after
 * the browser was offline while the front desk changed the appointment, cancelling (with the
 * late-cancel warning inside the clinic's 24-hour cutoff) and rescheduling to a live free time.
 */
import { expect, test } from '@playwright/test';
import {
  adminClient,
  bookAs,
  CHECK_UP,
  clinicDate,
  createDedicatedDentist,
  createPatient,
  LIVE_TIMEOUT_MS,
  signInThroughUi,
  slotInstant,
} from './patient-helpers';

/** Nearest free Check-up start 3–20 hours from now: inside the 24 h cutoff, outside the 2 h notice. */
async function soonSlot(
  client: Awaited<ReturnType<typeof createPatient>>['client'],
  dentistId: string,
): Promise<string> {
  const from = new Date(Date.now() + 3 * 3_600_000).toISOString();
  const to = new Date(Date.now() + 20 * 3_600_000).toISOString();
  const { data, error } = await client.rpc('available_slots', {
    p_clinic_id: 'c1000000-0000-4000-8000-000000000001',
    p_service_id: CHECK_UP.id,
    p_dentist_id: dentistId,
    p_from: from,
    p_to: to,
  });
  const first = (data as { start: string }[] | null)?.[0];
  if (error || !first) throw new Error(`no slot within the cutoff: ${error?.message ?? 'none'}`);
  return first.start;
}

test('status changes made while the browser was offline show up once it is back online', async ({
  page,
  context,
}) => {
  const dentist = await createDedicatedDentist();
  const patient = await createPatient('offline');
  const booked = await bookAs(patient.client, dentist.id, slotInstant(clinicDate(2), '09:30'));

  await signInThroughUi(page, patient.email);
  await page.goto('/patient/appointments');
  const row = page.locator(`li[data-appointment-id="${booked.id}"]`);
  await expect(row.getByTestId('appointment-status')).toHaveText('Scheduled');
  const indicator = page.getByTestId('connection-indicator').first();
  await expect(indicator).toHaveAttribute('data-status', 'connected');

  // Live while online: the front desk confirms, the patient sees it without reloading.
  const admin = await adminClient();
  const confirmed = await admin
    .rpc('set_appointment_status', {
      p_appointment_id: booked.id,
      p_status: 'confirmed',
      p_expected_version: booked.version,
    })
    .single();
  expect(confirmed.error).toBeNull();
  await expect(row.getByTestId('appointment-status')).toHaveText('Confirmed', { timeout: LIVE_TIMEOUT_MS });

  await context.setOffline(true);
  await expect(indicator).toHaveAttribute('data-status', 'offline');
  await expect(indicator).toHaveText(/Offline/);

  // Meanwhile the front desk moves the visit to 11:00 and checks nothing else.
  const version = (confirmed.data as { version: number }).version;
  const moved = await admin
    .rpc('reschedule_appointment', {
      p_appointment_id: booked.id,
      p_starts_at: slotInstant(clinicDate(2), '11:00'),
      p_expected_version: version,
    })
    .single();
  expect(moved.error).toBeNull();

  await context.setOffline(false);
  await expect(row.getByText('11:00–11:30')).toBeVisible({ timeout: LIVE_TIMEOUT_MS });
  // Rescheduling makes it "scheduled" again.
  await expect(row.getByTestId('appointment-status')).toHaveText('Scheduled');
  await expect(indicator).toHaveAttribute('data-status', 'connected', { timeout: LIVE_TIMEOUT_MS });
});

test('cancelling warns about a late cancellation inside the cutoff; rescheduling moves a visit to a live free time', async ({
  page,
}) => {
  const dentist = await createDedicatedDentist();
  const patient = await createPatient('manage');
  const soon = await bookAs(patient.client, dentist.id, await soonSlot(patient.client, dentist.id));
  const later = await bookAs(patient.client, dentist.id, slotInstant(clinicDate(5), '09:00'));

  await signInThroughUi(page, patient.email);
  await page.goto('/patient/appointments');
  const soonRow = page.locator(`li[data-appointment-id="${soon.id}"]`);
  const laterRow = page.locator(`li[data-appointment-id="${later.id}"]`);
  await expect(soonRow.getByTestId('appointment-status')).toHaveText('Scheduled');

  // Far enough ahead: no warning.
  await laterRow.getByRole('button', { name: 'Cancel' }).click();
  await expect(laterRow.getByRole('region', { name: 'Cancel this appointment?' })).toBeVisible();
  await expect(laterRow.getByText(/late cancellation/)).toHaveCount(0);
  await laterRow.getByRole('button', { name: 'Keep it' }).click();

  // Inside the cutoff: the warning, then a late cancellation.
  await soonRow.getByRole('button', { name: 'Cancel' }).click();
  await expect(
    soonRow.getByText(/less than 24 hours away, so this will be recorded as a late cancellation/),
  ).toBeVisible();
  await soonRow.getByRole('button', { name: 'Yes, cancel appointment' }).click();
  await expect(page.getByText('Appointment cancelled (recorded as a late cancellation).')).toBeVisible();
  await expect(soonRow.getByTestId('appointment-status')).toHaveText('Cancelled (late)');
  await expect(soonRow.getByRole('button', { name: 'Cancel' })).toHaveCount(0);

  // Reschedule the later visit to 13:15 the day after, from the keyboard-reachable panel.
  const newDate = clinicDate(6);
  const newStart = slotInstant(newDate, '13:15');
  await laterRow.getByRole('button', { name: 'Reschedule' }).click();
  const panel = laterRow.getByRole('region', { name: 'Move this appointment' });
  await expect(panel).toBeVisible();
  await panel.locator(`button[data-date="${newDate}"]`).click();
  await panel.locator(`button[data-slot-start="${newStart}"]`).click();
  await panel.getByRole('button', { name: /^Move to / }).click();
  await expect(page.getByText(/^Appointment moved to .*13:15/)).toBeVisible();
  await expect(laterRow.getByText('13:15–13:45')).toBeVisible();
  await expect(panel).toHaveCount(0);

  const { data } = await patient.client
    .from('appointments')
    .select('id, status, starts_at')
    .in('id', [soon.id, later.id]);
  const byId = Object.fromEntries(
    (data ?? []).map((r: { id: string; status: string; starts_at: string }) => [r.id, r]),
  );
  expect(byId[soon.id].status).toBe('late_cancel');
  expect(new Date(byId[later.id].starts_at).toISOString()).toBe(newStart);
});
