// Response headers of the shape API, as Electric sets them: the protocol's `electric-*`
// headers, caching that lets a CDN collapse requests, CORS that exposes what clients read.
import type { ServerResponse } from 'node:http';

/** The response headers a browser client must be allowed to read (CORS `expose-headers`). */
export const EXPOSED_HEADERS = [
  'electric-cursor',
  'electric-handle',
  'electric-has-data',
  'electric-offset',
  'electric-schema',
  'electric-up-to-date',
  'electric-internal-known-error',
  'retry-after',
].join(',');

/** The message a client sees before it starts over (409, and the 1.0 client publishes it). */
export const MUST_REFETCH_BODY = JSON.stringify([{ headers: { control: 'must-refetch' } }]);

export function upToDate(globalLsn: bigint): string {
  return JSON.stringify({ headers: { control: 'up-to-date', global_last_seen_lsn: String(globalLsn) } });
}

/** CORS for the raw API: any origin (the secret is the protection), the electric headers exposed. */
export function setCors(res: ServerResponse, origin: string | undefined, methods: string): void {
  res.setHeader('access-control-allow-origin', origin ?? '*');
  res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
  res.setHeader('access-control-allow-methods', methods);
}

// Custom epoch of Electric's live cursor: 9 October 2024, UTC, in seconds.
const CURSOR_EPOCH_S = Date.UTC(2024, 9, 9) / 1000;

/**
 * The `electric-cursor` of a live response: the end of the current long-poll interval, so
 * that all clients polling in the same interval share one URL (and one CDN entry), and never
 * the cursor the client sent, so a cached response cannot be served to it again.
 */
export function nextCursor(longPollMs: number, previous: string | null): string {
  const interval = Math.floor(longPollMs / 1000);
  if (interval === 0) return '0';
  const now = Date.now() / 1000 - CURSOR_EPOCH_S;
  const next = Math.ceil(now / interval) * interval;
  const prev = previous && /^[0-9]+$/.test(previous) ? Number(previous) : 0;
  return String(next > prev ? next : prev + 1 + Math.floor(Math.random() * 3600));
}

export type CacheKind = 'initial' | 'live' | 'live-sse' | 'catch-up' | 'must-refetch' | 'error';

/**
 * Electric's caching for this kind of response, unless the caller (whoever fixed the shape for
 * one person, say) set its own `override` for every response of the request.
 */
export function setCacheControl(
  res: ServerResponse,
  kind: CacheKind,
  sseTimeoutMs: number,
  override: string | null = null,
): void {
  if (override !== null && kind !== 'error') res.setHeader('cache-control', override);
  else setPublicCacheControl(res, kind, sseTimeoutMs);
}

function setPublicCacheControl(res: ServerResponse, kind: CacheKind, sseTimeoutMs: number): void {
  switch (kind) {
    case 'initial':
      // The first chunk of a shape: browsers may keep it, CDNs revalidate it often.
      res.setHeader('cache-control', 'public, max-age=604800, s-maxage=3600, stale-while-revalidate=2629746');
      return;
    case 'live':
      res.setHeader('cache-control', 'public, max-age=5, stale-while-revalidate=5');
      return;
    case 'live-sse':
      res.setHeader('cache-control', `public, max-age=${Math.max(1, Math.floor(sseTimeoutMs / 1000) - 1)}`);
      return;
    case 'catch-up':
      res.setHeader('cache-control', 'public, max-age=60, stale-while-revalidate=300');
      return;
    case 'must-refetch':
      res.setHeader('cache-control', 'public, max-age=60, must-revalidate');
      return;
    case 'error':
      res.setHeader('cache-control', 'no-store');
      res.setHeader('surrogate-control', 'no-store');
      return;
  }
}

/** A JSON answer, in plain Node (the service runs without Express; see service.ts). */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const bytes = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', bytes.length);
  res.end(res.req?.method === 'HEAD' ? undefined : bytes);
}

export function sendError(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  setCacheControl(res, 'error', 0);
  sendJson(res, status, body);
}

export function sendInvalid(
  res: ServerResponse,
  errors: Record<string, string[] | Record<string, string[]>>,
): void {
  sendError(res, 400, { message: 'Invalid request', errors });
}
