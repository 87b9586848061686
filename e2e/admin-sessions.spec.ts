// The admin app's sessions and waiting writes, in Chromium with the server taken away for real:
// signing out with a write still waiting keeps it for that user (and only that user) while the
// rest of their data leaves the device; a session that ends while offline asks to sign in again,
// and then the write is sent. Either way each write reaches the server once.
import { expect, type Page, test } from '@playwright/test';
import { bookingStatus, DEMO_PASSWORD, eventsOf, expectAccessible, officeBooks, sql } from './fixtures.ts';
import {
  cancelOpenBooking,
  openAdmin,
  openBooking,
  recordWhatTheAppSays,
  syncStatus,
  waitUntilOfflineReady,
} from './support/admin-app.ts';
import { useServerGate } from './support/server-gate.ts';

const server = useServerGate();
test.describe.configure({ timeout: 240_000 });

/** A booking of the demo customer's, cancelled in the admin app with the server away. */
async function cancelWhileOffline(page: Page, hoursAhead: number, comment: string): Promise<string> {
  const id = await officeBooks('jordan@example.com', hoursAhead);
  await openAdmin(page, server().url);
  await waitUntilOfflineReady(page);
  await openBooking(page, server().url, id);
  await server().close();
  await cancelOpenBooking(page, comment);
  await expect(syncStatus(page)).toContainText('1 change waiting');
  return id;
}

async function signInAgain(page: Page, scope = page.locator('body')): Promise<void> {
  await scope.getByLabel('Password').fill(DEMO_PASSWORD);
  const email = scope.getByLabel('Email');
  if (await email.isEditable()) await email.fill('admin@example.com');
  await scope.getByRole('button', { name: 'Sign in' }).click();
}

test('signing out with a write waiting keeps it for that user; the rest leaves the device; signing in again sends it', async ({
  page,
}) => {
  const id = await cancelWhileOffline(page, 80, 'Cancelled offline, then signed out.');

  await page.getByRole('button', { name: 'Sign out' }).click();
  const dialog = page.getByRole('dialog', { name: 'Sign out' });
  await expect(dialog).toContainText('1 change is still waiting to be sent.');
  await expect(dialog).toContainText('The server cannot be reached right now.');
  await expect(dialog).toContainText('it is kept on this device and sent when you sign in here again');
  await expectAccessible(page);
  await page.screenshot({ path: 'docs/screenshots/admin-sign-out-waiting.png' });
  await dialog.getByRole('button', { name: 'Sign out anyway' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible({ timeout: 30_000 });
  expect(await bookingStatus(id)).toBe('scheduled');

  // The server is back and the same person signs in: their write is sent once, and their data
  // comes again from a first sync (what they had synced was deleted at sign-out).
  const whatTheAppSaid = await recordWhatTheAppSays(page);
  await server().open();
  await page.reload();
  await signInAgain(page);
  await expect.poll(() => bookingStatus(id), { timeout: 90_000 }).toBe('cancelled');
  await expect(syncStatus(page)).toHaveText('Online and up to date', { timeout: 90_000 });
  expect((await whatTheAppSaid()).some((s) => s.startsWith('First sync'))).toBe(true);
  expect(await eventsOf(id, 'cancelled')).toBe(1);
});

test('a session that ends while offline asks to sign in again, then sends the waiting write', async ({
  page,
}) => {
  const id = await cancelWhileOffline(page, 81, 'Cancelled while the session ran out.');
  // Meanwhile the server forgets the session (it expired, or it was signed out elsewhere).
  await sql("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = 'admin@example.com')");
  // A reload while still offline starts from the device, with the write still waiting.
  await page.reload();
  await expect(syncStatus(page)).toContainText('1 change waiting', { timeout: 60_000 });

  await server().open();
  const ended = page.getByRole('region', { name: 'Your session has ended' });
  await expect(ended).toBeVisible({ timeout: 90_000 });
  await expect(ended).toContainText('Your waiting change is kept and will be sent then.');
  await expectAccessible(page);
  await page.screenshot({ path: 'docs/screenshots/admin-session-ended.png', fullPage: true });
  expect(await bookingStatus(id)).toBe('scheduled');

  await signInAgain(page, ended);
  await expect.poll(() => bookingStatus(id), { timeout: 90_000 }).toBe('cancelled');
  await expect(ended).toBeHidden({ timeout: 30_000 });
  await expect(syncStatus(page)).toHaveText('Online and up to date', { timeout: 90_000 });
  expect(await eventsOf(id, 'cancelled')).toBe(1);
});
