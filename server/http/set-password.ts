// /set-password?token=…: the page behind a one-time link from `npm run create-admin`. A
// server-rendered form, readable without the apps. Opening it changes nothing (mail scanners
// and chat previews open links); only the POST a person submits sets the password.
import express from 'express';
import { LinkToken } from '../../shared/schemas.ts';
import type { RateLimits } from '../auth/rate-limit.ts';
import {
  MIN_PASSWORD_LENGTH,
  type PasswordLink,
  peekPasswordLink,
  SET_PASSWORD_PATH,
  setPasswordFromLink,
} from '../auth/staff-accounts.ts';
import type { Pool } from '../db/pool.ts';
import { escapeHtml } from '../mail/render.ts';
import { page } from './page.ts';
import { checkSameOrigin } from './same-origin.ts';

interface Deps {
  readonly pool: Pool;
  readonly rateLimits: RateLimits;
  readonly publicUrl: string | undefined;
}

export function mountSetPassword(app: express.Express, deps: Deps): void {
  const noStore: express.RequestHandler = (_req, res, next) => {
    // The token is in the address: keep it out of caches. The site's `Referrer-Policy:
    // same-origin` already keeps it from other sites; `no-referrer` here would make the
    // browser send `Origin: null` with the form's POST, which the same-origin check refuses.
    res.set('Cache-Control', 'no-store');
    next();
  };
  const limited: express.RequestHandler = async (req, res, next) => {
    const decision = await deps.rateLimits.linkToken(req.ip ?? req.socket.remoteAddress ?? 'unknown');
    if (decision.ok) return next();
    res
      .status(429)
      .type('html')
      .send(page('Too many attempts', '<p>Please wait a minute and open the link again.</p>'));
  };

  app.get(SET_PASSWORD_PATH, noStore, limited, async (req, res) => {
    const token = LinkToken.safeParse(req.query.token);
    const link = token.success ? await peekPasswordLink(deps.pool, token.data) : null;
    if (!token.success || link?.status !== 'valid') return void sendInvalid(res);
    res.type('html').send(formPage(token.data, link));
  });

  app.post(
    SET_PASSWORD_PATH,
    noStore,
    checkSameOrigin(deps.publicUrl),
    limited,
    express.urlencoded({ extended: false, limit: '4kb' }),
    async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const token = LinkToken.safeParse(body.token);
      if (!token.success) return void sendInvalid(res);
      const outcome = await setPasswordFromLink(deps.pool, {
        token: token.data,
        password: typeof body.password === 'string' ? body.password : '',
        repeat: typeof body.repeat === 'string' ? body.repeat : '',
      });
      if (outcome.status === 'invalid') return void sendInvalid(res);
      if (outcome.status === 'refused') {
        const link = await peekPasswordLink(deps.pool, token.data);
        if (link.status !== 'valid') return void sendInvalid(res);
        return void res
          .status(400)
          .type('html')
          .send(formPage(token.data, link, outcome.reason));
      }
      const app = outcome.role === 'admin' ? '/admin/' : '/field/';
      res.type('html').send(
        page(
          'Your password is set',
          `<p role="status">You can now sign in as ${escapeHtml(outcome.email)}.</p>
<p><a href="${app}">Sign in to the ${outcome.role === 'admin' ? 'admin' : 'fieldworker'} app</a></p>`,
        ),
      );
    },
  );
}

function sendInvalid(res: express.Response): void {
  res
    .status(400)
    .type('html')
    .send(
      page(
        'This link no longer works',
        `<p>A set-password link works once, for a day, and only the newest link sent works. Ask an admin
for a new one: they send it from Staff in the office app. On the server,
<code>npm run create-admin -- --email … --name … --link</code> prints a fresh link for an admin who has not set a
password yet.</p>`,
      ),
    );
}

function formPage(token: string, link: Extract<PasswordLink, { status: 'valid' }>, error?: string): string {
  const alert = error ? `<p role="alert" id="problem" style="color:#b3261e">${escapeHtml(error)}</p>` : '';
  const describedBy = error ? ' aria-describedby="problem" aria-invalid="true"' : '';
  return page(
    'Set your password',
    `<p>For ${escapeHtml(link.name)} (${escapeHtml(link.email)}). At least ${MIN_PASSWORD_LENGTH} characters; a few words you will remember work well.</p>
${alert}
<form method="post" action="${SET_PASSWORD_PATH}">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<p><label for="password">New password</label><br>
<input id="password" name="password" type="password" autocomplete="new-password" required minlength="${MIN_PASSWORD_LENGTH}" maxlength="200"${describedBy}></p>
<p><label for="repeat">The same password again</label><br>
<input id="repeat" name="repeat" type="password" autocomplete="new-password" required minlength="${MIN_PASSWORD_LENGTH}" maxlength="200"></p>
<p><button type="submit">Set password</button></p>
</form>`,
  );
}
