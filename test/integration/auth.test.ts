// Staff sign-in with a password, customers with an emailed link, sessions and sign-out,
// and the rate limits on all of them, against the real database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userMessage } from '../../server/api/trpc.ts';
import { issueLinkToken } from '../../server/auth/link-tokens.ts';
import { addressKey, createRateLimits } from '../../server/auth/rate-limit.ts';
import { findSession, SESSION_COOKIE } from '../../server/auth/sessions.ts';
import type { Pool } from '../../server/db/pool.ts';
import { DEMO_PASSWORD, DEMO_SIGN_INS } from '../../server/demo/seed-demo.ts';
import { callerFor, seededPool, sessionOf, testCookies } from './helpers.ts';

let pool: Pool;
beforeAll(async () => {
  pool = await seededPool();
});
afterAll(() => pool.end());

/** The pool, with the text of every statement run through `query` recorded in order. */
function recordingPool(target: Pool): { pool: Pool; statements: string[] } {
  const statements: string[] = [];
  const query = (text: string | { text: string }, ...rest: unknown[]) => {
    statements.push(typeof text === 'string' ? text : text.text);
    return (target.query as (...args: unknown[]) => unknown).call(target, text, ...rest);
  };
  const proxy = new Proxy(target, {
    get: (object, key) => (key === 'query' ? query : Reflect.get(object, key, object)),
  });
  return { pool: proxy, statements };
}

const admin = DEMO_SIGN_INS.admin;
const sam = DEMO_SIGN_INS.fieldworkers[0];

