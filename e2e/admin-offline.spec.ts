// The admin app, local-first, in Chromium: the first sync, a cancellation with a fee, and the
// office working with the server taken away for real (a closed port, not setOffline): a reload
// starts from the service worker and the replica, the writes wait in the queue through closing
// the page, and each is applied once when the server is back. Then DESIGN §3's reconcile rows
// that a person sees: nothing happened, already cancelled, started meanwhile.
import { expect, type Page, test } from '@playwright/test';
import {
  aboutBooking,
  bookingStatus,
  eventsOf,
  expectAccessible,
  newestMailId,
  officeBooks,
  sql,
  waitForMail,
} from './fixtures.ts';
import {
  cancelOpenBooking,
  chooseOption,
  goInApp,
  openAdmin,
  openBooking,
  recordWhatTheAppSays,
  statusSelect,
  syncStatus,
  waitUntilOfflineReady,
} from './support/admin-app.ts';
import { useServerGate } from './support/server-gate.ts';

const server = useServerGate();
// A first sync, a reload and a reopening each open the browser's database: slow on a busy machine.
test.describe.configure({ timeout: 240_000 });

const cancellationMailsAbout = async (page: Page, id: string) =>
  (
    (await (await page.request.get('/dev/mailbox.json')).json()) as {
      messages: { subject: string; text: string }[];
    }
  ).messages.filter((m) => m.subject.startsWith('Cancelled:') && aboutBooking(id)(m as never)).length;

test('the first sync shows its progress; a cancellation with a fee is applied and emailed', async ({
  page,
}) => {
  const whatTheAppSaid = await recordWhatTheAppSays(page);
  const id = await officeBooks('jordan@example.com', 50);
  const mailsBefore = await newestMailId(page.request);

  await openAdmin(page, server().url);
  const seen = await whatTheAppSaid();
  expect(seen.some((s) => s.startsWith('First sync'))).toBe(true);
  expect(seen).toContain('download progress');
  // Shown as soon as it is in, said to be saving until it is on disk.
  expect(seen).toContain('Synced · saving on this device…');

  await openBooking(page, server().url, id);
  await statusSelect(page).selectOption({ label: 'Canceled' });
  const dialog = page.getByRole('dialog', { name: 'Cancel booking' });
  await dialog.getByLabel(/Comment/).fill('The customer called: they moved away.');
  await chooseOption(dialog.getByLabel('Cancellation fee'), 'Late cancellation');
  await expect(dialog.getByText('Total')).toBeVisible();
  await page.screenshot({ path: 'docs/screenshots/admin-cancel-dialog.png' });
  await dialog.getByRole('button', { name: 'Cancel booking' }).click();

  // Shown at once from the device, then applied on the server with the fee frozen as shown.
  await expect(page.getByRole('heading', { name: 'Cancellation' })).toBeVisible();
  await expect.poll(() => bookingStatus(id), { timeout: 90_000 }).toBe('cancelled');
  const [row] = await sql<{ cancel_fee_minor: number; cancel_channel: string }>(
    'SELECT cancel_fee_minor, cancel_channel FROM bookings WHERE id = $1',
    [id],
  );
  expect(row?.cancel_fee_minor).toBeGreaterThan(0);
  expect(row?.cancel_channel).toBe('admin_app');
  const mail = await waitForMail(
    page.request,
    (m) => m.subject.startsWith('Cancelled:') && aboutBooking(id)(m),
    mailsBefore,
  );
  expect(mail.to).toBe('jordan@example.com');
  await expect(syncStatus(page)).toHaveText('Online and up to date', { timeout: 20_000 });
  await expect(page.getByText('Waiting to sync')).toHaveCount(0);
  await page.screenshot({ path: 'docs/screenshots/admin-booking-history.png', fullPage: true });

  // A reload with the server there never says offline while the shapes reconnect (what the
  // app says is recorded afresh on each page load).
  await page.reload();
  await expect(syncStatus(page)).toHaveText('Online and up to date', { timeout: 30_000 });
  const afterReload = await whatTheAppSaid();
  expect(afterReload).toContain('Opening…'); // recorded from the start, not only the end
  expect(afterReload.filter((text) => text.startsWith('Offline'))).toEqual([]);
});

test('a change saved just before the page closes is kept, and applied once when the server is back', async ({
  page,
  context,
}) => {
  const booking = await officeBooks('jordan@example.com', 63);
  await openAdmin(page, server().url);
  await waitUntilOfflineReady(page);
  await openBooking(page, server().url, booking);

  // Offline, so the change waits; the page closes at once, before the replica is written to
  // disk (that waits for a second of quiet): only the queue's journal holds the change.
  await server().close();
  await expect(syncStatus(page)).toContainText('Offline since', { timeout: 30_000 });
  await cancelOpenBooking(page, 'Closed the laptop right after.');
  await expect(page.getByText('Waiting to sync').first()).toBeVisible();
  await page.close();

  const again = await context.newPage();
  await again.goto(`${server().url}/admin/`);
  await expect(syncStatus(again)).toContainText('1 change waiting', { timeout: 90_000 });
  await server().open();
  await expect(syncStatus(again)).toHaveText('Online and up to date', { timeout: 90_000 });
  expect(await bookingStatus(booking)).toBe('cancelled');
  expect(await eventsOf(booking, 'cancelled')).toBe(1);
});

