// Reports › Cancellations in Chromium, with the server taken away for real: one cancellation by
// each channel, each through its own path (the admin app with a fee, a confirmation email's
// cancel link, the portal after signing in, the fieldworker's API), with a different notice
// each; then offline, the report counts them from the replica as Postgres counts them, its CSV
// downloads with every row, escaped, and an empty range says so.

import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { expect, type Page, test } from '@playwright/test';
import { CHANNEL_NAMES } from '../client/admin/format.ts';
import { baseURL } from '../playwright.config.ts';
import { formatMoney } from '../shared/fees.ts';
import type { Channel } from '../shared/vocabulary.ts';
import {
  aboutBooking,
  bookingStatus,
  customerSignsIn,
  DEMO_PASSWORD,
  expectAccessible,
  linkIn,
  officeBooks,
  sql,
  waitForMail,
} from './fixtures.ts';
import {
  cancelOpenBooking,
  openAdmin,
  openBooking,
  syncStatus,
  waitUntilOfflineReady,
} from './support/admin-app.ts';
import { useServerGate } from './support/server-gate.ts';

const server = useServerGate();
// A first sync, three people's cancellations and a reload with no server: slow on a busy machine.
test.describe.configure({ timeout: 300_000 });

// The report's default range, the last 30 days in the business's zone, computed by Postgres.
const IN_RANGE = `WITH z AS (SELECT time_zone AS tz, (now() AT TIME ZONE time_zone)::date AS today FROM business_settings),
                      r AS (SELECT (today - 29)::timestamp AT TIME ZONE tz AS from_at,
                                   (today + 1)::timestamp AT TIME ZONE tz AS before_at FROM z)
                  SELECT %s FROM bookings b, r
                   WHERE b.status = 'cancelled' AND b.cancelled_at >= r.from_at AND b.cancelled_at < r.before_at`;
const inRange = (columns: string, rest = '') => `${IN_RANGE.replace('%s', columns)} ${rest}`;

/** The count in a report table's row, by the table's caption and the row's header. */
const cellOf = (page: Page, caption: string, row: string) =>
  page
    .getByRole('table', { name: caption, exact: true })
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: row, exact: true }) })
    .getByRole('cell');

