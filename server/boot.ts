// Boot and shutdown, in order: lock, database, migrations, demo data and first-run defaults,
// mail, HTTP, job worker.
// `npm start` (server/main.ts) and the integration and e2e tests all start the product here.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createRateLimits } from './auth/rate-limit.ts';
import type { Config } from './config.ts';
import { lockDataDir } from './db/data-dir-lock.ts';
import { startEmbeddedPostgres } from './db/embedded-postgres.ts';
import { migrate } from './db/migrate.ts';
import { checkConnection, createPool, type Pool, redactUrl } from './db/pool.ts';
import { type SeedResult, seedDemoData } from './demo/seed-demo.ts';
import { type DevMailbox, startDevMailbox } from './dev-mailbox/mailbox.ts';
import { ensureFirstRunDefaults } from './first-run.ts';
import { createApp } from './http/app.ts';
import { startWorker, type Worker } from './jobs/worker.ts';
import type { Logger } from './logger.ts';
import { createMailer } from './mail/transport.ts';
import { PortInUseError } from './ports.ts';
import { ensureVapidKeys } from './push/vapid.ts';
import { createShapeRoutes } from './sync/mount.ts';

export const STATIC_DIR = path.resolve(import.meta.dirname, '../dist');

export interface RunningServer {
  readonly url: string;
  readonly databaseUrl: string;
  readonly pool: Pool;
  readonly devMailbox: DevMailbox | null;
  readonly seed: SeedResult | null;
  stop(): Promise<void>;
}

export { PortInUseError };

export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        log.warn(`while stopping: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  try {
    await ensurePortFree(config.host, config.port);

    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      cleanups.push(lockDataDir(config.dataDir));
      const embedded = await startEmbeddedPostgres({
        dataDir: config.dataDir,
        port: config.embeddedPgPort,
        log,
      });
      cleanups.push(() => embedded.stop());
      databaseUrl = embedded.url;
    }
    const pool = createPool(databaseUrl);
    cleanups.push(() => pool.end());
    const { walLevel } = await checkConnection(pool, redactUrl(databaseUrl));
    if (walLevel !== 'logical') {
      log.warn(
        `The database's wal_level is "${walLevel}", not "logical": the apps' live sync needs logical replication. ` +
          'Set wal_level = logical in postgresql.conf and restart Postgres.',
      );
    }
    await migrate(databaseUrl, log);
    // Without SMTP_URL the dev mailbox receives the demo customer's confirmations (sent by the
    // worker once it runs, through the trigger and job path like any booking's).
    const seed = config.seedDemo
      ? await seedDemoData(pool, new Date(), { confirmDemoCustomer: !config.smtpUrl })
      : null;
    // Also on a database the demo seed did not fill: the product needs these to run at all.
    await ensureFirstRunDefaults(pool);
    // The key pair browsers subscribe with: the apps ask for it even when the worker runs apart.
    await ensureVapidKeys(pool, config.push.vapidKeys);

    let devMailbox: DevMailbox | null = null;
    let smtpUrl = config.smtpUrl;
    if (!smtpUrl) {
      devMailbox = await startDevMailbox({ pool, port: config.devSmtpPort, log });
      cleanups.push(() => devMailbox?.close());
      smtpUrl = devMailbox.smtpUrl;
    }
    const mailer = createMailer({ smtpUrl, from: config.mailFrom });
    cleanups.push(() => mailer.close());

    // Sync: the gatekeeper, and the embedded shape service unless ELECTRIC_URL is set. It opens
    // no replication slot until the first shape is asked for, or until it resumes the shapes
    // it kept in the data folder.
    const shapes = createShapeRoutes({
      databaseUrl,
      pool,
      log,
      electricUrl: config.electricUrl,
      electricSecret: config.electricSecret,
      storageDir: path.join(config.dataDir, 'shapes'),
    });
    cleanups.push(() => shapes.stop());

    let worker: Worker | null = null;
    const app = createApp({
      shapes,
      pool,
      log,
      rateLimits: createRateLimits(),
      push: config.push,
      publicUrl: config.publicUrl,
      staticDir: STATIC_DIR,
      devMailbox: devMailbox !== null,
      trustProxy: config.trustProxy,
      health: async () => {
        const database = await pool.query('SELECT 1').then(
          () => 'up',
          () => 'down',
        );
        const workerState = worker ? worker.state() : 'external';
        const ok = database === 'up' && workerState !== 'stopped';
        return { ok, body: { status: ok ? 'ok' : 'degraded', database, worker: workerState } };
      },
    });
    const server = http.createServer(app);
    await listen(server, config.host, config.port);
    cleanups.push(() => closeServer(server));
    const port = (server.address() as AddressInfo).port;
    const publicUrl = config.publicUrl ?? `http://localhost:${port}`;

    if (config.worker === 'inline') {
      worker = await startWorker({ pool, mailer, publicUrl, log, push: config.push });
      cleanups.push(() => worker?.stop());
    }
    return {
      url: publicUrl,
      databaseUrl,
      pool,
      devMailbox,
      seed,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function ensurePortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = http.createServer();
  await listen(probe, host, port);
  await closeServer(probe);
}

function listen(server: http.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new PortInUseError(
              `Port ${port} is in use: is the product already running? Stop it, or choose another port with PORT=…`,
            )
          : error,
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
