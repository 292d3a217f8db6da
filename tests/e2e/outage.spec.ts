/**
 * A backend outage is not a sign-out. A second app server reaches the stack through a switch
 * (outage-app.ts); these tests flip it (the connection refused, then a gateway answering 503) and
 * check that a signed-in user stays on their page with the outage notice, and that the page comes
 * back by itself when the backend does — no reload, no sign-in. The app the other specs use never
 * loses its backend, so they keep running in parallel.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { DEMO_LOGINS } from '../../lib/domain/demo-logins';
import { startOutageApp, type TOutageApp } from './outage-app';

/** The banner re-checks with back-off capped at 10 s; recovery is bounded generously above that. */
const RECOVERY_TIMEOUT_MS = 30_000;
/** The extra production build (see outage-app.ts) on a busy two-core machine. */
const APP_START_TIMEOUT_MS = 8 * 60_000;

// One app server and one switch for both tests, one test at a time.
test.describe.configure({ mode: 'serial' });

let app: TOutageApp;

test.beforeAll(async ({}, testInfo) => {
  testInfo.setTimeout(APP_START_TIMEOUT_MS);
  app = await startOutageApp();
});

test.afterAll(async () => {
  await app?.stop();
});

test.afterEach(() => {
  app?.setBackend('up');
});

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: app.baseUrl });
  return context.newPage();
}

async function signIn(page: Page, email: string, landing: RegExp): Promise<void> {
  const login = DEMO_LOGINS.find((l) => l.email === email);
  if (!login) throw new Error(`no demo login ${email}`);
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(login.email);
  await page.getByLabel('Password', { exact: true }).fill(login.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(landing);
}

/** Every URL the page's main frame shows, to prove it never passed through sign-in. */
function recordUrls(page: Page): string[] {
  const urls: string[] = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) urls.push(frame.url());
  });
  return urls;
}

function banner(page: Page) {
  return page.getByTestId('outage-banner');
}

test('with the backend unreachable a signed-in patient navigating stays in the portal, sees the outage, and gets the page back by itself', async ({
  browser,
}) => {
  const page = await newPage(browser);
  await signIn(page, 'patient@demo.clinic', /\/patient/);
  const urls = recordUrls(page);

  app.setBackend('refuse');
  // A navigation the proxy and the layouts must handle. (Not a click on the portal's link: the open
  // page may already have switched to its own outage state when its realtime connection and a
  // prefetch failed, and the link is gone then.)
  await page.goto('/patient/appointments');
  await expect(banner(page)).toBeVisible();
  await expect(banner(page)).toContainText('can’t reach the clinic’s server');
  await expect(page.getByRole('heading', { level: 1, name: 'Service unavailable' })).toBeVisible();
  await expect(page).toHaveURL(/\/patient\/appointments$/);

  app.setBackend('up');
  await expect(page.getByRole('heading', { level: 1, name: 'My appointments' })).toBeVisible({
    timeout: RECOVERY_TIMEOUT_MS,
  });
  await expect(banner(page)).toHaveCount(0);
  expect(urls.filter((url) => new URL(url).pathname.startsWith('/sign-in'))).toEqual([]);
  await page.context().close();
});

test('with the backend answering 503 a reload keeps the front desk on the board with the outage notice until it is back', async ({
  browser,
}) => {
  const page = await newPage(browser);
  await signIn(page, 'frontdesk@demo.clinic', /\/admin/);
  await expect(page.getByRole('toolbar', { name: 'Board controls' })).toBeVisible();
  const urls = recordUrls(page);

  app.setBackend('unavailable');
  await page.reload();
  await expect(banner(page)).toBeVisible();
  // Still the board (a `?notice=` left by sign-in may remain: the page never rendered to clear it).
  await expect(page).toHaveURL(/\/admin(\?notice=[a-z-]+)?$/);

  app.setBackend('up');
  await expect(page.getByRole('toolbar', { name: 'Board controls' })).toBeVisible({
    timeout: RECOVERY_TIMEOUT_MS,
  });
  await expect(banner(page)).toHaveCount(0);
  expect(urls.filter((url) => new URL(url).pathname.startsWith('/sign-in'))).toEqual([]);
  await page.context().close();
});
