import { expect, test, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { DEMO_LOGINS } from '../../lib/domain/demo-logins';

const PASSWORD = 'correct-horse-battery';

function uniqueEmail(): string {
  return `e2e-${randomUUID().slice(0, 8)}@example.test`;
}

/** The form's error banner (Next.js has its own, empty, role="alert" route announcer). */
function formAlert(page: Page, text: string) {
  return page.getByRole('alert').filter({ hasText: text });
}

async function fillCredentials(page: Page, email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
}

test('a new patient signs up, is greeted, signs out, and signs back in; a wrong password is explained', async ({
  page,
}) => {
  const email = uniqueEmail();

  await page.goto('/sign-up');
  await fillCredentials(page, email, PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();

  await expect(page).toHaveURL(/\/patient$/);
  await expect(page.getByRole('heading', { level: 1, name: `Welcome, ${email}` })).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByText('You’re signed out.')).toBeVisible();

  // Signed out for real: the portal sends us back to sign-in, remembering where we were going.
  await page.goto('/patient');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fpatient$/);

  await fillCredentials(page, email, 'not-my-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(formAlert(page, 'That email and password don’t match an account.')).toBeVisible();
  // The email survives the failed attempt; the password does not.
  await expect(page.getByLabel('Email')).toHaveValue(email);
  await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');

  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/patient$/);
  await expect(page.getByRole('heading', { level: 1, name: `Welcome, ${email}` })).toBeVisible();
});

test('signing up again with a taken email, or with invalid input, says what to fix', async ({ page }) => {
  await page.goto('/sign-up');
  await fillCredentials(page, 'not-an-email', '123');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('Enter a valid email address, like name@example.com.')).toBeVisible();
  await expect(page.getByText('Use at least 6 characters.')).toBeVisible();
  await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');

  const taken = DEMO_LOGINS[0];
  await fillCredentials(page, taken.email, PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(formAlert(page, 'An account with this email already exists.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Go to sign in' })).toBeVisible();
});

test.describe('seeded accounts land in their own portal', () => {
  for (const role of ['admin', 'dentist', 'patient'] as const) {
    const login = DEMO_LOGINS.find((l) => l.role === role);
    test(`${role}, signing in from the keyboard`, async ({ page }) => {
      if (!login) throw new Error(`the seed has no ${role} login`);
      await page.goto('/sign-in');
      // The email field has focus on arrival, so the whole form works without a mouse.
      await page.keyboard.type(login.email);
      await page.keyboard.press('Tab');
      await page.keyboard.type(login.password);
      await page.keyboard.press('Enter');
      await expect(page).toHaveURL(new RegExp(`/${role}$`));
      await expect(page.getByRole('heading', { level: 1, name: `Welcome, ${login.email}` })).toBeVisible();
    });
  }
});

test('a signed-out visit to a portal returns there after signing in', async ({ page }) => {
  const admin = DEMO_LOGINS.find((l) => l.role === 'admin');
  if (!admin) throw new Error('the seed has no admin login');
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fadmin$/);
  await fillCredentials(page, admin.email, admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/admin$/);
});