describe('staff sign-in', () => {
  it('signs the admin in with a server-side session that sign-out ends', async () => {
    const cookies = testCookies();
    const api = callerFor(pool, null, { cookies });
    expect(await api.auth.staffSignIn({ email: admin, password: DEMO_PASSWORD, app: 'admin' })).toEqual({
      role: 'admin',
    });
    const token = cookies.get(SESSION_COOKIE);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const session = await findSession(pool, token);
    expect(session).toMatchObject({ role: 'admin', email: admin });
    // Only the hash is stored: the cookie value is nowhere in the table.
    const raw = await pool.query(
      'SELECT count(*)::int AS n FROM sessions WHERE encode(token_hash, $1) = $2',
      ['escape', token],
    );
    expect(raw.rows[0].n).toBe(0);

    await callerFor(pool, session, { cookies }).auth.signOut();
    expect(cookies.get(SESSION_COOKIE)).toBeUndefined();
    expect(await findSession(pool, token)).toBeNull();
  });

  it('gives one answer for a wrong password and for an unknown email', async () => {
    const api = callerFor(pool, null);
    const wrong = api.auth.staffSignIn({ email: admin, password: 'not-it', app: 'admin' });
    await expect(wrong).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      message: 'That email and password do not match an account.',
    });
    const unknown = api.auth.staffSignIn({ email: 'nobody@example.com', password: 'not-it', app: 'admin' });
    await expect(unknown).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      message: 'That email and password do not match an account.',
    });
    expect((await pool.query('SELECT count(*)::int AS n FROM sessions')).rows[0].n).toBe(0);
  });

  it('sends a fieldworker to the fieldworker app, and not into the admin app', async () => {
    const cookies = testCookies();
    const api = callerFor(pool, null, { cookies });
    await expect(
      api.auth.staffSignIn({ email: sam, password: DEMO_PASSWORD, app: 'admin' }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'This account signs in to the fieldworker app (/field/).',
    });
    expect(cookies.get(SESSION_COOKIE)).toBeUndefined();
    expect(await api.auth.staffSignIn({ email: sam, password: DEMO_PASSWORD, app: 'field' })).toEqual({
      role: 'fieldworker',
    });
  });

  it('rate-limits repeated failures with a readable message, even before the right password', async () => {
    const api = callerFor(pool, null, { rateLimits: createRateLimits(), ip: '203.0.113.9' });
    for (let i = 0; i < 5; i++) {
      await expect(
        api.auth.staffSignIn({ email: admin, password: `guess-${i}`, app: 'admin' }),
      ).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
      });
    }
    await expect(
      api.auth.staffSignIn({ email: admin, password: DEMO_PASSWORD, app: 'admin' }),
    ).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      message: expect.stringMatching(/^Too many attempts\. Please wait 1[45] minutes and try again\.$/),
    });
  });

  it('lets the right password in from a clean address while others guess it elsewhere', async () => {
    const rateLimits = createRateLimits();
    const from = (ip: string) => callerFor(pool, null, { rateLimits, ip });
    // Five wrong passwords for the admin from each of ten addresses: far past any per-email count.
    const answers: string[] = [];
    for (let host = 1; host <= 10; host++) {
      for (let i = 0; i < 5; i++) {
        const error = await from(`198.51.100.${host}`)
          .auth.staffSignIn({ email: admin, password: `guess-${i}`, app: 'admin' })
          .catch((e: { code: string }) => e);
        answers.push((error as { code: string }).code);
      }
    }
    // The first 20 are checked; after that each new address gets one guess, not five.
    expect(answers.filter((code) => code === 'UNAUTHORIZED')).toHaveLength(20 + 6);
    expect(answers.filter((code) => code === 'TOO_MANY_REQUESTS')).toHaveLength(50 - 26);
    // The admin, at the office, is not locked out.
    const cookies = testCookies();
    expect(
      await callerFor(pool, null, { rateLimits, ip: '198.51.100.200', cookies }).auth.staffSignIn({
        email: admin,
        password: DEMO_PASSWORD,
        app: 'admin',
      }),
    ).toEqual({ role: 'admin' });
    expect(await findSession(pool, cookies.get(SESSION_COOKIE))).toMatchObject({ role: 'admin' });
    // A guessing address is stopped, right password or not.
    await expect(
      from('198.51.100.1').auth.staffSignIn({ email: admin, password: DEMO_PASSWORD, app: 'admin' }),
    ).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    // While the account is under attack, a new address gets one guess, not five.
    await expect(
      from('198.51.100.77').auth.staffSignIn({ email: admin, password: 'guess-x', app: 'admin' }),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(
      from('198.51.100.77').auth.staffSignIn({ email: admin, password: 'guess-y', app: 'admin' }),
    ).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      message: expect.stringMatching(/^Too many attempts\. Please wait \d+ minutes? and try again\.$/),
    });
  });

  it('does not charge successful sign-ins: thirty in a row from one address all work', async () => {
    const api = callerFor(pool, null, { rateLimits: createRateLimits(), ip: '192.0.2.30' });
    for (let i = 0; i < 30; i++) {
      expect(await api.auth.staffSignIn({ email: sam, password: DEMO_PASSWORD, app: 'field' })).toEqual({
        role: 'fieldworker',
      });
    }
  });

  it('limits an address that keeps guessing across many accounts, with a readable message', async () => {
    const api = callerFor(pool, null, { rateLimits: createRateLimits(), ip: '192.0.2.99' });
    for (let i = 0; i < 50; i++) {
      await expect(
        api.auth.staffSignIn({ email: `someone-${i}@example.com`, password: 'guess', app: 'admin' }),
      ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    }
    await expect(
      api.auth.staffSignIn({ email: admin, password: DEMO_PASSWORD, app: 'admin' }),
    ).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      message: expect.stringMatching(/^Too many attempts\. Please wait 1[45] minutes and try again\.$/),
    });
  });

  it('refuses malformed input with messages a person can act on', async () => {
    const api = callerFor(pool, null);
    const error = await api.auth
      .staffSignIn({ email: 'not-an-email', password: '', app: 'admin' })
      .catch((e) => e);
    expect(error).toMatchObject({ code: 'BAD_REQUEST' });
    expect(userMessage(error)).toBe(
      'email: Enter a valid email address, like name@example.com.; password: Enter your password.',
    );
  });
});

