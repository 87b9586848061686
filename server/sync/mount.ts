// What the product server mounts for sync: the gatekeeper at /api/shapes/:name, and — unless
// ELECTRIC_URL points at a real Electric — the embedded shape service at /v1/shape behind a
// secret (ELECTRIC_SECRET, or a random one nobody is told), so the raw endpoint is never open.
import { randomBytes } from 'node:crypto';
import type express from 'express';
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../logger.ts';
import { createShapeService } from '../shape-service/embedded.ts';
import type { V1Handler } from '../shape-service/service.ts';
import { createGatekeeper, GATEKEEPER_CACHE_CONTROL } from './gatekeeper.ts';
import { proxyShape } from './proxy.ts';

export interface ShapeRoutes {
  /** /v1/shape and /v1/health of the embedded service; null when Electric serves shapes. */
  readonly v1: V1Handler | null;
  readonly gatekeeper: express.RequestHandler;
  stop(): Promise<void>;
}

export function createShapeRoutes(options: {
  readonly databaseUrl: string;
  readonly pool: Pool;
  readonly log: Logger;
  readonly electricUrl?: string | undefined;
  readonly electricSecret?: string | undefined;
  /** The embedded service keeps its shape logs here, so a restart resumes every device. */
  readonly storageDir: string;
}): ShapeRoutes {
  const { pool, log, electricUrl, electricSecret } = options;
  if (electricUrl) {
    const electric = { url: electricUrl, secret: electricSecret, log };
    const gatekeeper = createGatekeeper({
      pool,
      log,
      upstream: (req, res, shape, follow) =>
        proxyShape(electric, req, res, shape, follow, (name, value) => {
          if (name === 'cache-control') return GATEKEEPER_CACHE_CONTROL;
          // The gatekeeper is same-origin and cookie-authenticated: no cross-origin grants.
          if (name.startsWith('access-control-allow-')) return null;
          return value;
        }),
    });
    return { v1: null, gatekeeper, stop: async () => {} };
  }
  const service = createShapeService({
    databaseUrl: options.databaseUrl,
    log,
    secret: electricSecret ?? randomBytes(32).toString('base64url'),
    storageDir: options.storageDir,
  });
  const gatekeeper = createGatekeeper({
    pool,
    log,
    upstream: (req, res, shape, follow) =>
      service.serve(req, res, shape, follow, { cacheControl: GATEKEEPER_CACHE_CONTROL }),
  });
  return { v1: service.handle, gatekeeper, stop: () => service.stop() };
}
