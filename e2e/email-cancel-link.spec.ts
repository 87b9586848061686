// The Cancel booking link in a confirmation email opens that one booking, signed out, with
// the cancel dialog open; confirming cancels it and the cancellation email follows.
import { expect, test } from '@playwright/test';
import {
  aboutBooking,
  bookingStatus,
  expectAccessible,
  linkIn,
  newestMailId,
  officeBooks,
  waitForMail,
} from './fixtures.ts';

test('cancel from the confirmation email’s link', async ({ page, request }) => {
  const bookingId = await officeBooks('priya@example.com');
  const confirmation = await waitForMail(
    request,
    (m) => m.subject.startsWith('Your Appliance repair') && aboutBooking(bookingId)(m),
  );
  const cancelLink = linkIn(confirmation, 'Cancel booking') as string;
  expect(cancelLink).toMatch(/&cancel=1$/);

  await page.goto(cancelLink);
  const dialog = page.getByRole('dialog', { name: 'Cancel booking' });
  await expect(dialog).toBeVisible();
  expect(await bookingStatus(bookingId)).toBe('scheduled'); // opening the link changed nothing
  await expectAccessible(page);
  await dialog.getByLabel('Why are you cancelling? (required)').fill('Fixed it myself.');
  const before = await newestMailId(request);
  const submit = dialog.getByRole('button', { name: 'Cancel', exact: true });
  await submit.dblclick(); // a double press cancels once
  await expect(page.getByRole('button', { name: 'Schedule an appointment' })).toBeVisible();
  await expect(page.locator('.booking-status')).toContainText('Canceled on');
  expect(await bookingStatus(bookingId)).toBe('cancelled');

  const mail = await waitForMail(
    request,
    (m) => m.subject.startsWith('Cancelled:') && aboutBooking(bookingId)(m),
    before,
  );
  expect(mail.to).toBe('priya@example.com');
  await page.waitForTimeout(1000);
  const { messages } = await (await request.get('/dev/mailbox.json')).json();
  expect(
    messages.filter(
      (m: { subject: string; text: string }) =>
        m.subject.startsWith('Cancelled:') && aboutBooking(bookingId)(m as never),
    ),
  ).toHaveLength(1);

  // The same link, opened again, shows the booking as cancelled: no dialog, no second cancel.
  await page.goto(cancelLink);
  await expect(page.locator('.booking-status')).toContainText('Canceled on');
  await expect(page.getByRole('dialog')).toHaveCount(0);
});
