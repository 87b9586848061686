// The demo customer signs in with an emailed link, cancels a booking with a comment from the
// portal's accessible dialog, sees Canceled and Schedule an appointment, and the
// cancellation email arrives. Screenshots of each portal page go to docs/screenshots/.
import { expect, test } from '@playwright/test';
import {
  aboutBooking,
  customerSignsIn,
  expectAccessible,
  linkIn,
  newestMailId,
  waitForMail,
} from './fixtures.ts';

const shot = (name: string) => ({ path: `docs/screenshots/${name}.png`, fullPage: true });

test('sign in by email link, cancel with a comment, then ask for a new appointment', async ({ page }) => {
  await page.goto('/portal/');
  await expectAccessible(page);
  await page.screenshot(shot('portal-sign-in'));

  await customerSignsIn(page);
  await expect(page.getByRole('heading', { name: 'Upcoming' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Past' })).toBeVisible();
  await expectAccessible(page);
  await page.screenshot(shot('portal-my-bookings'));

  const upcoming = page.getByRole('list', { name: 'Upcoming' }).getByRole('link');
  await upcoming
    .filter({ hasText: /Scheduled|Confirmed/ })
    .first()
    .click();
  await expect(page).toHaveURL(/\/portal\/bookings\/[0-9a-f-]{36}$/);
  const bookingId = page.url().split('/').pop() as string;
  await expect(page.getByText('Your pro')).toBeVisible();
  await expectAccessible(page);
  await page.screenshot(shot('portal-booking'));
  // Fits a 360 px phone (nothing wider than the screen) and a desktop.
  for (const viewport of [
    { width: 360, height: 740 },
    { width: 1280, height: 800 },
  ]) {
    await page.setViewportSize(viewport);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      viewport.width,
    );
  }
  await page.setViewportSize({ width: 390, height: 844 });

  // The dialog: focus moves in, Escape closes it and focus comes back.
  const cancelButton = page.getByRole('button', { name: 'Cancel booking' });
  await cancelButton.click();
  const dialog = page.getByRole('dialog', { name: 'Cancel booking' });
  await expect(dialog).toBeVisible();
  await expect.poll(() => dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(cancelButton).toBeFocused();

  await cancelButton.click();
  await expect(dialog.getByText('There is no charge for cancelling this booking.')).toBeVisible();
  await expectAccessible(page);
  await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Please tell us why you are cancelling.');
  const comment = dialog.getByLabel('Why are you cancelling? (required)');
  await expect(comment).toBeFocused();
  await expect(comment).toHaveAttribute('aria-invalid', 'true');
  await comment.fill('We are moving house that week.');
  await page.screenshot(shot('portal-cancel-dialog'));
  const before = await newestMailId(page.request);
  await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();

  await expect(dialog).toBeHidden();
  await expect(page.locator('.booking-status')).toContainText('Canceled on');
  await expect(page.getByRole('button', { name: 'Schedule an appointment' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cancel booking' })).toHaveCount(0);
  await expect(page.getByText('We are moving house that week.')).toBeVisible();
  await expectAccessible(page);
  await page.screenshot(shot('portal-canceled'));

  const mail = await waitForMail(
    page.request,
    (m) => m.subject.startsWith('Cancelled:') && aboutBooking(bookingId)(m),
    before,
  );
  expect(mail.to).toBe('jordan@example.com');
  expect(mail.text).toContain('Comment: We are moving house that week.');
  expect(linkIn(mail, 'View booking')).toContain(`/portal/bookings/${bookingId}?token=`);

  await page.getByRole('button', { name: 'Schedule an appointment' }).click();
  const schedule = page.getByRole('dialog', { name: 'Schedule an appointment' });
  await schedule.getByLabel('Preferred date').fill(`${new Date().getFullYear() + 1}-03-10`);
  await schedule.getByLabel('Preferred time').fill('10:00');
  await schedule.getByLabel('Note (optional)').fill('Any morning works.');
  await expectAccessible(page);
  await page.screenshot(shot('portal-schedule'));
  await schedule.getByRole('button', { name: 'Request appointment' }).click();
  await expect(schedule.getByRole('status')).toHaveText(
    'Request sent. The office will confirm your appointment by email.',
  );
});
