// Running it for real: `npm run create-admin … --link` prints a one-time link; the new admin
// opens it, is told what is wrong with a weak password, sets a good one, and signs in.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { E2E_DATA_DIR, expectAccessible } from './fixtures.ts';

const shot = (name: string) => ({ path: `docs/screenshots/${name}.png`, fullPage: true });

test('a new admin sets their password from the create-admin link and signs in', async ({ page, baseURL }) => {
  const email = `new-admin-${randomUUID().slice(0, 8)}@example.com`;
  // The command as a person runs it beside the server: same data folder, no terminal.
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', 'server/cli/create-admin.ts', '--email', email, '--name', 'Noor Haddad', '--link'],
    {
      env: { ...process.env, DATA_DIR: E2E_DATA_DIR, PUBLIC_URL: baseURL as string, LOG_LEVEL: 'warn' },
      encoding: 'utf8',
    },
  );
  const link = /(http\S+\/set-password\?token=\S+)/.exec(output)?.[1];
  expect(link, output).toBeTruthy();

  await page.goto(link as string);
  await expect(page.getByRole('heading', { name: 'Set your password' })).toBeVisible();
  await expect(page.getByText(`For Noor Haddad (${email})`)).toBeVisible();
  await expectAccessible(page);
  await page.screenshot(shot('set-password'));

  await page.getByLabel('New password').fill('password123');
  await page.getByLabel('The same password again').fill('password123');
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page.getByLabel('New password')).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page);
  await page.screenshot(shot('set-password-refused'));

  const password = 'copper kettle on the hill';
  await page.getByLabel('New password').fill(password);
  await page.getByLabel('The same password again').fill(password);
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByRole('status')).toHaveText(`You can now sign in as ${email}.`);
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Sign in to the admin app' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // The admin app opens her replica on this device first (PGlite's files on a first visit).
  await expect(page.getByText('Signed in as Noor Haddad.')).toBeVisible({ timeout: 90_000 });

  // Used once, the link is spent.
  await page.goto(link as string);
  await expect(page.getByRole('heading', { name: 'This link no longer works' })).toBeVisible();
  await expectAccessible(page);
});
