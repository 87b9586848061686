// The gatekeeper's upstream when ELECTRIC_URL is set: a real Electric sync service. The
// request is rebuilt from the fixed shape and the client's follow parameters, the secret is
// added, and the answer streams back as it arrives (long-poll bodies and SSE alike).
import { Readable } from 'node:stream';
import type { Request, Response } from 'express';
import type { Logger } from '../logger.ts';
import { quoteIdent } from '../shape-service/identifiers.ts';
import { formatOffset } from '../shape-service/offset.ts';
import type { FollowParams } from '../shape-service/params.ts';
import { sendError } from '../shape-service/response.ts';
import type { ShapeParams } from '../shape-service/shape-definition.ts';

/** Headers not to copy from the upstream response (hop-by-hop, or undone by fetch). */
const DROP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-encoding', 'content-length']);

export function shapeEndpoint(electricUrl: string): string {
  const base = electricUrl.replace(/\/+$/, '');
  return base.endsWith('/v1/shape') ? base : `${base}/v1/shape`;
}

export function upstreamUrl(
  electricUrl: string,
  secret: string | undefined,
  shape: ShapeParams,
  follow: FollowParams,
): URL {
  const url = new URL(shapeEndpoint(electricUrl));
  const q = url.searchParams;
  q.set('table', shape.table);
  if (shape.where) q.set('where', shape.where);
  for (const [k, v] of Object.entries(shape.params ?? {})) q.set(`params[${k}]`, v);
  if (shape.columns) q.set('columns', shape.columns.map(quoteIdent).join(','));
  if (shape.replica && shape.replica !== 'default') q.set('replica', shape.replica);
  q.set('offset', follow.offset === 'now' ? 'now' : formatOffset(follow.offset));
  if (follow.handle) q.set('handle', follow.handle);
  if (follow.live) q.set('live', 'true');
  if (follow.sse) {
    q.set('live_sse', 'true');
    q.set('experimental_live_sse', 'true');
  }
  if (follow.cursor) q.set('cursor', follow.cursor);
  if (secret) q.set('secret', secret);
  q.sort();
  return url;
}

/** Streams the shape from Electric to the client; `rewrite` may adjust the response headers. */
export async function proxyShape(
  electric: { url: string; secret: string | undefined; log: Logger },
  req: Request,
  res: Response,
  shape: ShapeParams,
  follow: FollowParams,
  rewrite: (name: string, value: string) => string | null,
): Promise<void> {
  const aborter = new AbortController();
  const onClose = () => aborter.abort();
  res.on('close', onClose);
  const headers: Record<string, string> = {};
  for (const name of ['accept', 'if-none-match']) {
    const v = req.headers[name];
    if (typeof v === 'string') headers[name] = v;
  }
  let upstream: globalThis.Response;
  try {
    upstream = await fetch(upstreamUrl(electric.url, electric.secret, shape, follow), {
      headers,
      signal: aborter.signal,
    });
  } catch (error) {
    res.off('close', onClose);
    if (aborter.signal.aborted) return;
    electric.log.warn(`shapes: Electric at ${electric.url} is unreachable: ${(error as Error).message}`);
    res.setHeader('retry-after', '5');
    sendError(res, 502, { message: 'The sync service cannot be reached; retrying shortly.' });
    return;
  }
  res.status(upstream.status);
  upstream.headers.forEach((value, name) => {
    if (DROP.has(name)) return;
    const v = rewrite(name, value);
    if (v !== null) res.setHeader(name, v);
  });
  if (!upstream.body) {
    res.end();
    res.off('close', onClose);
    return;
  }
  res.flushHeaders();
  const body = Readable.fromWeb(upstream.body as import('node:stream/web').ReadableStream);
  body.on('error', () => res.end());
  body.pipe(res);
  await new Promise<void>((resolve) => res.once('close', resolve));
  res.off('close', onClose);
}
