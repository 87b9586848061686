// The fieldworker app in Chromium, local-first: a cancellation made while the app was closed is
// on the schedule and in the notifications at the next open; with the server taken away for
// real, a notification marked read stays read through a reload and reaches the server once it
// is back. Web push: the opt-in stores this phone's subscription (PushManager.subscribe is
// stubbed, the one part Chromium cannot do here: it would call Google's push service; see
// STACK-NOTES §8), the server's push reaches the local push service decrypted, and the same
// payload delivered to the service worker (CDP ServiceWorker.deliverPushMessage) shows the
// notification, one per booking, and opening it opens the job. "Got it" on a cancellation, pressed offline, reaches the
// office's booking page once the phone is back online, and the office's list of cancellations
// not seen in time empties.
import { randomUUID } from 'node:crypto';
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { E2E_PUSH_ORIGIN } from '../playwright.config.ts';
import { type PushReceiver, startPushReceiver } from '../test/support/push-receiver.ts';
import { asAdmin, DEMO_PASSWORD, expectAccessible, officeBooks, sql } from './fixtures.ts';
import { openAdmin, syncStatus, waitUntilOfflineReady } from './support/admin-app.ts';
import { useServerGate } from './support/server-gate.ts';

const server = useServerGate();
test.describe.configure({ timeout: 240_000 });

let receiver: PushReceiver;
test.beforeAll(async () => {
  receiver = await startPushReceiver(Number(new URL(E2E_PUSH_ORIGIN).port));
});
test.afterAll(async () => {
  await receiver.stop();
});

const SAM = 'sam@example.com';

