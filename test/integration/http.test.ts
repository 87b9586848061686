// The HTTP surface with the whole product running: health, 404s, bad input and bad cookies
// get readable answers with no stack trace, cross-site posts are refused, and a customer's
// sign-in link travels over real SMTP into the dev mailbox and signs them in.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/boot.ts';
import { DEMO_PASSWORD, DEMO_SIGN_INS } from '../../server/demo/seed-demo.ts';
import { eventually, startTestServer } from './helpers.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const post = (procedure: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/api/trpc/${procedure}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

async function expectReadableError(response: Response, status: number, message: string | RegExp) {
  expect(response.status).toBe(status);
  const text = await response.text();
  expect(text).not.toMatch(/\bat .+\.(ts|js):\d+/); // no stack frames
  expect(text).not.toContain('"stack"');
  const body = JSON.parse(text);
  expect(body.error.message).toMatch(message);
}

describe('health and routes', () => {
  it('reports the database and the worker as JSON', async () => {
    const response = await fetch(`${server.url}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: 'up', worker: 'running' });
  });

  it('answers unknown pages and API paths with a 404', async () => {
    const pageResponse = await fetch(`${server.url}/no/such/page`);
    expect(pageResponse.status).toBe(404);
    expect(await pageResponse.text()).toContain('Page not found');
    await expectReadableError(
      await fetch(`${server.url}/api/nothing`),
      404,
      'There is no such API endpoint.',
    );
    await expectReadableError(
      await fetch(`${server.url}/api/trpc/bookings.nothing`),
      404,
      /No procedure found/,
    );
    expect((await fetch(`${server.url}/admin/missing.js`)).status).toBe(404);
  });
});

describe('bad input over HTTP', () => {
  it('malformed JSON', async () => {
    await expectReadableError(
      await post('auth.staffSignIn', '{bad'),
      400,
      'The request could not be read: it is not valid JSON.',
    );
  });

  it('wrong types', async () => {
    await expectReadableError(
      await post('auth.staffSignIn', '{"email":5,"password":"x","app":"admin"}'),
      400,
      /^email: /,
    );
  });

  it('a wrong password changes nothing', async () => {
    const response = await post(
      'auth.staffSignIn',
      JSON.stringify({ email: DEMO_SIGN_INS.admin, password: 'nope', app: 'admin' }),
    );
    await expectReadableError(response, 401, 'That email and password do not match an account.');
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('a forged or expired session cookie is treated as signed out and cleared', async () => {
    const forged = await fetch(`${server.url}/api/trpc/bookings.list`, {
      headers: { cookie: 'session=forged-value' },
    });
    expect(forged.headers.get('set-cookie')).toMatch(/^session=; .*Expires=Thu, 01 Jan 1970/);
    await expectReadableError(forged, 401, 'Please sign in first.');

    const signIn = await post(
      'auth.staffSignIn',
      JSON.stringify({ email: DEMO_SIGN_INS.admin, password: DEMO_PASSWORD, app: 'admin' }),
    );
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] as string;
    expect(signIn.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Lax/);
    expect((await fetch(`${server.url}/api/trpc/bookings.list`, { headers: { cookie } })).status).toBe(200);
    await server.pool.query(`UPDATE sessions SET expires_at = now() - interval '1 second'`);
    await expectReadableError(
      await fetch(`${server.url}/api/trpc/bookings.list`, { headers: { cookie } }),
      401,
      'Please sign in first.',
    );
  });

  it('an unknown booking id, and one that is not an id', async () => {
    const signIn = await post(
      'auth.staffSignIn',
      JSON.stringify({ email: DEMO_SIGN_INS.admin, password: DEMO_PASSWORD, app: 'admin' }),
    );
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const get = (id: string) =>
      fetch(`${server.url}/api/trpc/bookings.get?input=${encodeURIComponent(JSON.stringify({ id }))}`, {
        headers: { cookie },
      });
    await expectReadableError(
      await get('00000000-0000-4000-8000-000000000000'),
      404,
      'There is no booking with that id for you.',
    );
    await expectReadableError(await get('42'), 400, 'id: That is not a booking id.');
  });

  it('a mutation posted from another site is refused', async () => {
    const response = await post('auth.signOut', '{}', {
      origin: 'https://evil.example',
      'sec-fetch-site': 'cross-site',
    });
    await expectReadableError(response, 403, 'This request came from another site and was refused.');
  });
});

describe('the dev mailbox', () => {
  it('answers only a browser on this machine (a rebound DNS name gets a 404)', async () => {
    const { port } = new URL(server.url);
    const status = (host: string) =>
      new Promise<number>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: '/dev/mailbox.json', headers: { host } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          })
          .on('error', reject);
      });
    expect(await status(`localhost:${port}`)).toBe(200);
    expect(await status(`127.0.0.1:${port}`)).toBe(200);
    expect(await status(`attacker.example:${port}`)).toBe(404);
  });
});

describe('customer sign-in over real SMTP', () => {
  it('emails a link to the dev mailbox; opening it uses nothing, Continue signs in once', async () => {
    const requested = await post('auth.requestSignInLink', JSON.stringify({ email: DEMO_SIGN_INS.customer }));
    expect(requested.status).toBe(200);
    const message = await eventually(async () => {
      const { messages } = await (await fetch(`${server.url}/dev/mailbox.json`)).json();
      // The demo customer's booking confirmations are in the mailbox too (sent at boot).
      return messages.find(
        (m: { to: string; subject: string }) =>
          m.to === DEMO_SIGN_INS.customer && m.subject.startsWith('Your sign-in link'),
      );
    });
    expect(message.subject).toBe('Your sign-in link for Sparkle & Fix Home Services');
    const link = /(http:\/\/\S+\/portal\/sign-in\/continue\?token=[\w-]{43})/.exec(
      message.text,
    )?.[1] as string;
    expect(link.startsWith(server.url)).toBe(true);
    expect(message.html).toContain(link);

    // A mail scanner: HEAD and GETs of the link with no cookies leave it working.
    await fetch(link, { method: 'HEAD' });
    for (let i = 0; i < 3; i++) expect((await fetch(link)).status).toBe(200);
    const token = new URL(link).searchParams.get('token') as string;
    const redeem = () => post('auth.redeemSignInLink', JSON.stringify({ token }));
    const first = await redeem();
    expect(first.status).toBe(200);
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const me = await (await fetch(`${server.url}/api/trpc/auth.me`, { headers: { cookie } })).json();
    expect(me.result.data).toMatchObject({ role: 'customer', email: DEMO_SIGN_INS.customer });
    await expectReadableError(await redeem(), 400, /This sign-in link no longer works/);
  });
});

describe('framing', () => {
  // Another site must not show these pages in a frame and trick a click (clickjacking).
  const refusesFraming = (response: Response) => {
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('content-security-policy')).toMatch(/(^|;)\s*frame-ancestors 'none'\s*(;|$)/);
  };

  it.each([
    ['the landing page', '/'],
    ['the customer portal', '/portal/'],
    ['a portal page deep in the app', '/portal/sign-in/continue?token=x'],
    ['the admin app', '/admin/'],
    ['the fieldworker app', '/field/bookings/1'],
    ['the dev mailbox', '/dev/mailbox'],
    ['a page that is not there', '/no/such/page'],
  ])('%s cannot be framed by another site', async (_label, url) => {
    refusesFraming(await fetch(`${server.url}${url}`));
  });
});
