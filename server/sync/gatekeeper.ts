// GET /api/shapes/:name — the only shape URL the apps know.
//
// It checks the session, takes the shape's table, where, params and columns from the shape
// catalog (shared/shape-catalog.ts, through shape-for-session.ts), and passes through only how
// the client follows it (offset, handle, live, live_sse, cursor). The upstream request is
// rebuilt from those alone, so nothing else in the query could reach a shape service; still, a
// request that tries to say what the shape contains is refused with 400 rather than silently
// ignored, so a bug in an app shows up, and so a later change that passes more through cannot
// widen a shape. Responses depend on the session, so no cache may keep them (GATEKEEPER_CACHE_CONTROL).
import { parse as parseCookies } from 'cookie';
import type { Request, RequestHandler, Response } from 'express';
import { findSession, SESSION_COOKIE } from '../auth/sessions.ts';
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../logger.ts';
import { type FollowParams, type ParamErrors, parseFollowParams } from '../shape-service/params.ts';
import { EXPOSED_HEADERS, sendError, sendInvalid } from '../shape-service/response.ts';
import type { ShapeParams } from '../shape-service/shape-definition.ts';
import { shapeForSession } from './shape-for-session.ts';

/** Serves a fixed shape (the embedded service, or a proxy to Electric), with GATEKEEPER_CACHE_CONTROL. */
export type ShapeUpstream = (
  req: Request,
  res: Response,
  shape: ShapeParams,
  follow: FollowParams,
) => Promise<void>;

/**
 * The cache-control of every shape answer the gatekeeper gives, whichever upstream wrote it.
 * One person's rows must not outlive their session anywhere: not in a shared cache (`private`),
 * and not in the browser's own cache after sign-out, where Electric's week-long `max-age`
 * would leave them for the next person at the computer (`no-store`). The cost is that a
 * reload fetches the snapshot again instead of reusing it.
 */
export const GATEKEEPER_CACHE_CONTROL = 'private, no-store';

/** Parameters that say what a shape contains (besides `subset__*` and `log`). */
const WIDENING = new Set(['table', 'where', 'columns', 'replica', 'params']);

/**
 * The parameter a query key could be taken for by a lenient reader: Electric's (Phoenix) reads
 * `where[]=x` as `where` and `params[1][x]=y` as `params`; others fold case or trim. So: lower
 * case, up to the first `[`, letters, digits and `_` only. Keys arrive percent-decoded once.
 */
function readAs(key: string): string {
  return (key.toLowerCase().split('[')[0] ?? '').replace(/[^a-z0-9_]/g, '');
}

/** The first query key that could change what the shape contains, if any. */
function wideningKey(query: URLSearchParams): string | null {
  for (const key of new Set(query.keys())) {
    const name = readAs(key);
    if (WIDENING.has(name) || name.startsWith('subset__')) return key;
    // `log=full` is what clients send; any other spelling of it is not.
    if (name === 'log' && key !== 'log') return key;
  }
  return null;
}

export function createGatekeeper(deps: { pool: Pool; upstream: ShapeUpstream; log: Logger }): RequestHandler {
  return async (req, res) => {
    res.setHeader('cache-control', GATEKEEPER_CACHE_CONTROL);
    res.setHeader('vary', 'cookie');
    res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
    const token = parseCookies(req.headers.cookie ?? '')[SESSION_COOKIE];
    const session = await findSession(deps.pool, token);
    if (!session) return sendError(res, 401, { message: 'Sign in to sync your data.' });
    const name = String(req.params.name);
    const choice = shapeForSession(name, session);
    if (!choice.ok) {
      return choice.reason === 'unknown'
        ? sendError(res, 404, { message: `There is no shape called "${name}".` })
        : sendError(res, 403, { message: `Your account cannot sync "${name}".` });
    }

    const query = new URL(req.originalUrl, 'http://localhost').searchParams;
    const widening = wideningKey(query);
    if (widening !== null) {
      return sendError(res, 400, {
        message: `"${widening}" cannot be set here: the server decides what the "${name}" shape contains.`,
      });
    }
    if (query.getAll('log').some((mode) => mode !== 'full')) {
      return sendError(res, 400, { message: '"log" can only be "full" here.' });
    }
    const errors: ParamErrors = {};
    const follow = parseFollowParams(query, errors);
    if (!follow) return sendInvalid(res, errors);
    await deps.upstream(req, res, choice.shape, follow);
  };
}
