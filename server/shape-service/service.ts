// The Electric HTTP API of the embedded service: GET /v1/shape, POST /v1/shape (a subset
// snapshot whose parameters are in the body), DELETE /v1/shape (only with
// ELECTRIC_ENABLE_INTEGRATION_TESTING), OPTIONS /v1/shape, GET /v1/health — CORS and the
// `secret` check as Electric's router does them, then ShapeServer (shape-server.ts).
import { timingSafeEqual } from 'node:crypto';
import express, { type Request } from 'express';
import {
  asksForSubset,
  type ParamErrors,
  parseFollowParams,
  parseShapeParams,
  parseSubsetParams,
  queryWithBody,
} from './params.ts';
import { sendError, sendInvalid, setCors } from './response.ts';
import type { ShapeServer } from './shape-server.ts';

function secretMatches(given: string | null, secret: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface RouterOptions {
  /** Required as the `secret` (or `api_secret`) query parameter; null: no check (insecure). */
  readonly secret: string | null;
  readonly allowDelete: boolean;
  readonly health: () => Promise<boolean>;
}

/** GET/DELETE/OPTIONS /v1/shape and GET /v1/health, as Electric's router answers them. */
export function createV1Router(server: ShapeServer, options: RouterOptions): express.Router {
  const router = express.Router();
  const query = (req: Request) => new URL(req.originalUrl, 'http://localhost').searchParams;

  router.options('/v1/shape', (req, res) => {
    setCors(res, req.headers.origin, 'GET, POST, HEAD, DELETE, OPTIONS');
    res.setHeader('access-control-max-age', '86400');
    const asked = String(req.headers['access-control-request-headers'] ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter((h) => ['if-none-match', 'traceparent'].includes(h.toLowerCase()));
    if (asked.length) res.setHeader('access-control-allow-headers', asked.join(','));
    res.status(204).end();
  });

  router.use('/v1/shape', (req, res, next) => {
    setCors(res, req.headers.origin, 'GET, POST, HEAD, DELETE, OPTIONS');
    if (options.secret !== null) {
      const q = query(req);
      if (!secretMatches(q.get('secret') ?? q.get('api_secret'), options.secret)) {
        sendError(res, 401, { message: 'Unauthorized - Invalid API secret' });
        return;
      }
    }
    next();
  });

  const answer = async (req: Request, res: express.Response, q: URLSearchParams) => {
    const errors: ParamErrors = {};
    const params = parseShapeParams(q, errors);
    const follow = parseFollowParams(q, errors);
    const subset = asksForSubset(q) ? parseSubsetParams(q, errors) : null;
    if (!params || !follow || Object.keys(errors).length) return sendInvalid(res, errors);
    if (subset) await server.serveSubset(res, params, follow, subset);
    else await server.serve(req, res, params, follow);
  };

  router.get('/v1/shape', (req, res) => answer(req, res, query(req)));

  // Electric's POST: the same request, its subset (long where clauses, many params) in a JSON body.
  router.post('/v1/shape', express.text({ type: () => true, limit: '1mb' }), async (req, res) => {
    const text = typeof req.body === 'string' ? req.body : '';
    let body: unknown;
    try {
      body = text.trim() === '' ? undefined : JSON.parse(text);
    } catch (error) {
      return sendError(res, 400, {
        message: 'Invalid JSON in request body',
        details: (error as Error).message,
      });
    }
    const merged = queryWithBody(query(req), body);
    if (typeof merged === 'string') return sendError(res, 400, { message: merged });
    await answer(req, res, merged);
  });

  router.delete('/v1/shape', async (req, res) => {
    if (!options.allowDelete) return sendError(res, 405, { message: 'DELETE not allowed' });
    await server.deleteShape(res, query(req));
  });

  router.get('/v1/health', async (req, res) => {
    setCors(res, req.headers.origin, 'GET, HEAD');
    res.setHeader('cache-control', 'no-cache, no-store, must-revalidate');
    const up = await options.health().catch(() => false);
    res.status(up ? 200 : 503).json({ status: up ? 'active' : 'unavailable' });
  });

  return router;
}
