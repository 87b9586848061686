// GET /api/shapes/:name — the only shape URL the apps know.
//
// It checks the session, takes the shape's table, where, params and columns from
// definitions.ts, and passes through only how the client follows it (offset, handle, live,
// live_sse, cursor). A request that tries to say what the shape contains is refused with 400
// rather than silently narrowed, so a bug in an app shows up. Responses depend on the
// session, so they are marked `private` (and vary by cookie): a shared cache must never hand
// one person's rows to another.
import { parse as parseCookies } from 'cookie';
import type { Request, RequestHandler, Response } from 'express';
import { findSession, SESSION_COOKIE } from '../auth/sessions.ts';
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../logger.ts';
import { type FollowParams, type ParamErrors, parseFollowParams } from '../shape-service/params.ts';
import { ELECTRIC_HEADERS, sendError, sendInvalid } from '../shape-service/response.ts';
import type { ShapeParams } from '../shape-service/shape-definition.ts';
import { shapeForSession } from './shape-for-session.ts';

/** Serves a fixed shape: the embedded service, or a proxy to Electric. */
export type ShapeUpstream = (
  req: Request,
  res: Response,
  shape: ShapeParams,
  follow: FollowParams,
) => Promise<void>;

/** Parameters that would change what the shape contains. */
const WIDENING = /^(table|where|columns|replica|params(\[.*\])?|subset__.*)$/;

export function createGatekeeper(deps: { pool: Pool; upstream: ShapeUpstream; log: Logger }): RequestHandler {
  return async (req, res) => {
    res.setHeader('vary', 'cookie');
    res.setHeader('access-control-expose-headers', ELECTRIC_HEADERS.join(','));
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
    for (const key of new Set(query.keys())) {
      if (WIDENING.test(key)) {
        return sendError(res, 400, {
          message: `"${key}" cannot be set here: the server decides what the "${name}" shape contains.`,
        });
      }
    }
    const log = query.get('log');
    if (log !== null && log !== 'full') {
      return sendError(res, 400, { message: '"log" can only be "full" here.' });
    }
    const errors: ParamErrors = {};
    const follow = parseFollowParams(query, errors);
    if (!follow) return sendInvalid(res, errors);
    await deps.upstream(req, res, choice.shape, follow);
  };
}