describe('customer sign-in link', () => {
  it('does the same work for a known and an unknown email: the same queries, one job each', async () => {
    // The answer's timing must not tell which emails belong to customers, so the request does
    // not look the email up at all: the job does, later, out of the requester's sight.
    const known = recordingPool(pool);
    const unknown = recordingPool(pool);
    const jobs = async () =>
      // graphile-worker's public `jobs` view leaves the payload out.
      (
        await pool.query<{ payload: Record<string, unknown> }>(
          `SELECT j.payload FROM graphile_worker._private_jobs j
             JOIN graphile_worker._private_tasks t ON t.id = j.task_id
            WHERE t.identifier = 'send_sign_in_link' ORDER BY j.id`,
        )
      ).rows.map((row) => row.payload);
    const before = (await jobs()).length;
    const knownAnswer = await callerFor(known.pool, null).auth.requestSignInLink({
      email: DEMO_SIGN_INS.customer,
    });
    const unknownAnswer = await callerFor(unknown.pool, null).auth.requestSignInLink({
      email: 'stranger@example.com',
    });
    expect(unknownAnswer).toEqual(knownAnswer);
    expect(unknown.statements).toEqual(known.statements);
    const added = (await jobs()).slice(before);
    expect(added).toHaveLength(2);
    expect(added.map((payload) => Object.keys(payload).sort())).toEqual([
      ['email', 'requestId'],
      ['email', 'requestId'],
    ]);
    expect(added.map((payload) => payload.email)).toEqual([DEMO_SIGN_INS.customer, 'stranger@example.com']);
  });

  it('is checked without being used up, then used once by Continue', async () => {
    const customer = await sessionOf(pool, DEMO_SIGN_INS.customer);
    if (customer.role !== 'customer') throw new Error('demo customer expected');
    const token = await issueLinkToken(pool, {
      purpose: 'sign_in',
      customerId: customer.customerId,
      expiresAt: new Date(Date.now() + 60_000),
    });
    const cookies = testCookies();
    const api = callerFor(pool, null, { cookies });
    for (let i = 0; i < 5; i++) expect(await api.auth.checkSignInLink({ token })).toEqual({ valid: true });

    expect(await api.auth.redeemSignInLink({ token })).toEqual({ role: 'customer' });
    expect(await findSession(pool, cookies.get(SESSION_COOKIE))).toMatchObject({
      role: 'customer',
      customerId: customer.customerId,
    });
    expect(await api.auth.checkSignInLink({ token })).toEqual({ valid: false });
    await expect(api.auth.redeemSignInLink({ token })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('This sign-in link no longer works'),
    });
  });

  it('refuses an expired link and a forged one alike', async () => {
    const customer = await sessionOf(pool, DEMO_SIGN_INS.customer);
    if (customer.role !== 'customer') throw new Error('demo customer expected');
    const expired = await issueLinkToken(pool, {
      purpose: 'sign_in',
      customerId: customer.customerId,
      expiresAt: new Date(Date.now() - 1000),
    });
    const api = callerFor(pool, null);
    expect(await api.auth.checkSignInLink({ token: expired })).toEqual({ valid: false });
    await expect(api.auth.redeemSignInLink({ token: expired })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    const forged = 'A'.repeat(43);
    await expect(api.auth.redeemSignInLink({ token: forged })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const short = await api.auth.redeemSignInLink({ token: 'short' }).catch((e) => e);
    expect(userMessage(short)).toBe('token: This link is incomplete. Open it straight from the email.');
  });

  it('limits link requests per email without locking the customer out, and per address with a 429', async () => {
    const limits = createRateLimits();
    const jobs = async (email: string) =>
      (
        await pool.query(
          `SELECT count(*)::int AS n FROM graphile_worker._private_jobs j
             JOIN graphile_worker._private_tasks t ON t.id = j.task_id
            WHERE t.identifier = 'send_sign_in_link' AND j.payload->>'email' = $1`,
          [email],
        )
      ).rows[0].n;
    const email = `priya-${Date.now()}@example.com`;
    // A stranger asks for Priya's links from several addresses: after three, the answer is the
    // same but no more links go out, and no address is told anything different.
    for (let i = 0; i < 6; i++) {
      const api = callerFor(pool, null, { rateLimits: limits, ip: `198.51.100.${i}` });
      expect(await api.auth.requestSignInLink({ email })).toMatchObject({ sent: true });
    }
    expect(await jobs(email)).toBe(3);
    // One address asking for many emails is refused outright.
    const spammer = callerFor(pool, null, { rateLimits: limits, ip: '203.0.113.9' });
    for (let i = 0; i < 20; i++) await spammer.auth.requestSignInLink({ email: `x${i}-${email}` });
    await expect(spammer.auth.requestSignInLink({ email: `y-${email}` })).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
    });
  });

  it('counts an IPv6 address as its /64, and concurrent guesses from one fresh address as one', async () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(addressKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('192.0.2.7')).toBe('192.0.2.7');
    const limits = createRateLimits();
    const email = DEMO_SIGN_INS.admin;
    // Twenty failures from twenty addresses put the account under attack.
    for (let i = 0; i < 20; i++) {
      const attempt = await limits.signIn(`198.51.100.${i}`, email);
      if (attempt.ok) await attempt.failed();
    }
    // Five guesses at once from one fresh address: one gets through, not five.
    const burst = await Promise.all(Array.from({ length: 5 }, () => limits.signIn('192.0.2.50', email)));
    expect(burst.filter((d) => d.ok)).toHaveLength(1);
  });
});
