// Staff through the admin API (staff.*), with the real worker sending over real SMTP to a
// capture: an invitation's emailed link sets a password and opens the right app; a deactivated
// person is signed out at once and keeps their bookings; nobody deactivates or demotes the
// last admin, not even two admins racing each other; a reset link works once and replaces the
// one before; only admins may do any of it.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findSession, SESSION_COOKIE, type Session } from '../../server/auth/sessions.ts';
import { peekPasswordLink, setPasswordFromLink } from '../../server/auth/staff-accounts.ts';
import type { RunningServer } from '../../server/boot.ts';
import { DEMO_PASSWORD, DEMO_SIGN_INS } from '../../server/demo/seed-demo.ts';
import { STAFF_REFUSALS } from '../../shared/outcomes.ts';
import type { StaffRole } from '../../shared/vocabulary.ts';
import { type SmtpCapture, startSmtpCapture } from '../support/smtp-capture.ts';
import { callerFor, eventually, sessionOf, startTestServer, testCookies } from './helpers.ts';

let smtp: SmtpCapture;
let server: RunningServer;
beforeAll(async () => {
  smtp = await startSmtpCapture();
  server = await startTestServer({ SMTP_URL: smtp.url });
});
afterAll(async () => {
  await server.stop();
  await smtp.stop();
});
beforeEach(() => {
  smtp.messages.length = 0;
});

const pool = () => server.pool;
const asAdmin = async () => callerFor(pool(), await sessionOf(pool(), DEMO_SIGN_INS.admin));
const write = () => ({ writeId: randomUUID() });
const newEmail = (who: string) => `${who}-${randomUUID().slice(0, 8)}@example.org`;

/** The set-password token in the newest email to `to` whose subject matches. */
async function emailedToken(to: string, subject: RegExp): Promise<string> {
  const mail = await eventually(async () =>
    smtp.messages.findLast((m) => m.to === to && subject.test(m.subject)),
  );
  const token = /\/set-password\?token=([\w-]+)/.exec(mail.text)?.[1];
  if (!token) throw new Error(`No set-password link in: ${mail.text}`);
  expect(mail.html).toContain(`/set-password?token=${token}`);
  return token;
}

type StaffSession = Extract<Session, { userId: string }>;

/** A staff member's session, as sessionOf gives it, typed as staff. */
async function staffOf(email: string): Promise<StaffSession> {
  const session = await sessionOf(pool(), email);
  if (session.role === 'customer') throw new Error(`${email} is a customer, not staff`);
  return session;
}

/** Signs in with a password, as the app would; the session's cookie value. */
async function signIn(email: string, password: string, app: 'admin' | 'field'): Promise<string> {
  const cookies = testCookies();
  await callerFor(pool(), null, { cookies }).auth.staffSignIn({ email, password, app });
  const token = cookies.get(SESSION_COOKIE);
  if (!token) throw new Error('Signed in without a session cookie');
  return token;
}

/** A staff member invited by the demo admin who has set their password; their session object. */
async function joined(
  role: StaffRole,
  password = 'a-good-long-password',
): Promise<StaffSession & { password: string }> {
  const api = await asAdmin();
  const email = newEmail(role);
  await api.staff.invite({ ...write(), email, name: `New ${role}`, role });
  const token = await emailedToken(email, /invited/);
  expect(await setPasswordFromLink(pool(), { token, password, repeat: password })).toMatchObject({
    status: 'set',
  });
  return { ...(await staffOf(email)), password };
}

