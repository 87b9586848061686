// A customer asks for a sign-in link, opens it from the dev mailbox, presses Continue,
// sees their bookings; the used link then offers a fresh one.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';

async function seriousViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
}

test('the demo customer signs in with an emailed link from the dev mailbox', async ({ page }) => {
  await page.goto('/portal/');
  await expect(page.getByRole('heading', { name: 'Sign in to see your bookings' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
  await expect(page.getByRole('alert')).toHaveText('Enter your email address.');
  await page.getByLabel('Email').fill('jordan@example.com');
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'a sign-in link is on its way' })).toBeVisible();

  await page.goto('/dev/mailbox');
  const email = page
    .getByRole('article', { name: 'Your sign-in link for Sparkle & Fix Home Services' })
    .first();
  await expect(email).toBeVisible();
  await email.frameLocator('iframe').getByRole('link', { name: 'Sign in to see your bookings' }).click();

  await expect(page).toHaveURL(/\/portal\/sign-in\/continue\?token=/);
  const link = page.url();
  await expect(page.getByRole('button', { name: 'Continue' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(page.getByRole('heading', { name: 'My bookings' })).toBeVisible();
  await expect(page.getByText('Signed in as Jordan Rivera.')).toBeVisible();
  await expect(page.getByRole('list', { name: 'My bookings' }).getByRole('listitem').first()).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: '.tmp/screenshots/portal-my-bookings.png', fullPage: true });

  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'This link no longer works' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Email me a new sign-in link' })).toBeVisible();
});