/** Opens the fieldworker app at `path` through the gate, signing Sam in when asked, until in sync. */
async function openField(page: Page, path = '/field/'): Promise<void> {
  await page.goto(`${server().url}${path}`);
  const password = page.getByLabel('Password');
  const synced = syncStatus(page).filter({ hasText: 'Online and up to date' });
  await expect(password.or(synced)).toBeVisible({ timeout: 90_000 });
  if (await password.isVisible()) {
    await page.getByLabel('Email').fill(SAM);
    await password.fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
  await expect(synced).toBeVisible({ timeout: 90_000 });
}

/** One of Sam's upcoming scheduled jobs, with its service's name. */
async function aJobOfSam(): Promise<{ id: string; service: string }> {
  const [job] = await sql<{ id: string; service: string }>(
    `SELECT b.id, s.name AS service FROM bookings b JOIN users u ON u.id = b.fieldworker_id
       JOIN services s ON s.id = b.service_id
      WHERE u.email = $1 AND b.status = 'scheduled' AND b.starts_at > now() + interval '1 day'
      ORDER BY b.starts_at LIMIT 1`,
    [SAM],
  );
  if (!job) throw new Error('Sam has no upcoming scheduled job');
  return job;
}

const officeCancels = (request: Parameters<typeof asAdmin>[0], id: string, comment: string) =>
  asAdmin(request, 'bookings.cancel', { id, writeId: randomUUID(), comment });

test('a cancellation made while the app was closed shows at the next open; read offline reaches the server', async ({
  context,
  request,
}) => {
  // Sam has read everything so far (other specs cancel Sam's jobs too).
  await sql(
    `UPDATE notifications SET read_at = now() WHERE read_at IS NULL
        AND user_id = (SELECT id FROM users WHERE email = $1)`,
    [SAM],
  );
  const first = await context.newPage();
  await openField(first);
  await expect(first.getByRole('heading', { name: 'My schedule' })).toBeVisible();
  await expectAccessible(first);
  await first.screenshot({ path: 'docs/screenshots/field-schedule.png', fullPage: true });
  await waitUntilOfflineReady(first);
  await first.close();

  // The office cancels one of Sam's jobs while the app is closed.
  const job = await aJobOfSam();
  await officeCancels(request, job.id, 'The customer is away that week.');

  const page = await context.newPage();
  await openField(page);
  const tab = page
    .getByRole('navigation', { name: 'Sections' })
    .getByRole('link', { name: /^Notifications/ });
  await expect(tab).toContainText('(1 unread)');
  await tab.click();
  const item = page.getByRole('listitem').filter({ hasText: 'Booking cancelled' }).first();
  await expect(item).toContainText(job.service);
  await expect(item).toContainText('Unread');
  await expectAccessible(page);
  await page.screenshot({ path: 'docs/screenshots/field-notifications.png', fullPage: true });

  // The job's page says it is cancelled, when, and by the office.
  await item.getByRole('button', { name: /^Open the job/ }).click();
  await expect(page.getByRole('heading', { name: job.service })).toBeVisible();
  await expect(page.getByRole('note')).toContainText('by the office');
  await expect(page.getByRole('note')).toContainText('The customer is away that week.');
  await expectAccessible(page);
  await page.screenshot({ path: 'docs/screenshots/field-job-cancelled.png', fullPage: true });

  // Opening it marked it read, on the device at once; sent when the server can be reached.
  await expect(tab).not.toContainText('unread');
  const readAt = async () =>
    (
      await sql<{ read_at: Date | null }>(
        `SELECT n.read_at FROM notifications n WHERE n.booking_id = $1 AND n.kind = 'booking_cancelled'`,
        [job.id],
      )
    )[0]?.read_at ?? null;
  await expect.poll(readAt, { timeout: 30_000 }).not.toBeNull();

  // Offline for real: another cancellation arrives first, then the server goes away.
  const second = await sql<{ id: string }>(
    `SELECT b.id FROM bookings b JOIN users u ON u.id = b.fieldworker_id
      WHERE u.email = $1 AND b.status = 'scheduled' AND b.starts_at > now() + interval '1 day' AND b.id <> $2
      ORDER BY b.starts_at LIMIT 1`,
    [SAM, job.id],
  );
  const secondId = second[0]?.id as string;
  await officeCancels(request, secondId, 'Rain.');
  await expect(tab).toContainText('(1 unread)', { timeout: 30_000 });
  await server().close();
  await expect(syncStatus(page)).toContainText('Offline', { timeout: 30_000 });
  await tab.click();
  await page.getByRole('button', { name: 'Mark all read (1)' }).click();
  await expect(tab).not.toContainText('unread');
  await expect(page.getByText('Waiting to sync').first()).toBeVisible();

  // The mark survives a reload with no server.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Notifications' })).toBeVisible({ timeout: 60_000 });
  await expect(tab).not.toContainText('unread');
  await expect(page.getByText('Waiting to sync').first()).toBeVisible();
  const secondReadAt = async () =>
    (
      await sql<{ read_at: Date | null }>('SELECT read_at FROM notifications WHERE booking_id = $1', [
        secondId,
      ])
    )[0]?.read_at ?? null;
  expect(await secondReadAt()).toBeNull();

  // Back online: sent once, and the mark is the server's.
  await server().open();
  await expect(syncStatus(page)).toContainText('Online and up to date', { timeout: 60_000 });
  await expect.poll(secondReadAt, { timeout: 30_000 }).not.toBeNull();
  await expect(page.getByText('Waiting to sync')).toHaveCount(0);
});

/** PushManager.subscribe, stubbed: a subscription to the tests' push service, as a browser would make. */
async function stubPushManager(context: BrowserContext, subscription: object): Promise<void> {
  await context.addInitScript((json) => {
    let current: PushSubscription | null = null;
    const make = (key: ArrayBuffer | null) =>
      ({
        endpoint: (json as { endpoint: string }).endpoint,
        options: { applicationServerKey: key, userVisibleOnly: true },
        toJSON: () => json,
        unsubscribe: async () => {
          current = null;
          return true;
        },
      }) as unknown as PushSubscription;
    PushManager.prototype.subscribe = async (options) => {
      const key = options?.applicationServerKey;
      const bytes =
        typeof key === 'string'
          ? Uint8Array.from(atob(key.replaceAll('-', '+').replaceAll('_', '/')), (c) => c.charCodeAt(0))
              .buffer
          : ((key as ArrayBuffer | null) ?? null);
      current = make(bytes);
      return current;
    };
    PushManager.prototype.getSubscription = async () => current;
  }, subscription);
}

test('push: the opt-in stores this phone, a cancellation is pushed encrypted, and the service worker shows it', async ({
  context,
  request,
}) => {
  const device = receiver.device();
  await stubPushManager(context, device.subscription);
  await context.grantPermissions(['notifications'], { origin: server().url });
  const page = await context.newPage();
  await openField(page, '/field/alerts');
  await expect(page.getByRole('heading', { name: 'Notifications on this phone' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Turn notifications on' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Notifications are on for this phone.' }),
  ).toBeVisible();
  await page.screenshot({ path: 'docs/screenshots/field-alerts.png', fullPage: true });
  const stored = await sql<{ n: number }>(
    `SELECT count(*)::int AS n FROM push_subscriptions p JOIN users u ON u.id = p.user_id
      WHERE u.email = $1 AND p.endpoint = $2`,
    [SAM, device.subscription.endpoint],
  );
  expect(stored[0]?.n).toBe(1);

  // The office cancels a job of Sam's: the server pushes it, signed and encrypted, to this phone.
  const job = await aJobOfSam();
  await officeCancels(request, job.id, 'Closed for the holidays.');
  await expect
    .poll(() => receiver.received.filter((p) => p.deviceId === device.id).length, { timeout: 30_000 })
    .toBe(1);
  const push = receiver.received.find((p) => p.deviceId === device.id);
  expect(push?.payload).toMatchObject({ kind: 'booking_cancelled', bookingId: job.id });
  expect(push?.headers.urgency).toBe('high');

  // What the push service would hand the browser: the service worker shows it, one per booking.
  const cdp = await context.newCDPSession(page);
  const registrations: { registrationId: string; scopeURL: string }[] = [];
  cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => registrations.push(...e.registrations));
  await cdp.send('ServiceWorker.enable');
  await expect.poll(() => registrations.length).toBeGreaterThan(0);
  const deliver = () =>
    cdp.send('ServiceWorker.deliverPushMessage', {
      origin: new URL(server().url).origin,
      registrationId: (registrations[0] as { registrationId: string }).registrationId,
      data: JSON.stringify(push?.payload),
    });
  const shown = () =>
    page.evaluate(async () =>
      (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({
        title: n.title,
        tag: n.tag,
        url: (n.data as { url?: string } | null)?.url,
        shownAt: (n as Notification & { timestamp: number }).timestamp,
      })),
    );
  const expected = { title: 'Booking cancelled', tag: `booking-${job.id}`, url: `/field/bookings/${job.id}` };
  const one = async () => (await shown()).map(({ shownAt: _, ...n }) => n);
  await deliver();
  await expect.poll(one).toEqual([expected]);
  const firstShownAt = (await shown())[0]?.shownAt ?? 0;
  await deliver(); // a repeat replaces it: still one (and the click below must not race its showing)
  await expect.poll(async () => (await shown()).filter((n) => n.shownAt > firstShownAt).length).toBe(1);
  await expect.poll(one).toEqual([expected]);

  // Opening it opens the job in the app's window. Chromium cannot click a system notification
  // here, so the service worker is handed the click event a click would give it.
  const [worker] = context.serviceWorkers();
  await worker?.evaluate(async () => {
    const sw = self as unknown as ServiceWorkerGlobalScope;
    const [notification] = await sw.registration.getNotifications();
    if (notification) sw.dispatchEvent(new NotificationEvent('notificationclick', { notification }));
  });
  await expect(page).toHaveURL(new RegExp(`/field/bookings/${job.id}$`));
  await expect(page.getByRole('heading', { name: job.service })).toBeVisible({ timeout: 30_000 });
  await expect.poll(shown).toEqual([]); // the click closed it
});

