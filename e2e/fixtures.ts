// What the end-to-end specs share: the dev mailbox read as JSON, links pulled out of
// emails, the admin API, and plain SQL against the e2e server's own embedded Postgres
// (the office booking a job the way any other system would: a row in `bookings`, and the
// trigger sends the confirmation).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type APIRequestContext, expect, type Page } from '@playwright/test';
import pg from 'pg';

export const E2E_DATA_DIR = '.tmp/e2e-data';
export const DEMO_PASSWORD = 'demo-password';

export interface Mail {
  id: number;
  to: string;
  subject: string;
  text: string;
  html: string | null;
}

export async function sql<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
  const password = readFileSync(path.join(E2E_DATA_DIR, 'pg-password'), 'utf8').trim();
  // The server records the port its embedded Postgres took (54329, or a free one if that is busy).
  const port = Number(readFileSync(path.join(E2E_DATA_DIR, 'pg-port'), 'utf8'));
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password,
    database: 'bookings',
  });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** A new upcoming booking for a demo customer, as the office's systems would insert it. */
export async function officeBooks(customerEmail: string, startsInHours = 72): Promise<string> {
  const [row] = await sql<{ id: string }>(
    `INSERT INTO bookings (customer_id, service_id, fieldworker_id, status, starts_at, ends_at, address, price_minor, currency)
     SELECT c.id, s.id, u.id, 'scheduled', date_trunc('hour', now()) + make_interval(hours => $2),
            date_trunc('hour', now()) + make_interval(hours => $2 + 2), c.address, s.price_minor, 'USD'
       FROM customers c, services s, users u
      WHERE c.email = $1 AND s.name = 'Appliance repair' AND u.email = 'alex@example.com'
     RETURNING id`,
    [customerEmail, startsInHours],
  );
  return row?.id as string;
}

export const bookingStatus = async (id: string) =>
  (await sql<{ status: string }>('SELECT status FROM bookings WHERE id = $1', [id]))[0]?.status;

/** Every email in the dev mailbox, newest first. */
export async function mailbox(request: APIRequestContext): Promise<Mail[]> {
  return ((await (await request.get('/dev/mailbox.json')).json()) as { messages: Mail[] }).messages;
}

/** The id of the newest email so far, to wait for mail that arrives after it. */
export const newestMailId = async (request: APIRequestContext) => (await mailbox(request))[0]?.id ?? 0;

/** Waits for an email newer than `afterId` that matches; the newest such one. */
export async function waitForMail(
  request: APIRequestContext,
  match: (m: Mail) => boolean,
  afterId = 0,
): Promise<Mail> {
  let found: Mail | undefined;
  await expect
    .poll(
      async () => {
        found = (await mailbox(request)).find((m) => m.id > afterId && match(m));
        return Boolean(found);
      },
      { timeout: 15_000 },
    )
    .toBe(true);
  return found as Mail;
}

export const aboutBooking = (id: string) => (m: Mail) => m.text.includes(`/portal/bookings/${id}?`);

/** The first link in an email's text part whose line starts with `label:`. */
export function linkIn(mail: Mail, label: string): string | undefined {
  return new RegExp(`^${label}: (\\S+)$`, 'm').exec(mail.text)?.[1];
}

/** Calls a tRPC mutation as the demo admin (the API context keeps the session cookie). */
export async function asAdmin(
  request: APIRequestContext,
  procedure: string,
  input: unknown,
): Promise<unknown> {
  const signIn = await request.post('/api/trpc/auth.staffSignIn', {
    data: { email: 'admin@example.com', password: DEMO_PASSWORD, app: 'admin' },
  });
  expect(signIn.ok()).toBe(true);
  const response = await request.post(`/api/trpc/${procedure}`, { data: input });
  expect(response.ok(), await response.text()).toBe(true);
  return (await response.json()).result.data;
}

/**
 * No serious or critical accessibility violations on the page as it is now. `exclude`: parts
 * that are not the app's own (an email's preview in a sandboxed frame, where axe cannot run).
 */
export async function expectAccessible(page: Page, exclude: string[] = []): Promise<void> {
  const builder = new AxeBuilder({ page });
  for (const selector of exclude) builder.exclude(selector);
  const { violations } = await builder.analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
  ).toEqual([]);
}

/** Signs the demo customer in through an emailed link, as a person would. */
export async function customerSignsIn(page: Page, email = 'jordan@example.com'): Promise<void> {
  const before = await newestMailId(page.request);
  await page.goto('/portal/');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'a sign-in link is on its way' })).toBeVisible();
  const mail = await waitForMail(
    page.request,
    (m) => m.to === email && m.subject.startsWith('Your sign-in link'),
    before,
  );
  // Open it the way a person trying the product does: from the dev mailbox page.
  await page.goto('/dev/mailbox');
  const article = page.getByRole('article', { name: mail.subject }).first();
  await article.frameLocator('iframe').getByRole('link', { name: 'Sign in to see your bookings' }).click();
  await expect(page).toHaveURL(linkIn(mail, 'Sign in to see your bookings') as string);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'My bookings' })).toBeVisible();
}

/** How many audit events of `kind` a booking has on the server. */
export const eventsOf = async (id: string, kind: string) =>
  (
    await sql<{ n: number }>(
      'SELECT count(*)::int AS n FROM booking_events WHERE booking_id = $1 AND kind = $2',
      [id, kind],
    )
  )[0]?.n;