describe('staff.invite', () => {
  it('emails a single-use link that sets the password and opens the fieldworker app', async () => {
    const api = await asAdmin();
    const email = newEmail('fiona');
    const invite = { ...write(), email, name: 'Fiona Field', role: 'fieldworker' as const };
    const first = await api.staff.invite(invite);
    expect(first).toMatchObject({
      status: 'invited',
      member: { email, name: 'Fiona Field', role: 'fieldworker' },
    });
    // A repeat (a reply lost on the way) gets the first answer and sends nothing more.
    expect(await api.staff.invite(invite)).toEqual(first);

    const token = await emailedToken(email, /invited to/);
    const mail = smtp.messages.find((m) => m.to === email);
    expect(mail?.text).toContain('Hello Fiona Field');
    expect(mail?.text).toContain('fieldworker app');
    expect(await peekPasswordLink(pool(), token)).toMatchObject({ status: 'valid', role: 'fieldworker' });
    // Nobody can sign in before the link is used.
    await expect(signIn(email, 'a-good-long-password', 'field')).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });

    const set = { token, password: 'a-good-long-password', repeat: 'a-good-long-password' };
    expect(await setPasswordFromLink(pool(), set)).toEqual({ status: 'set', email, role: 'fieldworker' });
    expect(await signIn(email, 'a-good-long-password', 'field')).toBeTruthy();
    expect(await setPasswordFromLink(pool(), set)).toEqual({ status: 'invalid' }); // once only
    await new Promise((r) => setTimeout(r, 500));
    expect(smtp.messages.filter((m) => m.to === email)).toHaveLength(1);
  });

  it('invites again someone who never used their link, and only the newest link works', async () => {
    const api = await asAdmin();
    const email = newEmail('late');
    await api.staff.invite({ ...write(), email, name: 'Late Larry', role: 'admin' });
    const old = await emailedToken(email, /invited/);
    smtp.messages.length = 0;
    expect(await api.staff.invite({ ...write(), email, name: 'Late Larry', role: 'admin' })).toMatchObject({
      status: 'invited_again',
    });
    const fresh = await emailedToken(email, /invited/);
    expect(fresh).not.toBe(old);
    expect(await peekPasswordLink(pool(), old)).toEqual({ status: 'invalid' });
    expect(await peekPasswordLink(pool(), fresh)).toMatchObject({ status: 'valid', role: 'admin' });
  });

  it('refuses an email that already has an account, in any case, and bad input in words', async () => {
    const api = await asAdmin();
    await expect(
      api.staff.invite({
        ...write(),
        email: DEMO_SIGN_INS.fieldworkers[0].toUpperCase(),
        name: 'Sam',
        role: 'admin',
      }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/^There is already an account for/),
    });
    await expect(
      api.staff.invite({ ...write(), email: 'not an email', name: 'X', role: 'fieldworker' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/email/i) });
    await expect(
      // @ts-expect-error: a role the API does not know
      api.staff.invite({ ...write(), email: newEmail('x'), name: 'X', role: 'owner' }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('Choose admin or fieldworker'),
    });
  });
});

