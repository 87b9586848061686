// The embedded shape service as one thing to start and stop: its own connection pool (values
// as text, fixed display settings), the replication stream, the shape cache, the shapes kept
// on disk, and the HTTP handler. Nothing touches the database until the first shape is asked
// for, or until shapes kept from the last run are restored: those resume from the slot, so
// their clients continue from their offsets after a restart, and requests wait until the
// stream has caught up with everything committed meanwhile.

import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from './logger.ts';
import { parseLsn } from './offset.ts';
import type { FollowParams } from './params.ts';
import { CONNECTION_OPTIONS, Replication } from './replication.ts';
import { createV1Handler, type V1Handler } from './service.ts';
import { ShapeCache } from './shape-cache.ts';
import { defineShape, type ShapeParams } from './shape-definition.ts';
import { DEFAULT_TIMINGS, type ServeOptions, type ServeTimings, ShapeServer } from './shape-server.ts';
import { ShapeStore } from './shape-store.ts';

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
  /** Folder to keep shape logs in (a subfolder per database), so that a restart resumes them. */
  readonly storageDir: string;
}

export interface ShapeService {
  /** /v1/shape and /v1/health, as a plain Node handler (Express mounts it as it is). */
  readonly handle: V1Handler;
  /** Serves a shape whose definition the caller fixed (the gatekeeper); no secret involved. */
  serve(
    req: IncomingMessage,
    res: ServerResponse,
    shape: ShapeParams,
    follow: FollowParams,
    options?: ServeOptions,
  ): Promise<void>;
  readonly cache: ShapeCache;
  readonly replication: Replication;
  /** Live long-polls parked right now, waiting for a change. */
  parkedPolls(): number;
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

  const name = options.replicationName ?? defaultReplicationName(options.databaseUrl);
  const store = new ShapeStore(path.join(options.storageDir, name));
  let cache: ShapeCache;
  const replication = new Replication({
    databaseUrl: options.databaseUrl,
    pool,
    log: options.log,
    name: store.readState()?.slot ?? name,
    onItem: (item) => cache.enqueue(item),
    pingMs: options.pingMs,
    onStarted: (names) => store.writeState(names),
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
    store,
  });
  cache.restoring = restoreShapes(store, cache, replication, pool, options.log).catch((error) => {
    options.log.warn(`shapes: could not restore the shapes kept on disk: ${(error as Error).message}`);
    for (const shape of cache.shapes()) cache.remove(shape, 'could not be restored');
  });
  const server = new ShapeServer(cache, pool, options.log, { ...DEFAULT_TIMINGS, ...options.timings });
  const handle = createV1Handler(server, {
    secret: options.secret,
    allowDelete: options.allowDelete ?? false,
    health: () => pool.query('SELECT 1').then(() => true),
  });

  let stopped = false;
  return {
    handle,
    serve: (req, res, shape, follow, opts) => server.serve(req, res, shape, follow, opts),
    cache,
    replication,
    parkedPolls: () => server.parkedPolls,
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

/**
 * Brings back the shapes the last run kept, resumes the stream from its slot, and waits until
 * everything committed before now has been routed into them. If the slot cannot be resumed
 * (lost, dropped), the shapes go and their clients refetch (409), as they would from Electric.
 */
async function restoreShapes(
  store: ShapeStore,
  cache: ShapeCache,
  replication: Replication,
  pool: pg.Pool,
  log: Logger,
): Promise<void> {
  const loaded = store.load();
  if (loaded.length === 0) return;
  const restored = await cache.restore(loaded, (params) => defineShape(pool, params));
  if (restored.length === 0) return;
  const resumed = await replication.start({ resume: true });
  for (const shape of restored) {
    if (!resumed || !replication.isPublished(shape.definition.table.oid))
      cache.remove(shape, 'its replication slot could not be resumed');
  }
  if (!resumed) {
    log.warn('shapes: the replication slot of the kept shapes is gone; their clients will refetch');
    return;
  }
  const { rows } = await pool.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  const now = parseLsn(rows[0]?.lsn ?? '0/0');
  const caughtUp = await cache.waitForLsn(now - 1n, 60_000);
  if (!caughtUp) log.warn('shapes: the stream is slow to catch up after the restart; serving anyway');
  log.info(`shapes: resumed ${restored.length} shape(s) kept on disk`);
}
