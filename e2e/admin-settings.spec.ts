// The office's settings in the admin app (issue 10). Customer Portal › Flags & Permissions:
// switched off on the screen, the portal loses its cancel button and the next confirmation
// its cancel link; bad input is refused in words; with the server away, saving says so and
// what was typed stays until it can be saved.
import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import {
  aboutBooking,
  asAdmin,
  expectAccessible,
  linkIn,
  officeBooks,
  sql,
  waitForMail,
} from './fixtures.ts';
import { openAdmin, syncStatus } from './support/admin-app.ts';
import { useServerGate } from './support/server-gate.ts';

const server = useServerGate();
test.describe.configure({ timeout: 180_000 });

const FLAG = 'Allow customers to cancel bookings through the customer portal and email links';
const customerCancelEnabled = async () =>
  (await sql<{ on: boolean }>('SELECT customer_cancel_enabled AS on FROM business_settings'))[0]?.on;

test('Flags & Permissions: customer cancelling switched off on the screen reaches the portal and the emails', async ({
  page,
  request,
}) => {
  await openAdmin(page, server().url);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('link', { name: 'Flags & Permissions' }).click();
  await expect(page.getByRole('heading', { name: 'Flags & Permissions' })).toBeVisible();
  const flag = page.getByLabel(FLAG);
  await expect(flag).toBeChecked();
  await expectAccessible(page);
  await page.screenshot({ path: 'docs/screenshots/admin-settings-portal.png', fullPage: true });

  try {
    // Bad input: refused by the shared schema, in words, on the field.
    const cutoff = page.getByLabel('Customers may cancel up to this many hours before the start');
    await cutoff.fill('1000');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('alert')).toHaveText(
      'Enter the cutoff in whole hours, from 0 to 720 (30 days).',
    );
    await expect(cutoff).toBeFocused();
    await expect(cutoff).toHaveAttribute('aria-invalid', 'true');
    await cutoff.fill('24');

    // Offline: the form says so, and keeps what was typed.
    await server().close();
    await expect(syncStatus(page)).toContainText('Offline since', { timeout: 30_000 });
    await flag.uncheck();
    await expect(page.getByText(/^Off: the portal shows no cancel button/)).toBeVisible();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText(/You are offline\. Settings are saved on the server/)).toBeVisible();
    await expect(
      page.getByText('Cannot reach the server. Check your connection and try again.'),
    ).toBeVisible();
    await page.screenshot({ path: 'docs/screenshots/admin-settings-offline.png', fullPage: true });
    expect(await customerCancelEnabled()).toBe(true);

    await server().open();
    await expect(syncStatus(page)).toHaveText('Online and up to date', { timeout: 60_000 });
    await expect(flag).not.toBeChecked(); // still as typed
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
    await expect.poll(customerCancelEnabled).toBe(false);
    await expect(flag).not.toBeChecked(); // and the synced settings say the same

    // The next confirmation has no cancel link, and the portal no cancel button.
    const booking = await officeBooks('marcus@example.com', 96);
    const mail = await waitForMail(request, (m) => m.subject.startsWith('Your ') && aboutBooking(booking)(m));
    expect(mail.text).not.toMatch(/cancel/i);
    expect(mail.html ?? '').not.toMatch(/cancel/i);
    const portal = await page.context().newPage();
    await portal.goto(linkIn(mail, 'View booking') as string);
    await expect(
      portal.getByRole('note', { name: 'Why this booking cannot be canceled here' }),
    ).toBeVisible();
    await expect(portal.getByRole('button', { name: 'Cancel booking' })).toHaveCount(0);
    await portal.close();

    // And back on, from the same screen.
    await flag.check();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
    await expect.poll(customerCancelEnabled).toBe(true);
  } finally {
    await asAdmin(request, 'settings.update', { writeId: randomUUID(), customerCancelEnabled: true });
  }
});
