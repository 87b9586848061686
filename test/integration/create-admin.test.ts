// `npm run create-admin`: the account rules (server/auth/staff-accounts.ts) and the command
// itself, at a terminal (password asked twice, never shown) and without one (a one-time link).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAdmin,
  createAdminWithLink,
  PASSWORDS_DIFFER,
  passwordProblem,
  peekPasswordLink,
  setPasswordFromLink,
} from '../../server/auth/staff-accounts.ts';
import { createPool, type Pool } from '../../server/db/pool.ts';
import { createAdminAtTerminal, createAdminCommand } from './cli-helpers.ts';
import { callerFor, freshDatabase } from './helpers.ts';

let databaseUrl: string;
let pool: Pool;
beforeAll(async () => {
  databaseUrl = await freshDatabase();
  pool = createPool(databaseUrl);
});
afterAll(() => pool.end());

const signIn = (email: string, password: string) =>
  callerFor(pool, null).auth.staffSignIn({ email, password, app: 'admin' });
const accounts = async (email: string) =>
  (await pool.query('SELECT 1 FROM users WHERE lower(email) = lower($1)', [email])).rowCount;
const GOOD = 'correct horse battery staple';

describe('the password rules', () => {
  it.each([
    ['short1234', 'Choose a password of at least 10 characters.'],
    ['password123', 'That password is one of the first ones anyone would guess. Choose another.'],
    ['QWERTYUIOP', 'That password is one of the first ones anyone would guess. Choose another.'],
    ['zzzzzzzzzzzz', 'That password is one of the first ones anyone would guess. Choose another.'],
    ['Owner@Example.org', 'The password must not be the email address. Choose another.'],
    ['x'.repeat(201), 'That password is too long.'],
    [GOOD, null],
  ])('%s: %s', (password, problem) => {
    expect(passwordProblem(password, 'owner@example.org')).toBe(problem);
  });
});

describe('an admin with a password', () => {
  it('is created and signs in; the same email (any case) is refused with a sentence', async () => {
    const created = await createAdmin(pool, {
      email: 'first@example.org',
      name: ' First Admin ',
      password: GOOD,
    });
    expect(created).toMatchObject({ status: 'created', email: 'first@example.org', name: 'First Admin' });
    expect(await signIn('first@example.org', GOOD)).toEqual({ role: 'admin' });
    expect(
      await createAdmin(pool, { email: 'FIRST@example.org', name: 'Again', password: `${GOOD}!` }),
    ).toEqual({ status: 'refused', reason: 'There is already an account for FIRST@example.org.' });
  });

  it('is not created with a weak password or a bad email', async () => {
    expect(
      await createAdmin(pool, { email: 'weak@example.org', name: 'Weak', password: 'letmein123' }),
    ).toEqual({
      status: 'refused',
      reason: 'That password is one of the first ones anyone would guess. Choose another.',
    });
    expect(await accounts('weak@example.org')).toBe(0);
    expect(await createAdmin(pool, { email: 'not-an-email', name: 'X', password: GOOD })).toEqual({
      status: 'refused',
      reason: 'Enter a valid email address, like name@example.com.',
    });
  });
});

