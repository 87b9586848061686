// Staff sign in with email and password in the browser, see their bookings, and sign out.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { expectAccessible, sql } from './fixtures.ts';

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
  // The schedule comes from the replica on this phone, once the first sync is done.
  await expect(page.locator('header.app-bar .status-pill')).toHaveText(/Online and up to date/, {
    timeout: 90_000,
  });
  const jobs = page.locator('section.day li');
  await expect(page.getByRole('heading', { name: 'My schedule' })).toBeVisible();
  // Exactly Sam's jobs that have not ended before today, on the business's clock.
  const [expected] = await sql<{ n: number }>(
    `SELECT count(*)::int AS n FROM bookings b JOIN users u ON u.id = b.fieldworker_id, business_settings s
      WHERE u.email = 'sam@example.com'
        AND b.ends_at >= (date_trunc('day', now() AT TIME ZONE s.time_zone) AT TIME ZONE s.time_zone)`,
  );
  await expect(jobs).toHaveCount(expected?.n ?? -1);
  expect(expected?.n).toBeGreaterThan(0);
  // A fieldworker's shapes hold no other fieldworker's or customer's names, and no prices.
  await expect(jobs.filter({ hasText: 'Alex Morgan' })).toHaveCount(0);
  await expect(jobs.filter({ hasText: '$' })).toHaveCount(0);
  const me = (await trpcQuery(page, 'auth.me')) as { userId: string };
  const mine = (await trpcQuery(page, 'bookings.list', { limit: 500 })) as { fieldworker_id: string }[];
  expect(new Set(mine.map((b) => b.fieldworker_id))).toEqual(new Set([me.userId]));
  await expectAccessible(page);
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
