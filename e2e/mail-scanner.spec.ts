// A mail scanner follows every link in an email (HEAD, GETs, even rendering the page) with
// no cookies: nothing is cancelled and no sign-in link is used up.
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

test('links opened by a scanner change nothing', async ({ browser, playwright, page, request }) => {
  const bookingId = await officeBooks('ana@example.com');
  const confirmation = await waitForMail(
    request,
    (m) => m.subject.startsWith('Your ') && aboutBooking(bookingId)(m),
  );
  const cancelLink = linkIn(confirmation, 'Cancel booking') as string;
  const before = await newestMailId(request);
  await request.post('/api/trpc/auth.requestSignInLink', { data: { email: 'ana@example.com' } });
  const signInMail = await waitForMail(
    request,
    (m) => m.to === 'ana@example.com' && m.subject.startsWith('Your sign-in link'),
    before,
  );
  const signInLink = linkIn(signInMail, 'Sign in to see your bookings') as string;

  const scanner = await playwright.request.newContext(); // no cookies, no session
  for (const link of [cancelLink, signInLink]) {
    expect((await scanner.head(link)).status()).toBe(200);
    for (let i = 0; i < 5; i++) expect((await scanner.get(link)).status()).toBe(200);
  }
  await scanner.dispose();

  // A scanner that renders pages, scripts and all, and leaves without pressing anything.
  const rendering = await browser.newContext();
  for (const link of [cancelLink, signInLink]) {
    const tab = await rendering.newPage();
    await tab.goto(link);
    await tab.waitForLoadState('networkidle');
    await tab.close();
  }
  await rendering.close();

  expect(await bookingStatus(bookingId)).toBe('scheduled');
  // The sign-in link still works for the person it was meant for.
  await page.goto(signInLink);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'My bookings' })).toBeVisible();
  // Used once, it is spent: it now offers a fresh one.
  await page.goto(signInLink);
  await expect(page.getByRole('heading', { name: 'This link no longer works' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Email me a sign-in link' })).toBeVisible();
  await expectAccessible(page);
});
