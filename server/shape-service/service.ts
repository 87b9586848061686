// The Electric HTTP API of the embedded service: GET /v1/shape, POST /v1/shape (a subset
// snapshot whose parameters are in the body), DELETE /v1/shape (only with
// ELECTRIC_ENABLE_INTEGRATION_TESTING), OPTIONS /v1/shape, GET /v1/health — CORS and the
// `secret` check as Electric's router does them, then ShapeServer (shape-server.ts).
//
// A plain Node handler, not an Express router: every change answers every live client, and
// each answer's next long-poll comes straight back, so the per-request cost is the fan-out's
// cost. Express's request set-up and routing were half of it (`npm run bench:sync`). Express
// mounts the handler as it is (the product server does, at its root).
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  asksForSubset,
  type ParamErrors,
  parseFollowParams,
  parseShapeParams,
  parseSubsetParams,
  queryWithBody,
} from './params.ts';
import { readBodyText } from './read-body.ts';
import { sendError, sendInvalid, sendJson, setCors } from './response.ts';
import type { ShapeServer } from './shape-server.ts';

/** Handles /v1/shape and /v1/health; `next()` for every other path (Express's convention). */
export type V1Handler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export interface RouterOptions {
  /** Required as the `secret` (or `api_secret`) query parameter; null: no check (insecure). */
  readonly secret: string | null;
  readonly allowDelete: boolean;
  readonly health: () => Promise<boolean>;
}

/** Electric's limit is larger, but a subset's where and params fit in far less. */
const MAX_BODY_BYTES = 1024 * 1024;

function secretMatches(given: string | null, secret: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The request's path (without a trailing slash) and its query, parsed once. */
function splitUrl(url: string): { path: string; query: URLSearchParams } {
  const at = url.indexOf('?');
  const raw = at < 0 ? url : url.slice(0, at);
  return {
    path: raw.length > 1 && raw.endsWith('/') ? raw.slice(0, -1) : raw,
    query: new URLSearchParams(at < 0 ? '' : url.slice(at + 1)),
  };
}

/** GET/POST/DELETE/OPTIONS /v1/shape and GET /v1/health, as Electric's router answers them. */
export function createV1Handler(server: ShapeServer, options: RouterOptions): V1Handler {
  const answer = async (req: IncomingMessage, res: ServerResponse, q: URLSearchParams) => {
    const errors: ParamErrors = {};
    const params = parseShapeParams(q, errors);
    const follow = parseFollowParams(q, errors);
    const subset = asksForSubset(q) ? parseSubsetParams(q, errors) : null;
    if (!params || !follow || Object.keys(errors).length) return sendInvalid(res, errors);
    if (subset) await server.serveSubset(res, params, follow, subset);
    else await server.serve(req, res, params, follow);
  };

  // Electric's POST: the same request, its subset (long where clauses, many params) in a JSON body.
  const answerPost = async (req: IncomingMessage, res: ServerResponse, q: URLSearchParams) => {
    const text = await readBodyText(req, MAX_BODY_BYTES);
    if (text === 'too-large') {
      // Closed rather than kept alive: keeping it would mean reading the rest of the body.
      res.setHeader('connection', 'close');
      return sendError(res, 413, { message: `The request body is larger than ${MAX_BODY_BYTES} bytes` });
    }
    let body: unknown;
    try {
      body = text.trim() === '' ? undefined : JSON.parse(text);
    } catch (error) {
      return sendError(res, 400, {
        message: 'Invalid JSON in request body',
        details: (error as Error).message,
      });
    }
    const merged = queryWithBody(q, body);
    if (typeof merged === 'string') return sendError(res, 400, { message: merged });
    await answer(req, res, merged);
  };

  const options_ = (req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('access-control-max-age', '86400');
    const asked = String(req.headers['access-control-request-headers'] ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter((h) => ['if-none-match', 'traceparent'].includes(h.toLowerCase()));
    if (asked.length) res.setHeader('access-control-allow-headers', asked.join(','));
    res.statusCode = 204;
    res.end();
  };

  const shapeRequest = (req: IncomingMessage, res: ServerResponse, q: URLSearchParams, next: () => void) => {
    setCors(res, req.headers.origin, 'GET, POST, HEAD, DELETE, OPTIONS');
    if (req.method === 'OPTIONS') return options_(req, res);
    if (options.secret !== null && !secretMatches(q.get('secret') ?? q.get('api_secret'), options.secret))
      return sendError(res, 401, { message: 'Unauthorized - Invalid API secret' });
    switch (req.method) {
      case 'GET':
      case 'HEAD':
        return answer(req, res, q);
      case 'POST':
        return answerPost(req, res, q);
      case 'DELETE':
        if (!options.allowDelete) return sendError(res, 405, { message: 'DELETE not allowed' });
        return server.deleteShape(res, q);
      default:
        next();
    }
  };

  const health = async (req: IncomingMessage, res: ServerResponse) => {
    setCors(res, req.headers.origin, 'GET, HEAD');
    res.setHeader('cache-control', 'no-cache, no-store, must-revalidate');
    const up = await options.health().catch(() => false);
    sendJson(res, up ? 200 : 503, { status: up ? 'active' : 'unavailable' });
  };

  return (req, res, next) => {
    const { path, query } = splitUrl(req.url ?? '/');
    let answered: Promise<void> | void;
    if (path === '/v1/shape') answered = shapeRequest(req, res, query, next);
    else if (path === '/v1/health' && (req.method === 'GET' || req.method === 'HEAD'))
      answered = health(req, res);
    else return next();
    answered?.catch((error: unknown) => server.failed(res, error));
  };
}
