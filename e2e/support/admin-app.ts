// Driving the admin app as a person would, through the server gate (server-gate.ts), so a test
// can take the server away for real.
import { type BrowserContext, expect, type Locator, type Page } from '@playwright/test';
import { DATABASE_ASSETS_CACHE } from '../../client/lib/sw/messages.ts';
import { DEMO_PASSWORD } from '../fixtures.ts';

/**
 * Picks the option whose text starts with `text` and checks the drop-down kept it (a live list
 * may redraw its options while the choice is being made: then choose again).
 */
export async function chooseOption(select: Locator, text: string): Promise<void> {
  await expect(async () => {
    const value = await select
      .locator('option')
      .filter({ hasText: new RegExp(`^\\s*${escapeRegExp(text)}`) })
      .first()
      .getAttribute('value');
    await select.selectOption(value as string);
    await expect(select).toHaveValue(value as string, { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A booking page's Status drop-down (its name also says the current status). */
export const statusSelect = (page: Page) => page.getByRole('combobox', { name: /^Status/ });

/** The sync state in words, as the app bar shows it. */
export const syncStatus = (page: Page) => page.locator('header.app-bar .status-pill');

/** Opens the admin app at `path`, signing in when asked, and waits until the replica is in sync. */
export async function openAdmin(page: Page, gateUrl: string, path = '/admin/'): Promise<void> {
  await page.goto(`${gateUrl}${path}`);
  const password = page.getByLabel('Password');
  const synced = syncStatus(page).filter({ hasText: 'Online and up to date' });
  await expect(password.or(synced)).toBeVisible({ timeout: 90_000 });
  if (await password.isVisible()) {
    await page.getByLabel('Email').fill('admin@example.com');
    await password.fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
  await expect(synced).toBeVisible({ timeout: 90_000 });
}

/**
 * The app can start with no server: the page is controlled by the service worker and PGlite's
 * files are in its cache (STACK-NOTES §8: wait for both before going offline).
 */
export async function waitUntilOfflineReady(page: Page): Promise<void> {
  await expect
    .poll(
      () =>
        page.evaluate(async (cacheName) => {
          if (!navigator.serviceWorker.controller) return 'not controlled';
          const cache = await caches.open(cacheName);
          const files = (await cache.keys()).map((r) => new URL(r.url).pathname);
          return files.some((f) => f.endsWith('.wasm')) && files.some((f) => f.endsWith('.data'))
            ? 'ready'
            : `cached: ${files.join(', ')}`;
        }, DATABASE_ASSETS_CACHE),
      { timeout: 30_000 },
    )
    .toBe('ready');
}

/**
 * A booking's page. In an app already open it moves there as a link would (no new page load,
 * the replica stays open); otherwise it loads the app at that address.
 */
export async function openBooking(page: Page, gateUrl: string, id: string): Promise<void> {
  await goInApp(page, gateUrl, `/admin/bookings/${id}`);
  // A booking the server made a moment ago may still be on its way to the replica: the page
  // says not found until it arrives (as long as the sync takes, like the drop-down below).
  await expect(page.getByRole('heading', { name: 'Booking not found' })).toHaveCount(0, { timeout: 60_000 });
  await expect(statusSelect(page)).toBeVisible({ timeout: 60_000 });
}

/** Moves to `path` inside the open app, as following a link does, or loads it if not open. */
export async function goInApp(page: Page, gateUrl: string, path: string): Promise<void> {
  const inApp = page.url().startsWith(`${gateUrl}/admin/`) && (await page.locator('nav.app-nav').count()) > 0;
  if (!inApp) {
    await page.goto(`${gateUrl}${path}`);
    return;
  }
  await page.evaluate((to) => {
    history.pushState(null, '', to);
    dispatchEvent(new PopStateEvent('popstate'));
  }, path);
  await expect(page).toHaveURL(`${gateUrl}${path}`);
}

/** Cancels the open booking through the Status drop-down and the dialog. */
export async function cancelOpenBooking(page: Page, comment: string, fee?: string): Promise<void> {
  await statusSelect(page).selectOption({ label: 'Canceled' });
  const dialog = page.getByRole('dialog', { name: 'Cancel booking' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel(/Comment/).fill(comment);
  if (fee) await chooseOption(dialog.getByLabel('Cancellation fee'), fee);
  await dialog.getByRole('button', { name: 'Cancel booking' }).click();
  await expect(dialog).toBeHidden();
}

/** Every page of a context, closed: what closing the browser window does to the app. */
export async function closeAllPages(context: BrowserContext): Promise<void> {
  for (const p of context.pages()) await p.close();
}

/**
 * Records every sync state the app bar shows from the next page load on (and whether a
 * download's progress bar appeared), as a person would have seen them; call before the load.
 */
export async function recordWhatTheAppSays(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen = new Set<string>();
    (window as unknown as { seen: Set<string> }).seen = seen;
    new MutationObserver(() => {
      const pill = document.querySelector('header.app-bar .status-pill')?.textContent;
      if (pill) seen.add(pill);
      if (document.querySelector('progress')) seen.add('download progress');
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  return () => page.evaluate(() => [...(window as unknown as { seen: Set<string> }).seen]);
}
