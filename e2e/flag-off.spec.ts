// With "Allow customers to cancel…" off: the portal shows no cancel button but a sentence
// and the business's contact details, the next confirmation has no cancel link, and an old
// cancel link cancels nothing.
import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import {
  aboutBooking,
  asAdmin,
  bookingStatus,
  expectAccessible,
  linkIn,
  officeBooks,
  waitForMail,
} from './fixtures.ts';

test('the business turns customer cancellation off', async ({ page, request }) => {
  const earlier = await officeBooks('marcus@example.com');
  const earlierMail = await waitForMail(
    request,
    (m) => m.subject.startsWith('Your ') && aboutBooking(earlier)(m),
  );
  const oldCancelLink = linkIn(earlierMail, 'Cancel booking') as string;
  expect(oldCancelLink).toBeTruthy();

  await asAdmin(request, 'settings.update', { writeId: randomUUID(), customerCancelEnabled: false });
  try {
    const later = await officeBooks('marcus@example.com', 96);
    const laterMail = await waitForMail(
      request,
      (m) => m.subject.startsWith('Your ') && aboutBooking(later)(m),
    );
    expect(laterMail.text).not.toMatch(/cancel/i);
    expect(laterMail.html ?? '').not.toMatch(/cancel/i);

    await page.goto(linkIn(laterMail, 'View booking') as string);
    await expect(page.getByRole('heading', { name: 'Appliance repair' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Cancel booking' })).toHaveCount(0);
    const why = page.getByRole('note', { name: 'Why this booking cannot be canceled here' });
    await expect(why).toContainText('Bookings cannot be cancelled online. Please contact us to cancel.');
    await expect(why.getByRole('link', { name: '+1 312 555 0100' })).toBeVisible();
    await expect(why.getByRole('link', { name: 'office@example.com' })).toBeVisible();
    await expectAccessible(page);
    await page.screenshot({ path: 'docs/screenshots/portal-cancel-off.png', fullPage: true });

    await page.goto(oldCancelLink);
    await expect(page.getByRole('note', { name: 'Why this booking cannot be canceled here' })).toBeVisible();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    expect(await bookingStatus(earlier)).toBe('scheduled');
  } finally {
    await asAdmin(request, 'settings.update', { writeId: randomUUID(), customerCancelEnabled: true });
  }
});
