// Schema at boot: graphile-worker's own migrations first (our triggers call
// graphile_worker.add_job), then ours from migrations/*.sql with node-pg-migrate,
// which records each in `pgmigrations` so it runs once, under an advisory lock.
import path from 'node:path';
import { runMigrations as runWorkerMigrations, Logger as WorkerLogger } from 'graphile-worker';
import { runner } from 'node-pg-migrate';
import type { Logger } from '../logger.ts';
import { createPool } from './pool.ts';
import { syncStatusTransitions } from './status-transitions.ts';

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../migrations');

export async function migrate(databaseUrl: string, log: Logger): Promise<void> {
  await runWorkerMigrations({ connectionString: databaseUrl, logger: silentWorkerLogger });
  const applied = await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    checkOrder: true,
    singleTransaction: true,
    logger: { debug: () => {}, info: () => {}, warn: (m) => log.warn(m), error: (m) => log.error(m) },
  });
  if (applied.length) log.info(`Applied migrations: ${applied.map((m) => m.name).join(', ')}`);
  // Rules the schema enforces from the shared TypeScript tables, written after every run.
  const pool = createPool(databaseUrl);
  try {
    await syncStatusTransitions(pool);
  } finally {
    await pool.end();
  }
}

const silentWorkerLogger = new WorkerLogger(() => () => {});
