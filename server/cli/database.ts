// The database a command works on, found the way the server finds it: DATABASE_URL, else the
// embedded Postgres in DATA_DIR. While a server runs on that folder, its Postgres is used
// (the port it runs on is recorded in the folder); otherwise the command starts the embedded
// Postgres itself, holding the folder's lock until it is done.
import type { Config } from '../config.ts';
import { dataDirHolder, lockDataDir } from '../db/data-dir-lock.ts';
import { embeddedDatabaseUrl, readRecordedPort, startEmbeddedPostgres } from '../db/embedded-postgres.ts';
import { migrate } from '../db/migrate.ts';
import { checkConnection, createPool, type Pool, redactUrl } from '../db/pool.ts';
import { ensureFirstRunDefaults } from '../first-run.ts';
import type { Logger } from '../logger.ts';

export interface CommandDatabase {
  readonly pool: Pool;
  close(): Promise<void>;
}

export class ServerDatabaseUnreachableError extends Error {
  override name = 'ServerDatabaseUnreachableError';
}

export async function openCommandDatabase(config: Config, log: Logger): Promise<CommandDatabase> {
  if (config.databaseUrl) return ready(config.databaseUrl, log, async () => {});

  const holder = dataDirHolder(config.dataDir);
  if (holder !== null) {
    const port = readRecordedPort(config.dataDir);
    const waitOrStop =
      `The server (pid ${holder}) is using the data folder ${config.dataDir}, but its database did not answer` +
      `${port ? ` on port ${port}` : ''}. Wait until the server has started and try again, or stop it first.`;
    if (!port) throw new ServerDatabaseUnreachableError(waitOrStop);
    return ready(embeddedDatabaseUrl(config.dataDir, port), log, async () => {}, waitOrStop);
  }

  const unlock = lockDataDir(config.dataDir);
  try {
    const embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      port: config.embeddedPgPort,
      log,
    });
    return await ready(embedded.url, log, async () => {
      await embedded.stop();
      unlock();
    });
  } catch (error) {
    unlock();
    throw error;
  }
}

/** Connected, migrated, with the first-run defaults: what the server would have at boot. */
async function ready(
  url: string,
  log: Logger,
  after: () => Promise<void>,
  unreachable?: string,
): Promise<CommandDatabase> {
  const pool = createPool(url);
  const close = async () => {
    await pool.end();
    await after();
  };
  try {
    await checkConnection(pool, redactUrl(url)).catch((error: unknown) => {
      throw unreachable ? new ServerDatabaseUnreachableError(unreachable) : error;
    });
    await migrate(url, log);
    await ensureFirstRunDefaults(pool);
    return { pool, close };
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
}
