// Staff sign in with email and password in the browser, see their bookings, and sign out.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { expectAccessible } from './fixtures.ts';

const PASSWORD = 'demo-password';

test('the demo admin signs in, sees the upcoming bookings, and signs out', async ({ page }) => {
  await page.goto('/admin/');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Online' })).toBeVisible();

  await page.getByLabel('Email').fill('admin@example.com');
  await page.getByLabel('Password').fill('wrong-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('That email and password do not match an account.');

  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // The replica opens on this device first (PGlite's files on a first visit).
  await expect(page.getByText('Signed in as Olivia Office.')).toBeVisible({ timeout: 90_000 });
  const list = page.getByRole('region', { name: /Bookings, sorted by start/ });
  await expect(list.getByRole('link').first()).toBeVisible({ timeout: 90_000 });
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  await page.screenshot({ path: '.tmp/screenshots/admin-signed-in.png', fullPage: true });

  // The session survives a reload: it lives in an HttpOnly cookie and on the server.
  await page.reload();
  await expect(page.getByText('Signed in as Olivia Office.')).toBeVisible();
  expect(await page.evaluate(() => document.cookie)).toBe('');

  await page.getByRole('button', { name: 'Sign out' }).click();
  const dialog = page.getByRole('dialog', { name: 'Sign out' });
  await expect(dialog).toContainText('Your data will be removed from this device.');
  await dialog.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible({ timeout: 30_000 });
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});

test('a fieldworker signs in to the fieldworker app and sees only their schedule', async ({ page }) => {
  await page.goto('/field/');
  await page.getByLabel('Email').fill('sam@example.com');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('Signed in as Sam Taylor.')).toBeVisible();
  const items = page.getByRole('list', { name: 'My schedule' }).getByRole('listitem');
  await expect(items.first()).toBeVisible();
  // What the server gave Sam: only Sam's bookings, and as many as the list shows.
  const me = await trpcQuery(page, 'auth.me');
  const mine = (await trpcQuery(page, 'bookings.list', { limit: 500 })) as { fieldworker_id: string }[];
  expect(new Set(mine.map((b) => b.fieldworker_id))).toEqual(new Set([(me as { userId: string }).userId]));
  const upcoming = (await trpcQuery(page, 'bookings.list', {
    from: new Date().toISOString(),
    limit: 50,
  })) as [];
  await expect(items).toHaveCount(upcoming.length);
  // A fieldworker's shape holds no other fieldworker's or customer's names, and no prices.
  await expect(items.filter({ hasText: 'Alex Morgan' })).toHaveCount(0);
  await expect(items.filter({ hasText: '$' })).toHaveCount(0);
  await expectAccessible(page);
  await page.screenshot({ path: '.tmp/screenshots/field-schedule.png', fullPage: true });
});

/** A tRPC query as the signed-in page (its cookies), answered with the procedure's data. */
async function trpcQuery(page: Page, procedure: string, input?: unknown): Promise<unknown> {
  const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const response = await page.request.get(`/api/trpc/${procedure}${query}`);
  expect(response.ok(), await response.text()).toBe(true);
  return (await response.json()).result.data;
}

test('an admin account is sent to the admin app from the fieldworker app', async ({ page }) => {
  await page.goto('/field/');
  await page.getByLabel('Email').fill('admin@example.com');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('This account signs in to the admin app (/admin/).');
});
