// The View booking link in a confirmation shows that one booking and says how to cancel,
// but cancels nothing: only the Cancel booking link (or signing in) cancels.
import { expect, test } from '@playwright/test';
import {
  aboutBooking,
  bookingStatus,
  expectAccessible,
  linkIn,
  officeBooks,
  waitForMail,
} from './fixtures.ts';

test('a View booking link views, and points to the way to cancel', async ({ page, request }) => {
  const bookingId = await officeBooks('priya@example.com');
  const confirmation = await waitForMail(
    request,
    (m) => m.subject.startsWith('Your Appliance repair') && aboutBooking(bookingId)(m),
  );
  await page.goto(linkIn(confirmation, 'View booking') as string);
  await expect(page.getByRole('heading', { name: 'Appliance repair' })).toBeVisible();
  const why = page.getByRole('note', { name: 'Why this booking cannot be canceled here' });
  await expect(why).toContainText(
    'This link only shows the booking. To cancel, use the Cancel booking link from the email, or sign in.',
  );
  await expect(page.getByRole('button', { name: 'Cancel booking' })).toHaveCount(0);
  await expectAccessible(page);
  await page.screenshot({ path: 'docs/screenshots/portal-view-link.png', fullPage: true });
  expect(await bookingStatus(bookingId)).toBe('scheduled');
});