/** RFC 4180, as much as a test needs: quoted cells with doubled quotes, commas and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c !== '"') cell += c;
      else if (text[i + 1] === '"') cell += text[++i];
      else quoted = false;
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',' || c === '\n') {
      row.push(cell);
      cell = '';
      if (c === '\n') {
        rows.push(row);
        row = [];
      }
    } else if (c !== '\r') {
      cell += c;
    }
  }
  return rows;
}

test('Reports › Cancellations: counted offline from the replica, and its rows exported as CSV', async ({
  page,
  browser,
  request,
}) => {
  const tag = `${Date.now() % 100_000}`;
  const byAdmin = await officeBooks('marcus@example.com', 2); // within the next 2 hours
  const byEmailLink = await officeBooks('priya@example.com', 10); // 2–24 hours: the late fee applies
  const inPortal = await officeBooks('jordan@example.com', 72); // 1–7 days
  const byFieldworker = await officeBooks('marcus@example.com', 240); // more than 7 days
  const comments = {
    admin: `Burst pipe in the kitchen; the customer calls back ${tag}`,
    emailLink: `Kitchen is being redone, sorry! ${tag}`,
    portal: `Our kitchen sink got fixed by a neighbour ${tag}`,
    // Quotes, a comma and a formula: the CSV must keep them as text in one cell.
    fieldworker: `=2+2 "kitchen" not ready, van broke down ${tag}`,
  };

  // The office, in the admin app, with a fee.
  await openAdmin(page, server().url);
  await openBooking(page, server().url, byAdmin);
  await cancelOpenBooking(page, comments.admin, 'Late cancellation');
  await expect.poll(() => bookingStatus(byAdmin), { timeout: 90_000 }).toBe('cancelled');

  // The customers: one from the confirmation email's link, one in the portal, signed in.
  const customer = await browser.newContext({ baseURL, viewport: { width: 390, height: 844 } });
  const portal = await customer.newPage();
  const confirmation = await waitForMail(
    request,
    (m) => m.subject.startsWith('Your ') && aboutBooking(byEmailLink)(m),
  );
  await portal.goto(linkIn(confirmation, 'Cancel booking') as string);
  const linkDialog = portal.getByRole('dialog', { name: 'Cancel booking' });
  await expect(linkDialog.getByRole('note', { name: 'Cancellation fee' })).toBeVisible();
  await linkDialog.getByLabel('Why are you cancelling? (required)').fill(comments.emailLink);
  await linkDialog.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(portal.locator('.booking-status')).toContainText('Canceled on');

  await customerSignsIn(portal, 'jordan@example.com');
  await portal.goto(`/portal/bookings/${inPortal}`);
  await portal.getByRole('button', { name: 'Cancel booking' }).click();
  const portalDialog = portal.getByRole('dialog', { name: 'Cancel booking' });
  await portalDialog.getByLabel('Why are you cancelling? (required)').fill(comments.portal);
  await portalDialog.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(portal.locator('.booking-status')).toContainText('Canceled on');
  await customer.close();

  // The fieldworker, through the API the fieldworker app calls (it has no screens yet).
  const signIn = await request.post('/api/trpc/auth.staffSignIn', {
    data: { email: 'alex@example.com', password: DEMO_PASSWORD, app: 'field' },
  });
  expect(signIn.ok(), await signIn.text()).toBe(true);
  const cancel = await request.post('/api/trpc/bookings.cancel', {
    data: { id: byFieldworker, writeId: randomUUID(), comment: comments.fieldworker },
  });
  expect(cancel.ok(), await cancel.text()).toBe(true);

  const channels = await sql<{ id: string; cancel_channel: string }>(
    'SELECT id, cancel_channel FROM bookings WHERE id = ANY($1)',
    [[byAdmin, byEmailLink, inPortal, byFieldworker]],
  );
  expect(Object.fromEntries(channels.map((r) => [r.id, r.cancel_channel]))).toEqual({
    [byAdmin]: 'admin_app',
    [byEmailLink]: 'email_link',
    [inPortal]: 'portal',
    [byFieldworker]: 'field_app',
  });

  // Every cancellation on the server is on the device; then the server goes away.
  const [{ n: cancelled } = { n: -1 }] = await sql<{ n: number }>(
    `SELECT count(*)::int AS n FROM bookings WHERE status = 'cancelled'`,
  );
  await expect
    .poll(
      () =>
        page.evaluate(
          `globalThis.bookingsReplica.query("SELECT count(*)::int AS n FROM bookings WHERE status = 'cancelled' AND pending_write_id IS NULL").then((r) => r[0].n)`,
        ),
      { timeout: 60_000 },
    )
    .toBe(cancelled);
  await waitUntilOfflineReady(page);
  await server().close();
  await page.reload();
  await expect(syncStatus(page)).toContainText('Offline since', { timeout: 90_000 });

  await page.getByRole('link', { name: 'Reports' }).click();
  await expect(page.getByRole('heading', { name: 'Cancellations' })).toBeVisible({ timeout: 30_000 });

  // What the report shows is what Postgres counts for the same 30 days.
  const [{ total } = { total: -1 }] = await sql<{ total: number }>(inRange('count(*)::int AS total'));
  await expect(page.getByRole('status').filter({ hasText: /cancellations? between/ })).toContainText(
    `${total} cancellation`,
  );
  const byChannel = await sql<{ channel: Channel; n: number }>(
    inRange('b.cancel_channel AS channel, count(*)::int AS n', 'GROUP BY 1'),
  );
  for (const channel of ['portal', 'email_link', 'admin_app', 'field_app'] as const) {
    const n = byChannel.find((r) => r.channel === channel)?.n ?? 0;
    expect(n).toBeGreaterThan(0);
    await expect(cellOf(page, 'By channel', CHANNEL_NAMES[channel])).toHaveText(String(n));
  }
  const byNotice = await sql<{ bucket: string; n: number }>(
    `SELECT CASE WHEN h < 2 THEN 'Under 2 hours (or after the start)' WHEN h < 24 THEN '2–24 hours'
                 WHEN h <= 168 THEN '1–7 days' ELSE 'More than 7 days' END AS bucket, count(*)::int AS n
       FROM (${inRange('extract(epoch FROM b.starts_at - b.cancelled_at) / 3600 AS h')}) x GROUP BY 1`,
  );
  for (const bucket of ['Under 2 hours (or after the start)', '2–24 hours', '1–7 days', 'More than 7 days']) {
    const n = byNotice.find((r) => r.bucket === bucket)?.n ?? 0;
    expect(n).toBeGreaterThan(0); // one of ours is in each
    await expect(cellOf(page, 'By notice (how long before the start)', bucket)).toHaveText(String(n));
  }
  const byFieldworkerName = await sql<{ name: string; n: number }>(
    `SELECT coalesce(u.name, 'Not assigned') AS name, count(*)::int AS n
       FROM (${inRange('b.fieldworker_id')}) x LEFT JOIN users u ON u.id = x.fieldworker_id GROUP BY 1`,
  );
  for (const { name, n } of byFieldworkerName)
    await expect(cellOf(page, 'By fieldworker', name)).toHaveText(String(n));
  const fees = await sql<{ currency: string; charged: number; fee: number; tax: number }>(
    inRange(
      'b.currency, count(*)::int AS charged, sum(b.cancel_fee_minor)::int AS fee, sum(coalesce(b.cancel_fee_tax_minor, 0))::int AS tax',
      'AND b.cancel_fee_minor > 0 GROUP BY 1',
    ),
  );
  expect(fees.map((f) => f.currency)).toEqual(['USD']);
  const usd = fees[0] as (typeof fees)[number];
  expect(usd.charged).toBeGreaterThanOrEqual(2); // ours: the office's and the email link's
  await expect(cellOf(page, 'Fees charged', 'Cancellations charged')).toHaveText(String(usd.charged));
  await expect(cellOf(page, 'Fees charged', 'Fees')).toHaveText(formatMoney(usd.fee, 'USD'));
  await expect(cellOf(page, 'Fees charged', 'Tax on the fees')).toHaveText(formatMoney(usd.tax, 'USD'));
  await expect(cellOf(page, 'Fees charged', 'Total')).toHaveText(formatMoney(usd.fee + usd.tax, 'USD'));
  await expect(cellOf(page, 'Words the comments use most', 'kitchen')).toHaveText('4');
  await expect(page.getByRole('img', { name: /^Bar chart of cancellations by notice: / })).toBeVisible();
  await expect(page.locator('.bar-chart svg .ct-bar')).toHaveCount(4);

  // Phone-sized: nothing wider than the screen; and accessible.
  const wider = await page.evaluate(() =>
    [...document.querySelectorAll('main *')]
      .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
      .map((e) => `${e.tagName.toLowerCase()}.${e.getAttribute('class') ?? ''}`),
  );
  expect(wider, 'elements wider than the phone').toEqual([]);
  await expectAccessible(page);
  await page.screenshot({ path: 'docs/screenshots/admin-report.png', fullPage: true });

  // The CSV, still offline: the rows behind the report, named by its range.
  const from = await page.getByLabel('From').inputValue();
  const to = await page.getByLabel('To').inputValue();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`cancellations-${from}-to-${to}.csv`);
  const file = await readFile(await download.path(), 'utf8');
  expect(file.startsWith('\uFEFF')).toBe(true); // so a spreadsheet reads it as UTF-8
  const [header, ...rows] = parseCsv(file.slice(1));
  const [{ tz } = { tz: '' }] = await sql<{ tz: string }>('SELECT time_zone AS tz FROM business_settings');
  expect(header).toEqual([
    `Canceled at (${tz})`,
    `Starts at (${tz})`,
    'Notice (hours)',
    'Notice',
    'Channel',
    'Canceled by',
    'Service',
    'Fieldworker',
    'Fee',
    'Fee amount',
    'Fee tax',
    'Currency',
    'Comment',
    'Booking id',
  ]);
  expect(rows).toHaveLength(total);
  const rowOf = (id: string) => {
    const row = rows.find((r) => r[13] === id);
    expect(row, `a row for booking ${id}`).toBeDefined();
    const [, , , notice, channel, role, service, fieldworker, fee, amount, tax, currency, comment] =
      row as string[];
    return { notice, channel, role, service, fieldworker, fee, amount, tax, currency, comment };
  };
  const common = { service: 'Appliance repair', fieldworker: 'Alex Morgan', currency: 'USD' };
  const lateFee = { fee: 'Late cancellation', amount: '25.00', tax: '2.00' };
  const noFee = { fee: '', amount: '', tax: '' };
  expect(rowOf(byAdmin)).toEqual({
    ...common,
    ...lateFee,
    notice: 'Under 2 hours (or after the start)',
    channel: 'Admin app',
    role: 'admin',
    comment: comments.admin,
  });
  expect(rowOf(byEmailLink)).toEqual({
    ...common,
    ...lateFee,
    notice: '2–24 hours',
    channel: 'Email link',
    role: 'customer',
    comment: comments.emailLink,
  });
  expect(rowOf(inPortal)).toEqual({
    ...common,
    ...noFee,
    notice: '1–7 days',
    channel: 'Customer portal',
    role: 'customer',
    comment: comments.portal,
  });
  expect(rowOf(byFieldworker)).toEqual({
    ...common,
    ...noFee,
    notice: 'More than 7 days',
    channel: 'Fieldworker app',
    role: 'fieldworker',
    comment: `'${comments.fieldworker}`, // a leading ' : shown as text, never run as a formula
  });

  // A range with nothing in it says so, in words.
  await page.getByLabel('From').fill('2020-01-01');
  await page.getByLabel('To').fill('2020-01-31');
  await expect(page.getByText('No cancellations between Jan 1, 2020 and Jan 31, 2020.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Download CSV' })).toHaveCount(0);
});
