// Driving the admin app as a person would, through the server gate (server-gate.ts), so a test
// can take the server away for real.
import { type BrowserContext, expect, type Page } from '@playwright/test';
import { DEMO_PASSWORD } from '../fixtures.ts';

/** The sync state in words, as the app bar shows it. */
export const syncStatus = (page: Page) => page.locator('header.app-bar .status-pill');

/** Opens the admin app at `path`, signing in when asked, and waits until the replica is in sync. */
export async function openAdmin(page: Page, gateUrl: string, path = '/admin/'): Promise<void> {
  await page.goto(`${gateUrl}${path}`);
  const password = page.getByLabel('Password');
  const synced = syncStatus(page).filter({ hasText: 'Online and up to date' });
  await expect(password.or(synced)).toBeVisible({ timeout: 60_000 });
  if (await password.isVisible()) {
    await page.getByLabel('Email').fill('admin@example.com');
    await password.fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
  await expect(synced).toBeVisible({ timeout: 60_000 });
}

/**
 * The app can start with no server: the page is controlled by the service worker and PGlite's
 * files are in its cache (STACK-NOTES §8: wait for both before going offline).
 */
export async function waitUntilOfflineReady(page: Page): Promise<void> {
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          if (!navigator.serviceWorker.controller) return 'not controlled';
          const cache = await caches.open('database-assets');
          const files = (await cache.keys()).map((r) => new URL(r.url).pathname);
          return files.some((f) => f.endsWith('.wasm')) && files.some((f) => f.endsWith('.data'))
            ? 'ready'
            : `cached: ${files.join(', ')}`;
        }),
      { timeout: 30_000 },
    )
    .toBe('ready');
}

/** A booking's page, opened by its address (the app routes it, online or not). */
export async function openBooking(page: Page, gateUrl: string, id: string): Promise<void> {
  await page.goto(`${gateUrl}/admin/bookings/${id}`);
  await expect(page.getByRole('heading', { level: 2 })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('heading', { name: 'Booking not found' })).toHaveCount(0);
}

/** Cancels the open booking through the Status drop-down and the dialog. */
export async function cancelOpenBooking(page: Page, comment: string, fee?: RegExp): Promise<void> {
  await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Canceled' });
  const dialog = page.getByRole('dialog', { name: 'Cancel booking' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel(/Comment/).fill(comment);
  if (fee) {
    const select = dialog.getByLabel('Cancellation fee');
    const option = (await select.locator('option').allTextContents()).find((t) => fee.test(t));
    await select.selectOption({ label: option as string });
  }
  await dialog.getByRole('button', { name: 'Cancel booking' }).click();
  await expect(dialog).toBeHidden();
}

/** Every page of a context, closed: what closing the browser window does to the app. */
export async function closeAllPages(context: BrowserContext): Promise<void> {
  for (const p of context.pages()) await p.close();
}