test('the shape service starts the bookings over (409): the replica refetches them and keeps the waiting change', async ({
  page,
  context,
}) => {
  const booking = await officeBooks('jordan@example.com', 64);
  const refetches: string[] = [];
  context.on('response', (response) => {
    if (response.status() === 409 && response.url().includes('/api/shapes/bookings'))
      refetches.push(response.url());
  });
  await openAdmin(page, server().url);
  await waitUntilOfflineReady(page);
  await openBooking(page, server().url, booking);

  await server().close();
  await expect(syncStatus(page)).toContainText('Offline since', { timeout: 30_000 });
  await cancelOpenBooking(page, 'Cancelled while the shapes start over.');
  await expect(syncStatus(page)).toContainText('1 change waiting');
  // A changed table retires its shapes: every device's next request for them gets a 409.
  await sql('ALTER TABLE bookings ADD COLUMN e2e_refetch integer');
  try {
    await server().open();
    await expect(syncStatus(page)).toHaveText('Online and up to date', { timeout: 90_000 });
    expect(refetches.length).toBeGreaterThan(0);
    expect(await bookingStatus(booking)).toBe('cancelled');
    expect(await eventsOf(booking, 'cancelled')).toBe(1);
    // The replica holds the office's bookings again, all of them, this one cancelled.
    const [onServer] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM bookings');
    await expect
      .poll(
        () =>
          page.evaluate(
            `globalThis.bookingsReplica.query('SELECT count(*)::int AS n FROM bookings').then((r) => r[0].n)`,
          ),
        { timeout: 30_000 },
      )
      .toBe(onServer?.n);
    await expect(page.getByRole('heading', { name: 'Cancellation' })).toBeVisible();
    await expect(page.getByText('Waiting to sync')).toHaveCount(0);
  } finally {
    await sql('ALTER TABLE bookings DROP COLUMN IF EXISTS e2e_refetch');
  }
});

test('offline: reload, cancel two, reschedule one, create one, close and reopen; back online each is applied once', async ({
  page,
  context,
}) => {
  const [a, b, c] = [
    await officeBooks('jordan@example.com', 60),
    await officeBooks('jordan@example.com', 61),
    await officeBooks('jordan@example.com', 62),
  ];
  await openAdmin(page, server().url);
  await waitUntilOfflineReady(page);
  await openBooking(page, server().url, c); // the replica holds the three

  await server().close();
  const reloaded = await page.reload();
  expect(reloaded?.fromServiceWorker()).toBe(true);
  await expect(syncStatus(page)).toContainText('Offline since', { timeout: 90_000 });

  await openBooking(page, server().url, a);
  await cancelOpenBooking(page, 'Customer is ill.');
  await expect(page.getByText('Waiting to sync').first()).toBeVisible();
  await openBooking(page, server().url, b);
  await cancelOpenBooking(page, 'Duplicate booking.');
  await openBooking(page, server().url, c);
  await page.getByRole('button', { name: 'Edit booking' }).click();
  await page.getByRole('group', { name: /Start/ }).getByLabel('Time').fill('15:30');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText(/Changes saved/)).toBeVisible();

  await goInApp(page, server().url, '/admin/bookings/new');
  await page.getByLabel('Add a new customer').check();
  await page.getByLabel('Customer name').fill('Casey Offline');
  const email = `casey.${Date.now()}@example.com`;
  await page.getByLabel('Customer email').fill(email);
  await page.getByLabel('Customer phone').fill('555-0188');
  await page.getByLabel('Customer address').fill('9 Quiet Lane');
  await chooseOption(page.getByLabel('Service'), 'Standard cleaning');
  const start = page.getByRole('group', { name: /Start/ });
  await start.getByLabel('Date').fill(new Date(Date.now() + 9 * 86_400_000).toISOString().slice(0, 10));
  await start.getByLabel('Time').fill('10:00');
  await page.getByRole('button', { name: 'Create booking' }).click();
  await expect(page).toHaveURL(/\/admin\/bookings\/[0-9a-f-]{36}$/);
  await expect(page.getByText('Waiting to sync').first()).toBeVisible();
  await expect(syncStatus(page)).toContainText('4 changes waiting');
  await expect(page.getByText('Waiting to sync: Create the booking')).toBeVisible();
  await expectAccessible(page);
  await page.screenshot({ path: 'docs/screenshots/admin-offline.png', fullPage: true });

  // Closing the page and opening the app again, still with no server: the queue is still there.
  await page.close();
  const again = await context.newPage();
  await again.goto(`${server().url}/admin/`);
  await expect(syncStatus(again)).toContainText('4 changes waiting', { timeout: 90_000 });
  expect(await bookingStatus(a)).not.toBe('cancelled'); // nothing reached the server

  const mailsBefore = await newestMailId(again.request);
  await server().open();
  await expect(syncStatus(again)).toHaveText('Online and up to date', { timeout: 90_000 });

  expect(await bookingStatus(a)).toBe('cancelled');
  expect(await bookingStatus(b)).toBe('cancelled');
  for (const id of [a, b]) expect(await eventsOf(id, 'cancelled')).toBe(1);
  const [moved] = await sql<{ local: string; client_at: Date | null }>(
    `SELECT to_char(b.starts_at AT TIME ZONE s.time_zone, 'HH24:MI') AS local, e.client_at
       FROM bookings b, business_settings s, booking_events e
      WHERE b.id = $1 AND e.booking_id = b.id AND e.kind = 'rescheduled'`,
    [c],
  );
  expect(moved?.local).toBe('15:30');
  expect(moved?.client_at).not.toBeNull(); // the audit keeps when the office decided
  expect(await eventsOf(c, 'rescheduled')).toBe(1);
  const created = await sql<{ id: string }>(
    'SELECT b.id FROM bookings b JOIN customers c ON c.id = b.customer_id WHERE c.email = $1',
    [email],
  );
  expect(created).toHaveLength(1);

  // Each email once: the two cancellations and the new booking's confirmation.
  for (const id of [a, b])
    await waitForMail(
      again.request,
      (m) => m.subject.startsWith('Cancelled:') && aboutBooking(id)(m),
      mailsBefore,
    );
  await waitForMail(again.request, (m) => m.to === email && m.subject.startsWith('Your '), mailsBefore);
  await again.waitForTimeout(2000); // a second email would have come by now
  for (const id of [a, b]) expect(await cancellationMailsAbout(again, id)).toBe(1);
});