describe('an admin with a set-password link', () => {
  it('cannot sign in until the link sets a password; the link works once', async () => {
    const issued = await createAdminWithLink(pool, { email: 'linked@example.org', name: 'Linked' });
    if (issued.status === 'refused') throw new Error(issued.reason);
    expect(issued.status).toBe('created');
    expect(issued.expiresAt.getTime() - Date.now()).toBeGreaterThan(23 * 3_600_000);
    await expect(signIn('linked@example.org', GOOD)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });

    // Looking at the link (the page) uses nothing up.
    expect(await peekPasswordLink(pool, issued.token)).toMatchObject({
      status: 'valid',
      email: 'linked@example.org',
    });
    expect(await peekPasswordLink(pool, issued.token)).toMatchObject({ status: 'valid' });
    // A refused password leaves the link working.
    const set = (password: string, repeat = password) =>
      setPasswordFromLink(pool, { token: issued.token, password, repeat });
    expect(await set('linked@example.org')).toEqual({
      status: 'refused',
      reason: 'The password must not be the email address. Choose another.',
    });
    expect(await set(GOOD, `${GOOD}.`)).toEqual({ status: 'refused', reason: PASSWORDS_DIFFER });
    expect(await set(GOOD)).toEqual({ status: 'set', email: 'linked@example.org', role: 'admin' });
    expect(await signIn('linked@example.org', GOOD)).toEqual({ role: 'admin' });

    expect(await set(`${GOOD} again`)).toEqual({ status: 'invalid' });
    expect(await peekPasswordLink(pool, issued.token)).toEqual({ status: 'invalid' });
    // The account has a password now: no new link for it from create-admin.
    expect(await createAdminWithLink(pool, { email: 'linked@example.org', name: 'Linked' })).toEqual({
      status: 'refused',
      reason: 'There is already an account for linked@example.org.',
    });
  });

  it('expires; asking again for an account that never set its password replaces the link', async () => {
    const dayAndMore = new Date(Date.now() - 25 * 3_600_000);
    const old = await createAdminWithLink(pool, { email: 'late@example.org', name: 'Late' }, dayAndMore);
    if (old.status === 'refused') throw new Error(old.reason);
    expect(await peekPasswordLink(pool, old.token)).toEqual({ status: 'invalid' });

    const fresh = await createAdminWithLink(pool, { email: 'late@example.org', name: 'Late' });
    if (fresh.status === 'refused') throw new Error(fresh.reason);
    expect(fresh.status).toBe('renewed');
    expect(await peekPasswordLink(pool, fresh.token)).toMatchObject({ status: 'valid' });
    expect(await accounts('late@example.org')).toBe(1);
  });

  it('a forged or malformed token opens nothing', async () => {
    expect(await peekPasswordLink(pool, 'A'.repeat(43))).toEqual({ status: 'invalid' });
    expect(await setPasswordFromLink(pool, { token: 'nope', password: GOOD, repeat: GOOD })).toEqual({
      status: 'invalid',
    });
  });
});

describe('npm run create-admin', () => {
  const env = () => ({ DATABASE_URL: databaseUrl });

  it('at a terminal: asks for the password twice without showing it, then the admin signs in', async () => {
    const { code, screen } = await createAdminAtTerminal(
      ['--email', 'typed@example.org', '--name', "Dana O'Brien"],
      env(),
      [GOOD, GOOD],
    );
    expect(screen).toContain('Password for typed@example.org (at least 10 characters, not shown): ');
    expect(screen).toContain('The same password again: ');
    expect(screen).not.toContain(GOOD);
    expect(screen).toContain("Created the admin Dana O'Brien <typed@example.org>.");
    expect(code).toBe(0);
    expect(await signIn('typed@example.org', GOOD)).toEqual({ role: 'admin' });
  });

  it('at a terminal: refuses a weak password, and two different ones, with a sentence and exit code 1', async () => {
    const weak = await createAdminAtTerminal(['--email', 'w@example.org', '--name', 'W'], env(), [
      'password123',
    ]);
    expect(weak.code).toBe(1);
    expect(weak.screen).toContain(
      'That password is one of the first ones anyone would guess. Choose another.',
    );
    const differ = await createAdminAtTerminal(['--email', 'w@example.org', '--name', 'W'], env(), [
      GOOD,
      `${GOOD}!`,
    ]);
    expect(differ.code).toBe(1);
    expect(differ.screen).toContain(PASSWORDS_DIFFER);
    for (const { screen } of [weak, differ]) expect(screen).not.toMatch(/\n\s+at /);
    expect(await accounts('w@example.org')).toBe(0);
  });

  it('without a terminal: prints a one-time link; an email already in use is refused, exit code 1', async () => {
    const printed = await createAdminCommand(['--email', 'piped@example.org', '--name', 'Piped'], {
      ...env(),
      PUBLIC_URL: 'https://bookings.example.org',
    });
    expect(printed.stderr).toBe('');
    expect(printed.code).toBe(0);
    const link = /(https:\/\/bookings\.example\.org\/set-password\?token=([\w-]{43}))\n/.exec(printed.stdout);
    expect(link).not.toBeNull();
    expect(await peekPasswordLink(pool, link?.[2] as string)).toMatchObject({ email: 'piped@example.org' });

    const again = await createAdminCommand(['--email', 'first@example.org', '--name', 'X', '--link'], env());
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe('There is already an account for first@example.org.');
  });

  it('explains a missing argument', async () => {
    const result = await createAdminCommand(['--email', 'x@example.org'], env());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Give the new admin's --name\.\n\nUsage: npm run create-admin -- --email/);
  });
});
