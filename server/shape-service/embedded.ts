// The embedded shape service as one thing to start and stop: its own connection pool (values
// as text, fixed display settings), the replication stream, the shape cache, and the HTTP
// router. Nothing touches the database until the first shape is asked for, so a server that
// never serves a shape never holds a replication slot.
import type express from 'express';
import pg from 'pg';
import type { Logger } from './logger.ts';
import type { FollowParams } from './params.ts';
import { CONNECTION_OPTIONS, Replication } from './replication.ts';
import { createV1Router } from './service.ts';
import { ShapeCache } from './shape-cache.ts';
import type { ShapeParams } from './shape-definition.ts';
import { DEFAULT_TIMINGS, type ServeOptions, type ServeTimings, ShapeServer } from './shape-server.ts';

export interface ShapeServiceOptions {
  readonly databaseUrl: string;
  readonly log: Logger;
  /** The `secret` query parameter /v1/shape requires; null leaves it open (ELECTRIC_INSECURE). */
  readonly secret: string | null;
  /** DELETE /v1/shape (ELECTRIC_ENABLE_INTEGRATION_TESTING). */
  readonly allowDelete?: boolean;
  readonly timings?: Partial<ServeTimings>;
  readonly chunkBytes?: number;
  readonly maxLogBytes?: number;
  readonly idleMs?: number;
  /** How often to ask Postgres for a keepalive (advances global_last_seen_lsn when idle). */
  readonly pingMs?: number;
  /** Base name of the replication slot and publication (default: from the database name). */
  readonly replicationName?: string;
}

export interface ShapeService {
  /** /v1/shape and /v1/health. */
  readonly router: express.Router;
  /** Serves a shape whose definition the caller fixed (the gatekeeper); no secret involved. */
  serve(
    req: express.Request,
    res: express.Response,
    shape: ShapeParams,
    follow: FollowParams,
    options?: ServeOptions,
  ): Promise<void>;
  readonly cache: ShapeCache;
  readonly replication: Replication;
  readonly pool: pg.Pool;
  stop(): Promise<void>;
}

/** `shapes_<database>`: slot names are per cluster, so the database's name keeps them apart. */
export function defaultReplicationName(databaseUrl: string): string {
  let database = 'postgres';
  try {
    database = decodeURIComponent(new URL(databaseUrl).pathname.slice(1)) || database;
  } catch {}
  return `shapes_${database.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 56);
}

export function createShapeService(options: ShapeServiceOptions): ShapeService {
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: 10,
    connectionTimeoutMillis: 10_000,
    options: CONNECTION_OPTIONS,
    // Every value stays as Postgres wrote it: the protocol sends values as text.
    types: { getTypeParser: () => (value: string) => value },
  } as pg.PoolConfig);
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));

  let cache: ShapeCache;
  const replication = new Replication({
    databaseUrl: options.databaseUrl,
    pool,
    log: options.log,
    name: options.replicationName ?? defaultReplicationName(options.databaseUrl),
    onItem: (item) => cache.enqueue(item),
    pingMs: options.pingMs,
  });
  cache = new ShapeCache({
    pool,
    log: options.log,
    ensureTable: async (table) => {
      await replication.start();
      await replication.ensureTable(table);
    },
    acknowledge: (lsn) => replication.acknowledge(lsn),
    chunkBytes: options.chunkBytes,
    maxLogBytes: options.maxLogBytes,
    idleMs: options.idleMs,
  });
  const server = new ShapeServer(cache, pool, options.log, { ...DEFAULT_TIMINGS, ...options.timings });
  const router = createV1Router(server, {
    secret: options.secret,
    allowDelete: options.allowDelete ?? false,
    health: () => pool.query('SELECT 1').then(() => true),
  });

  let stopped = false;
  return {
    router,
    serve: (req, res, shape, follow, opts) => server.serve(req, res, shape, follow, opts),
    cache,
    replication,
    pool,
    async stop() {
      if (stopped) return;
      stopped = true;
      cache.stop();
      await replication.stop();
      await pool.end();
    },
  };
}