test('"Got it" pressed offline reaches the office: the booking says when Sam saw it', async ({
  browser,
  request,
}) => {
  // A job of Sam's in three hours, cancelled by the office a while ago; the office is warned after 1 minute.
  const id = await officeBooks('priya@example.com', 3);
  await sql(`UPDATE bookings SET fieldworker_id = (SELECT id FROM users WHERE email = $2) WHERE id = $1`, [
    id,
    SAM,
  ]);
  await sql('UPDATE business_settings SET unseen_cancel_alert_minutes = 1');
  // Every cancellation so far (other specs make some) has been seen: this one is the only one not.
  await sql(
    `UPDATE bookings SET cancel_seen_at = cancelled_at WHERE status = 'cancelled' AND cancel_seen_at IS NULL`,
  );
  await officeCancels(request, id, 'The customer will be away.');
  await sql(`UPDATE bookings SET cancelled_at = now() - interval '5 minutes' WHERE id = $1`, [id]);

  // The office sees it among the cancellations not seen in time.
  const office = await (await browser.newContext()).newPage();
  await openAdmin(office, server().url);
  const unseen = office.getByRole('list', { name: 'Cancellations not seen by their fieldworker' });
  await expect(unseen.getByRole('link')).toHaveCount(1, { timeout: 30_000 });
  await office.screenshot({ path: 'docs/screenshots/admin-unseen-cancellations.png', fullPage: true });

  // Sam, on the phone, without a connection, says Got it.
  const phone = await (await browser.newContext()).newPage();
  await openField(phone, `/field/bookings/${id}`);
  await expect(phone.getByRole('note')).toContainText('by the office');
  await waitUntilOfflineReady(phone);
  await server().close();
  await expect(syncStatus(phone)).toContainText('Offline', { timeout: 30_000 });
  await phone.getByRole('button', { name: 'Got it: I saw that this job is cancelled' }).click();
  await expect(phone.getByText(/You said you saw this/)).toBeVisible();
  await phone.reload();
  await expect(phone.getByText(/You said you saw this/)).toBeVisible({ timeout: 60_000 });
  await expect(phone.getByText('Waiting to sync').first()).toBeVisible();

  // Back online: the office's booking page says when Sam saw it, and the warning list empties.
  await server().open();
  await expect(syncStatus(phone)).toContainText('Online and up to date', { timeout: 60_000 });
  await office.goto(`${server().url}/admin/bookings/${id}`);
  await expect(office.getByText(/^Sam saw this /)).toBeVisible({ timeout: 60_000 });
  await expectAccessible(office);
  await office.goto(`${server().url}/admin/`);
  await expect(office.getByRole('heading', { name: 'All bookings' })).toBeVisible({ timeout: 60_000 });
  await expect(unseen).toHaveCount(0);
  await sql('UPDATE business_settings SET unseen_cancel_alert_minutes = 15');
});