describe('staff.setActive', () => {
  it('signs a deactivated person out at once, keeps their bookings assigned, and lets them back', async () => {
    const api = await asAdmin();
    const alex = await staffOf(DEMO_SIGN_INS.fieldworkers[1]);
    const session = await signIn(alex.email, DEMO_PASSWORD, 'field');
    const assigned = async () =>
      (await pool().query('SELECT count(*)::int AS n FROM bookings WHERE fieldworker_id = $1', [alex.userId]))
        .rows[0].n;
    const before = await assigned();
    expect(before).toBeGreaterThan(0);

    const off = await api.staff.setActive({ ...write(), id: alex.userId, active: false });
    expect(off).toMatchObject({ status: 'changed', member: { active: false } });
    expect(off.upcomingBookings).toBeGreaterThan(0);
    expect(await findSession(pool(), session)).toBeNull();
    await expect(signIn(alex.email, DEMO_PASSWORD, 'field')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await assigned()).toBe(before);
    await expect(api.staff.sendPasswordLink({ ...write(), id: alex.userId })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: STAFF_REFUSALS.inactive(alex.name),
    });

    await api.staff.setActive({ ...write(), id: alex.userId, active: true });
    expect(await signIn(alex.email, DEMO_PASSWORD, 'field')).toBeTruthy();
  });

  it('never leaves the business without an active admin, even when two admins race', async () => {
    const demoAdmin = await staffOf(DEMO_SIGN_INS.admin);
    await expect(
      (await asAdmin()).staff.setActive({ ...write(), id: demoAdmin.userId, active: false }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN', message: STAFF_REFUSALS.ownAccount });
    await expect(
      (await asAdmin()).staff.changeRole({ ...write(), id: demoAdmin.userId, role: 'fieldworker' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN', message: STAFF_REFUSALS.ownRole });

    const other = await joined('admin');
    const activeAdmins = async () =>
      (await pool().query(`SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND active`)).rows[0].n;
    // Every admin but these two is switched off, so the race is between the last two.
    await pool().query(`UPDATE users SET active = false WHERE role = 'admin' AND id <> ALL($1)`, [
      [demoAdmin.userId, other.userId],
    ]);
    try {
      const results = await Promise.allSettled([
        callerFor(pool(), demoAdmin).staff.setActive({ ...write(), id: other.userId, active: false }),
        callerFor(pool(), other).staff.setActive({ ...write(), id: demoAdmin.userId, active: false }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r) => r.status === 'rejected');
      expect(refused?.reason).toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining('last active admin'),
      });
      expect(await activeAdmins()).toBe(1);

      // The one left cannot be demoted either.
      const [loser, winner] = results[0].status === 'fulfilled' ? [other, demoAdmin] : [demoAdmin, other];
      await expect(
        callerFor(pool(), loser).staff.changeRole({ ...write(), id: winner.userId, role: 'fieldworker' }),
      ).rejects.toMatchObject({ code: 'CONFLICT', message: STAFF_REFUSALS.lastAdmin(winner.name) });
    } finally {
      await pool().query(`UPDATE users SET active = true WHERE role = 'admin'`);
    }
  });
});

describe('staff.changeRole', () => {
  it('ends the sessions of someone whose role changes, so they sign in to the other app', async () => {
    const person = await joined('fieldworker');
    const session = await signIn(person.email, person.password, 'field');
    const api = await asAdmin();
    expect(await api.staff.changeRole({ ...write(), id: person.userId, role: 'admin' })).toMatchObject({
      member: { role: 'admin' },
    });
    expect(await findSession(pool(), session)).toBeNull();
    await expect(signIn(person.email, person.password, 'field')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await signIn(person.email, person.password, 'admin')).toBeTruthy();
  });
});

describe('staff.sendPasswordLink', () => {
  it('emails a reset link; the old password works until it is used, and only the newest link works', async () => {
    const person = await joined('fieldworker');
    const api = await asAdmin();
    await api.staff.sendPasswordLink({ ...write(), id: person.userId });
    const first = await emailedToken(person.email, /new password/);
    const session = await signIn(person.email, person.password, 'field'); // still the old password
    await api.staff.sendPasswordLink({ ...write(), id: person.userId });
    const second = await eventually(async () => {
      const token = await emailedToken(person.email, /new password/);
      return token !== first && token;
    });
    expect(await peekPasswordLink(pool(), first)).toEqual({ status: 'invalid' });
    const fresh = 'another-long-password';
    await setPasswordFromLink(pool(), { token: second, password: fresh, repeat: fresh });
    expect(await findSession(pool(), session)).toBeNull(); // a new password signs out everywhere
    await expect(signIn(person.email, person.password, 'field')).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    expect(await signIn(person.email, fresh, 'field')).toBeTruthy();
  });
});

describe('staff.* for anyone but an admin', () => {
  it('is refused to fieldworkers and customers', async () => {
    const sam = await sessionOf(pool(), DEMO_SIGN_INS.fieldworkers[0]);
    const customer = await sessionOf(pool(), DEMO_SIGN_INS.customer);
    for (const who of [sam, customer]) {
      await expect(
        callerFor(pool(), who).staff.invite({ ...write(), email: newEmail('x'), name: 'X', role: 'admin' }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
  });
});