test('reconciled in the browser: already cancelled is a no-op, started meanwhile is Not applied', async ({
  page,
}) => {
  const [taken, started] = [
    await officeBooks('jordan@example.com', 70),
    await officeBooks('jordan@example.com', 71),
  ];
  await openAdmin(page, server().url);
  await waitUntilOfflineReady(page);
  await openBooking(page, server().url, started);

  await server().close();
  await page.reload();
  await openBooking(page, server().url, taken);
  await cancelOpenBooking(page, 'Office cancels offline.');
  await openBooking(page, server().url, started);
  await cancelOpenBooking(page, 'Office cancels offline, too late.');
  await expect(syncStatus(page)).toContainText('2 changes waiting');

  // Meanwhile on the server: the customer cancels one, the fieldworker starts the other.
  await sql(
    `UPDATE bookings SET status = 'cancelled', cancelled_at = now(), cancelled_by_role = 'customer',
            cancelled_by_customer_id = customer_id, cancel_channel = 'portal', cancel_comment = 'Found someone else'
      WHERE id = $1`,
    [taken],
  );
  await sql(`UPDATE bookings SET status = 'in_progress' WHERE id = $1`, [started]);

  await server().open();
  await expect(syncStatus(page)).toContainText('1 not applied', { timeout: 90_000 });
  // Started meanwhile: rolled back on the device, with the server's sentence, until dismissed.
  // Said once, in the Not applied list, and the booking no longer claims the change was saved.
  const notApplied = page.getByRole('region', { name: 'Not applied' });
  await expect(notApplied).toContainText('Cancel the booking');
  await expect(page.getByText(/already started/)).toHaveCount(1);
  await expect(notApplied.getByText(/already started/)).toBeVisible();
  await expect(page.getByText(/Saved on this device/)).toHaveCount(0);
  await expect(page.locator('.status-badge').first()).toHaveText('In progress');
  await expectAccessible(page);
  await page.screenshot({ path: 'docs/screenshots/admin-not-applied.png', fullPage: true });
  expect(await bookingStatus(started)).toBe('in_progress');
  expect(await eventsOf(started, 'cancelled')).toBe(0);

  // Already cancelled: the customer's cancellation stands, no second event, the page says who.
  await openBooking(page, server().url, taken);
  await expect(page.getByRole('heading', { name: 'Cancellation' })).toBeVisible();
  await expect(page.getByText('Found someone else', { exact: true })).toBeVisible();
  await expect(page.getByText(/customer/i).first()).toBeVisible();
  expect(await eventsOf(taken, 'cancelled')).toBe(1);

  await page.getByRole('button', { name: 'Dismiss' }).first().click();
  await expect(syncStatus(page)).toHaveText('Online and up to date');
});
