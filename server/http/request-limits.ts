// What one request to /api/trpc may ask of the server, checked before tRPC reads anything:
// the size of its body (an unauthenticated 400 MB POST once took the server from 315 MB to
// 1.8 GB, as tRPC buffers the whole body) and the number of procedures in one batch.
import type { Request, RequestHandler, Response } from 'express';
import { readBodyText } from '../shape-service/read-body.ts';

/**
 * Reads the body of a POST, up to `maxBytes`, into `req.body` as text (tRPC uses a string it
 * finds there as the body). A Content-Length over the limit is refused before a byte is read;
 * a chunked body is counted as it arrives and refused the moment it passes the limit.
 */
export function readBoundedBody(maxBytes: number): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    readBodyText(req, maxBytes).then((body) => {
      if (body === 'too-large') return tooLarge(res, maxBytes);
      (req as Request & { body: string }).body = body;
      next();
    }, next);
  };
}

/**
 * 413, and the connection closed rather than kept alive: keeping it would mean reading the
 * rest of the body to find the next request. What has not been read yet is never read.
 */
function tooLarge(res: Response, maxBytes: number): void {
  res
    .status(413)
    .set('Connection', 'close')
    .json({
      error: {
        message: `This request is too large: the server accepts at most ${describeBytes(maxBytes)} at once.`,
      },
    });
}

function describeBytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return Number.isInteger(mb) ? `${mb} MB` : `${Math.round(bytes / 1024)} KB`;
}

/**
 * Refuses a batched call (`/api/trpc/a,b,c?batch=1`) of more than `max` procedures with a
 * sentence, before tRPC sets any of them up. tRPC's own `maxBatchSize` stays as the backstop.
 */
export function limitBatch(max: number): RequestHandler {
  return (req, res, next) => {
    // Read the way tRPC's express adapter reads them: the first `batch` parameter, and the
    // last segment of the path, decoded.
    const url = new URL(req.originalUrl, 'http://localhost');
    if (url.searchParams.get('batch') !== '1') return next();
    let path: string;
    try {
      path = decodeURIComponent(req.path.slice(req.path.lastIndexOf('/') + 1));
    } catch {
      return next(); // tRPC answers a malformed path itself
    }
    const count = path.split(',').length;
    if (count <= max) return next();
    res.status(400).json({
      error: { message: `One request may call at most ${max} procedures; this one called ${count}.` },
    });
  };
}