test('Sam cancels a job offline where the business allows it; a job moved to Alex leaves Sam’s schedule', async ({
  page,
  request,
}) => {
  await sql('UPDATE business_settings SET fieldworker_cancel_enabled = true');
  try {
    const job = await aJobOfSam();
    await openField(page, `/field/bookings/${job.id}`);
    await waitUntilOfflineReady(page);
    await server().close();
    await expect(syncStatus(page)).toContainText('Offline', { timeout: 30_000 });
    await page.getByRole('button', { name: 'Cancel this job' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel this job' });
    await dialog.getByLabel(/Why\?/).fill('The van broke down.');
    await expectAccessible(page);
    await dialog.getByRole('button', { name: 'Cancel the job' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('note')).toContainText('by you');
    await expect(page.getByText('Waiting to sync').first()).toBeVisible();
    await page.reload();
    await expect(page.getByRole('note')).toContainText('by you', { timeout: 60_000 });
    expect(await sql('SELECT status FROM bookings WHERE id = $1', [job.id])).toEqual([
      { status: 'scheduled' },
    ]);

    await server().open();
    await expect(syncStatus(page)).toContainText('Online and up to date', { timeout: 60_000 });
    await expect
      .poll(
        async () =>
          (
            await sql<{ status: string; cancel_channel: string; cancelled_by_role: string; seen: boolean }>(
              `SELECT status, cancel_channel, cancelled_by_role, cancel_seen_at IS NOT NULL AS seen
               FROM bookings WHERE id = $1`,
              [job.id],
            )
          )[0],
      )
      .toEqual({
        status: 'cancelled',
        cancel_channel: 'field_app',
        cancelled_by_role: 'fieldworker',
        seen: true,
      });
    await expect(page.getByText('Waiting to sync')).toHaveCount(0);

    // The office gives another of Sam's jobs to Alex: it leaves Sam's schedule.
    const moved = await aJobOfSam();
    const [before] = await sql<{ starts_at: Date; fieldworker_id: string }>(
      'SELECT starts_at, fieldworker_id FROM bookings WHERE id = $1',
      [moved.id],
    );
    const [alex] = await sql<{ id: string }>(`SELECT id FROM users WHERE email = 'alex@example.com'`);
    await page.goto(`${server().url}/field/`);
    const link = page.locator(`a[href="/field/bookings/${moved.id}"]`);
    await expect(link).toHaveCount(1, { timeout: 60_000 });
    await asAdmin(request, 'bookings.update', {
      writeId: randomUUID(),
      id: moved.id,
      saw: {
        startsAt: before?.starts_at.toISOString(),
        fieldworkerId: before?.fieldworker_id,
        status: 'scheduled',
      },
      changes: { fieldworkerId: alex?.id },
    });
    await expect(link).toHaveCount(0, { timeout: 30_000 });
    const tab = page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('link', { name: /^Notifications/ });
    await tab.click();
    await expect(page.getByRole('listitem').filter({ hasText: 'Booking reassigned' }).first()).toBeVisible();
  } finally {
    await sql('UPDATE business_settings SET fieldworker_cancel_enabled = false');
  }
});
