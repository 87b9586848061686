// The one HTTP server: tRPC at /api/trpc, health at /api/health, the three apps from the
// Vite build, the dev mailbox, and a readable 404 for everything else.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import { MAX_BATCH_PROCEDURES, MAX_REQUEST_BYTES } from '../../shared/limits.ts';
import type { Context, CookieJar } from '../api/context.ts';
import { appRouter } from '../api/router.ts';
import type { RateLimits } from '../auth/rate-limit.ts';
import { findSession, SESSION_COOKIE } from '../auth/sessions.ts';
import type { Pool } from '../db/pool.ts';
import { mountDevMailbox } from '../dev-mailbox/routes.ts';
import type { Logger } from '../logger.ts';
import type { PushConfig } from '../push/push-services.ts';
import type { V1Handler } from '../shape-service/service.ts';
import { page } from './page.ts';
import { limitBatch, readBoundedBody } from './request-limits.ts';
import { checkSameOrigin } from './same-origin.ts';
import { mountSetPassword } from './set-password.ts';

export const APPS = ['admin', 'field', 'portal'] as const;

export interface AppDeps {
  readonly pool: Pool;
  readonly log: Logger;
  readonly rateLimits: RateLimits;
  readonly push: PushConfig;
  /** PUBLIC_URL when configured: its origin is accepted for mutations, https makes cookies Secure. */
  readonly publicUrl: string | undefined;
  /** Folder of the Vite build (dist/). */
  readonly staticDir: string;
  readonly devMailbox: boolean;
  /** Express "trust proxy" (TRUST_PROXY), when a reverse proxy forwards the client's address. */
  readonly trustProxy?: string | undefined;
  readonly health: () => Promise<{ ok: boolean; body: Record<string, unknown> }>;
  /** Sync: the shape gatekeeper, and the embedded shape service's /v1 routes (server/sync/mount.ts). */
  readonly shapes?: { readonly v1: V1Handler | null; readonly gatekeeper: express.RequestHandler };
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  if (deps.trustProxy) app.set('trust proxy', parseTrustProxy(deps.trustProxy));
  app.set('etag', false);
  app.use((_req, res, next) => {
    res.set({
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'same-origin',
      // No page of this site may be shown in another site's frame (clickjacking). Set on every
      // response, so the apps, the portal, the dev mailbox and error pages cannot miss it;
      // X-Frame-Options for browsers that predate frame-ancestors.
      'Content-Security-Policy': "frame-ancestors 'none'",
      'X-Frame-Options': 'DENY',
    });
    next();
  });

  app.get('/api/health', async (_req, res) => {
    const { ok, body } = await deps.health();
    res.status(ok ? 200 : 503).json(body);
  });

  app.use(
    '/api/trpc',
    checkSameOrigin(deps.publicUrl),
    limitBatch(MAX_BATCH_PROCEDURES),
    readBoundedBody(MAX_REQUEST_BYTES),
    createTrpcMiddleware(deps),
  );
  if (deps.shapes) {
    app.get('/api/shapes/:name', deps.shapes.gatekeeper);
    if (deps.shapes.v1) app.use(deps.shapes.v1);
  }
  app.use('/api', (_req, res) => {
    res.status(404).json({ error: { message: 'There is no such API endpoint.' } });
  });

  if (deps.devMailbox) mountDevMailbox(app, deps.pool);
  mountSetPassword(app, deps); // the page behind `npm run create-admin`'s one-time link

  app.get('/', (_req, res) => {
    res.type('html').send(landingPage());
  });
  app.use('/assets', express.static(path.join(deps.staticDir, 'assets'), { immutable: true, maxAge: '1y' }));
  // The staff apps' service worker: at the root so one script can take each app's scope; never
  // cached by HTTP, so a new version is found on the browser's next check.
  app.get('/sw.js', (_req, res, next) => {
    const file = path.join(deps.staticDir, 'sw.js');
    if (!existsSync(file)) return next();
    res.set('Cache-Control', 'no-cache').type('text/javascript').sendFile(file);
  });
  for (const name of APPS) mountSinglePageApp(app, name, deps.staticDir);

  app.use((_req, res) => {
    res.status(404).type('html').send(page('Page not found', '<p>There is nothing at this address.</p>'));
  });
  const onError: ErrorRequestHandler = (error, _req, res, _next) => {
    deps.log.error('Unhandled error in a request', error);
    if (res.headersSent) return;
    res.status(500).type('html').send(page('Something went wrong', '<p>Please try again in a moment.</p>'));
  };
  app.use(onError);
  return app;
}

function createTrpcMiddleware(deps: AppDeps) {
  const secure = deps.publicUrl?.startsWith('https:') ?? false;
  return createExpressMiddleware({
    router: appRouter,
    maxBatchSize: MAX_BATCH_PROCEDURES, // the backstop behind limitBatch's readable refusal
    async createContext({ req, res }): Promise<Context> {
      const cookies = cookieJar(req, res, secure);
      const token = cookies.get(SESSION_COOKIE);
      const session = await findSession(deps.pool, token);
      // A forged or expired cookie is dropped, so the browser stops sending it.
      if (token && !session) cookies.clear(SESSION_COOKIE);
      return {
        pool: deps.pool,
        session,
        cookies,
        ip: req.ip ?? req.socket.remoteAddress ?? 'unknown',
        rateLimits: deps.rateLimits,
        log: deps.log,
        push: deps.push,
      };
    },
    onError({ error, path: procedure }) {
      if (error.code === 'INTERNAL_SERVER_ERROR')
        deps.log.error(`tRPC ${procedure ?? '?'} failed`, error.cause ?? error);
    },
  });
}

function cookieJar(req: Request, res: Response, secure: boolean): CookieJar {
  const parsed = parseCookies(req.headers.cookie ?? '');
  const options = { httpOnly: true, sameSite: 'lax' as const, path: '/', secure };
  return {
    get: (name) => parsed[name],
    set: (name, value, expires) =>
      res.append('Set-Cookie', serializeCookie(name, value, { ...options, expires })),
    clear: (name) =>
      res.append('Set-Cookie', serializeCookie(name, '', { ...options, expires: new Date(0) })),
  };
}

/** /name/ serves the app's index.html for every path without a file extension (client routing). */
function mountSinglePageApp(app: express.Express, name: string, staticDir: string): void {
  const dir = path.join(staticDir, name);
  app.get(`/${name}`, (req, res, next) => {
    // Express matches /name and /name/ alike; only the bare one is sent to the app's root.
    if (req.path.endsWith('/')) return next();
    res.redirect(301, `/${name}/`);
  });
  app.use(`/${name}`, express.static(dir, { index: false, fallthrough: true }));
  app.get(`/${name}/{*rest}`, (req, res, next) => {
    if (path.extname(req.path)) return next(); // a missing file is a 404, not the app
    const index = path.join(dir, 'index.html');
    if (!existsSync(index)) {
      res
        .status(503)
        .type('html')
        .send(page('Not built yet', '<p>The apps are not built. Run <code>npm run build</code>.</p>'));
      return;
    }
    res.set('Cache-Control', 'no-cache').sendFile(index);
  });
}

function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}

function landingPage(): string {
  return page(
    'Bookings',
    `<ul>
<li><a href="/admin/">Admin app</a>: the office's bookings and settings</li>
<li><a href="/field/">Fieldworker app</a>: schedule and notifications</li>
<li><a href="/portal/">Customer portal</a>: see and cancel your bookings</li>
</ul>`,
  );
}
