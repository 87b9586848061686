// The office's settings in the admin app (issue 10). Customer Portal › Flags & Permissions:
// switched off on the screen, the portal loses its cancel button and the next confirmation
// its cancel link; bad input is refused in words; with the server away, saving says so and
// what was typed stays until it can be saved. Financial Settings › Tax and fees: a percent fee
// created with its example, a booking cancelled with it, the fee switched off while the
// cancellation keeps what it cost. Email templates: an unknown placeholder refused by name,
// the preview on a real booking, the next cancellation email following the edited template,
// and the default put back. Failed emails: sent again, once. Customers: added, refused an
// email in use, edited, with their bookings. Business: bad input refused in words, and the time zone followed
// by the booking list.
import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import {
  aboutBooking,
  asAdmin,
  expectAccessible,
  linkIn,
  type Mail,
  mailbox,
  officeBooks,
  sql,
  waitForMail,
} from './fixtures.ts';
import { cancelOpenBooking, goInApp, openAdmin, openBooking, syncStatus } from './support/admin-app.ts';
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
  await expect(page.getByRole('heading', { name: 'Settings', exact: true })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Flags & Permissions' }).click();
  await expect(page.getByRole('heading', { name: 'Flags & Permissions' })).toBeVisible();
  const flag = page.getByLabel(FLAG);
  await expect(flag).toBeChecked();
  await expectAccessible(page);
  await page.screenshot({ path: 'docs/screenshots/admin-settings-portal.png', fullPage: true });

  try {
    // Bad input: refused by the shared schema, in words, on the field.
    const cutoff = page.getByLabel('Customers may cancel up to this many hours before the start');
    const cutoffBefore = await cutoff.inputValue();
    await cutoff.fill('1000');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('alert')).toHaveText(
      'Enter the cutoff in whole hours, from 0 to 720 (30 days).',
    );
    await expect(cutoff).toBeFocused();
    await expect(cutoff).toHaveAttribute('aria-invalid', 'true');
    await cutoff.fill(cutoffBefore);

    // Offline, for real: the server is away, and the screen starts again from the service
    // worker and the replica; it says so, and keeps what is typed.
    await server().close();
    await expect(syncStatus(page)).toContainText('Offline since', { timeout: 30_000 });
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Flags & Permissions' })).toBeVisible({ timeout: 60_000 });
    await expect(flag).toBeChecked();
    await expect(
      page.getByText(/You are offline\. Changes on this screen are saved on the server/),
    ).toBeVisible({
      timeout: 30_000,
    });
    await flag.uncheck();
    await expect(page.getByText(/^Off: the portal shows no cancel button/)).toBeVisible();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(
      page.getByText(/You are offline\. Changes on this screen are saved on the server/),
    ).toBeVisible();
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

test('Tax and fees: a percent fee is added, a booking is cancelled with it, and it is switched off', async ({
  page,
}) => {
  const feeName = `Short notice ${Date.now() % 100_000}`;
  await openAdmin(page, server().url);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('link', { name: 'Tax and fees' }).click();
  await expect(page.getByRole('heading', { name: 'Tax and fees' })).toBeVisible();

  await page.getByLabel('Name').fill(feeName);
  await page.getByLabel("A percent of the booking's price").check();
  const percent = page.getByLabel('Percent of the price');
  await percent.fill('150');
  await page.getByLabel('Tax rate (percent, 0 for none)').fill('8');
  await page.getByRole('button', { name: 'Add fee' }).click();
  await expect(page.getByRole('alert')).toHaveText('A fee cannot be more than 100 % of the price.');
  await expect(percent).toBeFocused();
  await percent.fill('10');
  await page.getByLabel(/^Sample booking price/).fill('120.00');
  await expect(page.getByText('On a $120.00 booking: fee $12.00 + tax $0.96 = $12.96.')).toBeVisible();
  await expectAccessible(page);
  await page.screenshot({ path: 'docs/screenshots/admin-settings-fees.png', fullPage: true });
  await page.getByRole('button', { name: 'Add fee' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Added “${feeName}”.` })).toBeVisible();
  const fees = page.getByRole('list', { name: 'Fees' });
  await expect(fees.getByText(`${feeName} · 10% of the price + 8% tax`)).toBeVisible({ timeout: 30_000 });

  // The office cancels a booking with it: 10 % of the price, plus 8 % tax on that.
  const booking = await officeBooks('jordan@example.com', 80);
  await openBooking(page, server().url, booking);
  await cancelOpenBooking(page, 'The customer moved away', feeName);
  const [{ price } = { price: 0 }] = await sql<{ price: number }>(
    'SELECT price_minor AS price FROM bookings WHERE id = $1',
    [booking],
  );
  const fee = Math.round(price / 10);
  const charged = async () =>
    (
      await sql<{ name: string; fee: number; tax: number }>(
        'SELECT cancel_fee_name AS name, cancel_fee_minor AS fee, cancel_fee_tax_minor AS tax FROM bookings WHERE id = $1',
        [booking],
      )
    )[0];
  await expect
    .poll(charged, { timeout: 60_000 })
    .toEqual({ name: feeName, fee, tax: Math.round(fee * 0.08) });

  // Switched off: no longer offered, and the cancellation keeps what it cost.
  await goInApp(page, server().url, '/admin/settings/fees');
  await page.getByRole('button', { name: `Switch off ${feeName}` }).click();
  await expect(page.getByRole('status').filter({ hasText: `Switched off “${feeName}”` })).toBeVisible();
  await expect(fees.getByText(`${feeName} · 10% of the price + 8% tax · Switched off`)).toBeVisible({
    timeout: 30_000,
  });
  expect(await charged()).toEqual({ name: feeName, fee, tax: Math.round(fee * 0.08) });
});

test('Email templates: the next cancellation email follows the edited template, and the default comes back', async ({
  page,
  request,
}) => {
  const defaultSubject = 'Cancelled: {{service}} on {{booking_date}}';
  await openAdmin(page, server().url);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('link', { name: 'Email templates' }).click();
  await expect(page.getByRole('heading', { name: 'Email templates' })).toBeVisible();
  await page.getByRole('combobox', { name: /^Email/ }).selectOption({ label: 'Cancellation' });
  const form = page.getByRole('form', { name: 'Cancellation template' });
  const subject = form.getByLabel('Subject');
  await expect(subject).toHaveValue(defaultSubject);
  await expect(page.getByText(/^Rendered on .+’s .+, /)).toBeVisible({ timeout: 30_000 });

  try {
    await subject.fill('Sorry about your {{service}} ({{refund}})');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form.getByRole('alert')).toContainText('Unknown placeholder {{refund}} in the subject.');

    await subject.fill('Sorry about your {{service}}');
    await expect(page.getByText(/^Subject: Sorry about your \S/)).toBeVisible({ timeout: 30_000 });
    // The preview frame is the customer's email, not the app: sandboxed, so axe cannot enter it.
    await expect(page.getByTitle('The email as HTML')).toBeVisible();
    await expectAccessible(page, ['iframe.email-preview']);
    await page.screenshot({ path: 'docs/screenshots/admin-settings-templates.png', fullPage: true });
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();

    const booking = await officeBooks('jordan@example.com', 90);
    const [{ service } = { service: '' }] = await sql<{ service: string }>(
      'SELECT s.name AS service FROM bookings b JOIN services s ON s.id = b.service_id WHERE b.id = $1',
      [booking],
    );
    await asAdmin(request, 'bookings.cancel', { id: booking, writeId: randomUUID(), comment: 'Rain' });
    const mail = await waitForMail(
      request,
      (m) => m.subject === `Sorry about your ${service}` && aboutBooking(booking)(m),
    );
    expect(mail.text).toContain('Comment: Rain');

    await form.getByRole('button', { name: 'Restore the default' }).click();
    await expect(subject).toHaveValue(defaultSubject);
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
    await expect
      .poll(
        async () =>
          (
            await sql<{ subject: string }>("SELECT subject FROM email_templates WHERE kind = 'cancellation'")
          )[0]?.subject,
      )
      .toBe(defaultSubject);
  } finally {
    await sql("UPDATE email_templates SET subject = $1 WHERE kind = 'cancellation'", [defaultSubject]);
  }
});

test('Business: the time zone changes how the bookings show their times', async ({ page, request }) => {
  await openAdmin(page, server().url);
  await expect(
    page
      .getByRole('region', { name: /Bookings, sorted by start/ })
      .getByText(/ CST$/)
      .first(),
  ).toBeVisible();
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('link', { name: 'Business details' }).click();
  await expect(page.getByRole('heading', { name: 'Business' })).toBeVisible();
  const zone = page.getByRole('combobox', { name: /^Time zone/ });
  await expect(zone).toHaveValue('America/Chicago');
  try {
    const currency = page.getByLabel('Currency (three letters, like USD)');
    await currency.fill('dollars');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('alert')).toHaveText('Use a three-letter currency code, like USD.');
    await expect(currency).toBeFocused();
    await currency.fill('USD');

    await page.getByLabel('Address').fill('1200 W Lake St, Chicago, IL 60607');
    await zone.selectOption('America/New_York');
    await expectAccessible(page);
    await page.screenshot({ path: 'docs/screenshots/admin-settings-business.png', fullPage: true });
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();

    await page.getByRole('link', { name: 'All bookings' }).click();
    await expect(
      page
        .getByRole('region', { name: /Bookings, sorted by start/ })
        .getByText(/ EST$/)
        .first(),
    ).toBeVisible({
      timeout: 30_000,
    });
  } finally {
    await asAdmin(request, 'settings.update', { writeId: randomUUID(), timeZone: 'America/Chicago' });
  }
});

test('Failed emails: one is listed with its error in words, and Send again sends it once', async ({
  page,
  request,
}) => {
  // The dev mailbox accepts every address, so the refusal is recorded as the job records one
  // (test/integration/emails.test.ts has a real SMTP refusal, and the resend after an address is fixed).
  const booking = await officeBooks('jordan@example.com', 100);
  const aboutThis = (m: Mail) => m.subject.startsWith('Your ') && aboutBooking(booking)(m);
  await waitForMail(request, aboutThis);
  await sql(
    `UPDATE sent_messages SET status = 'failed', failed_at = now(), recipient = 'old@nowhere.example',
            last_error = '550 5.1.1 <old@nowhere.example>: Mailbox unavailable'
      WHERE booking_id = $1 AND kind = 'confirmation'`,
    [booking],
  );
  await openAdmin(page, server().url);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('link', { name: 'Failed emails' }).click();
  const list = page.getByRole('list', { name: 'Failed emails' });
  const item = list.getByRole('listitem').filter({ hasText: 'old@nowhere.example' });
  await expect(item).toContainText('The mail server refused it: the address is probably wrong', {
    timeout: 30_000,
  });
  await expect(item).toContainText('Jordan Rivera’s address is now jordan@example.com.');
  await expectAccessible(page);
  await page.screenshot({ path: 'docs/screenshots/admin-failed-emails.png', fullPage: true });

  await item.getByRole('button', { name: /^Send again/ }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Queued again, to jordan@example.com.' }),
  ).toBeVisible();
  await expect(item).toHaveCount(0, { timeout: 30_000 });
  await expect
    .poll(async () => (await mailbox(request)).filter(aboutThis).length, { timeout: 30_000 })
    .toBe(2);
  await page.waitForTimeout(2000); // nothing more comes
  expect((await mailbox(request)).filter(aboutThis)).toHaveLength(2);
});

test('Customers: one is added (an email in use is refused), another edited, with their bookings', async ({
  page,
}) => {
  const email = `priya-${Date.now()}@example.com`;
  await openAdmin(page, server().url);
  await page.getByRole('link', { name: 'Customers', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Customers', exact: true })).toBeVisible();

  const form = page.getByRole('form', { name: 'Add a customer' });
  await form.getByLabel('Name').fill('Priya Patel');
  await form.getByLabel('Email').fill('JORDAN@example.com');
  await form.getByRole('button', { name: 'Add customer' }).click();
  await expect(form.getByRole('alert')).toHaveText('That email address belongs to another customer.');
  await form.getByLabel('Email').fill(email);
  await form.getByRole('button', { name: 'Add customer' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Added Priya Patel.' })).toBeVisible();
  await page.getByLabel('Search by name, email or phone').fill('priya');
  await expect(page.getByRole('list', { name: 'Customers' })).toContainText(email, { timeout: 30_000 });

  await page.getByLabel('Search by name, email or phone').fill('jordan');
  await page.getByRole('button', { name: 'Edit Jordan Rivera' }).click();
  const edit = page.getByRole('form', { name: 'Edit Jordan Rivera' });
  await expect(edit.getByRole('list', { name: 'Their bookings' }).getByRole('link').first()).toBeVisible();
  const phone = `+1 312 555 ${String(Date.now() % 10_000).padStart(4, '0')}`;
  await edit.getByLabel('Phone (optional)').fill(phone);
  await expectAccessible(page);
  await page.screenshot({ path: 'docs/screenshots/admin-customers.png', fullPage: true });
  await edit.getByRole('button', { name: 'Save customer' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved Jordan Rivera.' })).toBeVisible();
  await expect
    .poll(
      async () =>
        (await sql<{ phone: string }>("SELECT phone FROM customers WHERE email = 'jordan@example.com'"))[0]
          ?.phone,
    )
    .toBe(phone);
});
