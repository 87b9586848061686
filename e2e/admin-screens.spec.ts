// The admin app's screens in Chromium: accessible (axe finds nothing serious), filters that
// filter, a request scheduled, and two tabs sharing one replica, including the leader tab
// closing (STACK-NOTES §9: the survivor must keep writing and seeing changes).
import { expect, test } from '@playwright/test';
import { bookingStatus, expectAccessible, newestMailId, officeBooks, sql, waitForMail } from './fixtures.ts';
import {
  cancelOpenBooking,
  chooseOption,
  openAdmin,
  openBooking,
  statusSelect,
  syncStatus,
} from './support/admin-app.ts';
import { useServerGate } from './support/server-gate.ts';

const server = useServerGate();
test.describe.configure({ timeout: 180_000 });

test('every screen is accessible; the list filters; the cancel dialog keeps focus', async ({ page }) => {
  await openAdmin(page, server().url);
  const list = page.getByRole('region', { name: /Bookings, sorted by start/ });
  await expect(list.getByRole('link').first()).toBeVisible();
  await expectAccessible(page);
  await page.screenshot({ path: 'docs/screenshots/admin-bookings.png' });

  // Filtering by status shows only that status.
  const [{ n: cancelled } = { n: 0 }] = await sql<{ n: number }>(
    "SELECT count(*)::int AS n FROM bookings WHERE status = 'cancelled'",
  );
  await page.getByLabel('Status').selectOption({ label: 'Canceled' });
  await expect(page.getByText(new RegExp(`^${cancelled} booking`))).toBeVisible();

  await page.getByRole('link', { name: 'Requests' }).click();
  await expect(page.getByRole('heading', { name: 'Requests' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('link', { name: 'New booking' }).click();
  await expect(page.getByRole('heading', { name: 'New booking' })).toBeVisible();
  await expectAccessible(page);

  const id = await officeBooks('jordan@example.com', 80);
  await openBooking(page, server().url, id);
  await expectAccessible(page);
  const status = statusSelect(page);
  await status.selectOption({ label: 'Canceled' });
  const dialog = page.getByRole('dialog', { name: 'Cancel booking' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel(/Comment/)).toBeFocused();
  await expectAccessible(page);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(status).toBeFocused();
  expect(await bookingStatus(id)).toBe('scheduled'); // closing the dialog cancels nothing
});

test('a request is scheduled with a time and a fieldworker, and its confirmation goes out', async ({
  page,
}) => {
  const [request] = await sql<{ id: string; email: string }>(
    `SELECT b.id, c.email FROM bookings b JOIN customers c ON c.id = b.customer_id
      WHERE b.status = 'requested' ORDER BY b.starts_at LIMIT 1`,
  );
  expect(request).toBeDefined();
  const before = await newestMailId(page.request);
  await openAdmin(page, server().url, '/admin/requests');
  const form = page.getByRole('form').first();
  await form.getByLabel('Date').fill(new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10));
  await form.getByLabel('Time').fill('09:00');
  await chooseOption(form.getByLabel(/Fieldworker/), 'Sam');
  await form.getByRole('button', { name: 'Schedule' }).click();
  await expect.poll(() => bookingStatus(request?.id as string), { timeout: 90_000 }).toBe('scheduled');
  await waitForMail(page.request, (m) => m.to === request?.email && m.subject.startsWith('Your '), before);
});

test('two tabs share one replica: a change in one shows in the other, also after the leader closes', async ({
  context,
}) => {
  const id = await officeBooks('jordan@example.com', 90);
  const leader = await context.newPage();
  await openAdmin(leader, server().url);
  const follower = await context.newPage();
  await openAdmin(follower, server().url);
  await openBooking(follower, server().url, id);
  await openBooking(leader, server().url, id);

  await leader.getByRole('button', { name: 'Edit booking' }).click();
  await leader.getByLabel('Notes').fill('Gate code 4521, from the first tab.');
  await leader.getByRole('button', { name: 'Save changes' }).click();
  await expect(follower.getByText('Gate code 4521, from the first tab.')).toBeVisible();
  await expect
    .poll(
      async () => (await sql<{ notes: string }>('SELECT notes FROM bookings WHERE id = $1', [id]))[0]?.notes,
      { timeout: 30_000 },
    )
    .toBe('Gate code 4521, from the first tab.');

  // The tab that opened the database first closes. The other, without reloading, takes over:
  // its screen still follows the database and its writes still reach the server.
  await leader.close();
  await cancelOpenBooking(follower, 'Cancelled after the first tab closed.');
  await expect(follower.getByRole('heading', { name: 'Cancellation' })).toBeVisible({ timeout: 20_000 });
  await expect.poll(() => bookingStatus(id), { timeout: 30_000 }).toBe('cancelled');
  await expect(syncStatus(follower)).toHaveText('Online and up to date', { timeout: 30_000 });
});

test('a tab of another version of the app is told to reload; the tab leading is not', async ({ browser }) => {
  // Its own context with no service worker, so the second tab's scripts come through the route
  // below: the same build with its build time changed, as the next deploy's scripts would be.
  const context = await browser.newContext({ serviceWorkers: 'block' });
  try {
    const current = await context.newPage();
    await openAdmin(current, server().url);
    const build = (await current.evaluate('globalThis.bookingsReplica.status().appBuild')) as string;
    expect(build).toMatch(/^\d{4}-\d\d-\d\dT/);

    const other = await context.newPage();
    await other.route(/\/assets\/.*\.js$/, async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replaceAll(build, '2000-01-01T00:00:00.000Z');
      await route.fulfill({ response, body });
    });
    await openAdmin(other, server().url);
    const notice = /open in another tab, on a different version/;
    await expect(other.getByRole('alert').filter({ hasText: notice })).toBeVisible();
    await expectAccessible(other);
    await expect(current.getByText(notice)).toHaveCount(0);
  } finally {
    await context.close();
  }
});
