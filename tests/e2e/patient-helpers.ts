/**
 * Fixtures for the patient-portal e2e tests. Every test gets its own dentist (working 06:00–22:00 clinic
 * time, every day, offering the Check-up), so tests running in parallel never compete for a slot, and
 * its own patients (created confirmed through the Auth admin API, then signed in through the UI).
 */
import { expect, type Browser, type Page } from '@playwright/test';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { DEMO_CLINIC, DEMO_LOGINS } from '../../lib/domain/demo-logins';
import { instantToLocal, localToInstant } from '../../lib/scheduling/time-zone';

export const PASSWORD = 'patient-portal-pass';
/** Seeded Check-up: 30 min + 5 min buffer after. */
export const CHECK_UP = { id: '5e000000-0000-4000-8000-000000000001', name: 'Check-up' } as const;
export const TZ = DEMO_CLINIC.timezone;
/** Live updates should land within about a second; the bound is generous for a busy 2-core machine. */
export const LIVE_TIMEOUT_MS = 10_000;
const DAY_MS = 86_400_000;
const WORK_START = '06:00';
const WORK_END = '22:00';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run through the Playwright global setup`);
  return value;
}

export function supabaseClient(key = env('E2E_SUPABASE_ANON_KEY')): SupabaseClient {
  return createClient(env('E2E_SUPABASE_URL'), key, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
  });
}

export function serviceClient(): SupabaseClient {
  return supabaseClient(env('E2E_SUPABASE_SERVICE_ROLE_KEY'));
}

function must<T>(result: { data: T | null; error: { message: string } | null }, what: string): T {
  if (result.error || result.data === null) throw new Error(`${what}: ${result.error?.message ?? 'no data'}`);
  return result.data;
}

/** A dentist only this test books with. */
export async function createDedicatedDentist(): Promise<{ id: string; name: string }> {
  const admin = serviceClient();
  const name = `Dr. E2E ${randomUUID().slice(0, 6)}`;
  const dentist = must(
    await admin
      .from('dentists')
      .insert({ clinic_id: DEMO_CLINIC.id, display_name: name })
      .select('id')
      .single(),
    'insert dentist',
  ) as { id: string };
  must(
    await admin
      .from('dentist_services')
      .insert({ clinic_id: DEMO_CLINIC.id, dentist_id: dentist.id, service_id: CHECK_UP.id })
      .select(),
    'offer check-up',
  );
  const rules = [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({
    clinic_id: DEMO_CLINIC.id,
    dentist_id: dentist.id,
    weekday,
    start_time: WORK_START,
    end_time: WORK_END,
  }));
  must(await admin.from('availability_rules').insert(rules).select(), 'weekly hours');
  return { id: dentist.id, name };
}

/** A confirmed patient of the demo clinic; returns a supabase-js client signed in as them too. */
export async function createPatient(
  prefix = 'portal',
): Promise<{ email: string; userId: string; client: SupabaseClient }> {
  const email = `${prefix}-${randomUUID().slice(0, 8)}@example.test`;
  const created = await serviceClient().auth.admin.createUser({
    email,
    password: PASSWORD,
    email_confirm: true,
    user_metadata: { full_name: `E2E ${prefix}` },
  });
  if (created.error || !created.data.user) throw new Error(`create user: ${created.error?.message}`);
  const client = supabaseClient();
  const signedIn = await client.auth.signInWithPassword({ email, password: PASSWORD });
  if (signedIn.error) throw new Error(`sign in: ${signedIn.error.message}`);
  return { email, userId: created.data.user.id, client };
}

/** The demo admin, signed in through supabase-js (for changes "from the front desk"). */
export async function adminClient(): Promise<SupabaseClient> {
  const login = DEMO_LOGINS.find((l) => l.role === 'admin');
  if (!login) throw new Error('no admin in the seed');
  const client = supabaseClient();
  const { error } = await client.auth.signInWithPassword({ email: login.email, password: login.password });
  if (error) throw new Error(`admin sign in: ${error.message}`);
  return client;
}

export async function signInThroughUi(page: Page, email: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/patient$/);
}

export async function newPatientPage(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInThroughUi(page, email);
  return page;
}

/** A clinic-local date `daysAhead` days from today (clinic zone). */
export function clinicDate(daysAhead: number, now = new Date()): string {
  return instantToLocal(new Date(now.getTime() + daysAhead * DAY_MS), TZ).date;
}

/** The UTC ISO instant of a clinic-local wall time, as the slot grid's data-slot-start carries it. */
export function slotInstant(date: string, time: string): string {
  return localToInstant(date, time, TZ).toISOString();
}

/** Opens the booking page and chooses the Check-up, the dentist and the day. */
export async function openSlotGrid(page: Page, dentistName: string, date: string): Promise<void> {
  await page.goto('/patient/book');
  await page.getByRole('radio', { name: new RegExp(CHECK_UP.name) }).check();
  await page.getByRole('radio', { name: dentistName }).check();
  await page.locator(`button[data-date="${date}"]`).click();
  await expect(page.getByRole('list', { name: 'Free times' })).toBeVisible();
}

export function slotButton(page: Page, start: string) {
  return page.locator(`button[data-slot-start="${start}"]`);
}

/** Books through supabase-js as `client` (a patient) and returns the appointment row. */
export async function bookAs(
  client: SupabaseClient,
  dentistId: string,
  startsAt: string,
): Promise<{ id: string; version: number }> {
  const result = await client
    .rpc('book_appointment', {
      p_dentist_id: dentistId,
      p_service_id: CHECK_UP.id,
      p_starts_at: startsAt,
      p_idempotency_key: randomUUID(),
    })
    .single();
  return must(result, 'book') as { id: string; version: number };
}
