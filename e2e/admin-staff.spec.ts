// People › Staff in the admin app (issue 10): an invitation refused in words for a bad email,
// then sent; the invited fieldworker opens the emailed link, chooses a password and signs in to
// the fieldworker app; the admin deactivates them from the Manage dialog, which signs them out
// at once and says their bookings stay assigned; the admin's own entry offers no way to lock
// themselves out.
import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { expectAccessible, linkIn, newestMailId, sql, waitForMail } from './fixtures.ts';
import { openAdmin } from './support/admin-app.ts';
import { useServerGate } from './support/server-gate.ts';

const server = useServerGate();
test.describe.configure({ timeout: 180_000 });

test('Staff: invite a fieldworker, who signs in from the emailed link; deactivating them signs them out', async ({
  page,
  browser,
  request,
}) => {
  const email = `fiona-${randomUUID().slice(0, 8)}@example.org`;
  const password = 'fiona-chooses-this-one';
  await openAdmin(page, server().url);
  await page.getByRole('link', { name: 'Staff' }).click();
  await expect(page.getByRole('heading', { name: 'Staff', exact: true })).toBeVisible();
  const list = page.getByRole('list', { name: 'Staff' });
  await expect(list.getByRole('listitem').filter({ hasText: 'Olivia Office (you)' })).toBeVisible();
  await expectAccessible(page);

  // Bad input: refused by the server's own schema, in words, on the field.
  await page.getByLabel('Name').fill('Fiona Field');
  await page.getByLabel('Email', { exact: true }).fill('fiona at example');
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.getByRole('alert')).toContainText(/email/i);
  await expect(page.getByLabel('Email', { exact: true })).toBeFocused();
  await expect(page.getByLabel('Email', { exact: true })).toHaveAttribute('aria-invalid', 'true');

  const before = await newestMailId(request);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await expect(page.getByLabel(/^Fieldworker:/)).toBeChecked();
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Invitation sent to ${email}` })).toBeVisible();
  // The new person arrives through the sync.
  const fiona = list.getByRole('listitem').filter({ hasText: 'Fiona Field' });
  await expect(fiona).toContainText('Fieldworker');
  await expect(fiona).toContainText('Active');
  await page.screenshot({ path: 'docs/screenshots/admin-staff.png', fullPage: true });

  // Fiona, on her own device: the emailed link, her password, the fieldworker app.
  const invitation = await waitForMail(request, (m) => m.to === email, before);
  expect(invitation.subject).toMatch(/invited/);
  const link = linkIn(invitation, 'Choose your password');
  expect(link).toBeTruthy();
  const fionaDevice = await browser.newContext();
  const field = await fionaDevice.newPage();
  try {
    await field.goto(link as string);
    await expect(field.getByRole('heading', { name: 'Set your password' })).toBeVisible();
    await field.getByLabel('New password').fill(password);
    await field.getByLabel('The same password again').fill(password);
    await field.getByRole('button', { name: 'Set password' }).click();
    await expect(field.getByRole('status')).toContainText(`You can now sign in as ${email}`);
    await field.getByRole('link', { name: 'Sign in to the fieldworker app' }).click();
    await field.getByLabel('Email').fill(email);
    await field.getByLabel('Password').fill(password);
    await field.getByRole('button', { name: 'Sign in' }).click();
    await expect(field.getByText('Signed in as Fiona Field.')).toBeVisible({ timeout: 60_000 });
    // The link worked once.
    await field.goto(link as string);
    await expect(field.getByRole('heading', { name: 'This link no longer works' })).toBeVisible();

    // Give Fiona a job, so deactivating her has bookings to keep.
    const [fionaRow] = await sql<{ id: string }>('SELECT id FROM users WHERE email = $1', [email]);
    await sql(
      `UPDATE bookings SET fieldworker_id = $1
        WHERE id = (SELECT id FROM bookings WHERE starts_at > now() + interval '2 days' AND status = 'scheduled'
                     ORDER BY starts_at LIMIT 1)`,
      [fionaRow?.id],
    );
    await expect(fiona).toContainText('Active · 1 upcoming booking');

    // The admin deactivates her from the Manage dialog.
    await fiona.getByRole('button', { name: 'Manage Fiona Field' }).click();
    const dialog = page.getByRole('dialog', { name: 'Manage Fiona Field' });
    await expect(dialog).toContainText('Deactivating signs Fiona Field out on every device at once');
    await expectAccessible(page);
    await page.screenshot({ path: 'docs/screenshots/admin-staff-manage.png', fullPage: true });
    await dialog.getByRole('button', { name: 'Deactivate Fiona Field' }).click();
    await expect(dialog.getByRole('status')).toContainText(
      'Fiona Field is deactivated and was signed out on every device. Their 1 upcoming booking stays assigned to them',
    );
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('button', { name: 'Manage Fiona Field' })).toBeFocused();
    await expect(fiona).toContainText('Deactivated · 1 upcoming booking still assigned to them');

    // Her session ended at once: her app asks her to sign in, and her password no longer opens it.
    await field.goto(new URL('/field/', link as string).toString());
    await expect(field.getByRole('heading', { name: 'Sign in' })).toBeVisible({ timeout: 30_000 });
    await field.getByLabel('Email').fill(email);
    await field.getByLabel('Password').fill(password);
    await field.getByRole('button', { name: 'Sign in' }).click();
    await expect(field.getByRole('alert')).toHaveText('That email and password do not match an account.');
  } finally {
    await fionaDevice.close();
  }

  // The admin's own entry: no way to demote or deactivate themselves.
  await list.getByRole('button', { name: 'Manage Olivia Office' }).click();
  const own = page.getByRole('dialog', { name: 'Manage Olivia Office' });
  await expect(own).toContainText('This is you.');
  await expect(own.getByRole('button', { name: /Deactivate/ })).toHaveCount(0);
  await expect(own.getByRole('button', { name: 'Send a password reset link' })).toBeVisible();
});
