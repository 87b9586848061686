// One real Postgres for the whole integration run: the embedded server in a temporary data
// folder, with a template database that has every migration applied. Each test file clones
// the template into a database of its own (CREATE DATABASE … TEMPLATE), which takes ms.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../server/db/embedded-postgres.ts';
import { migrate } from '../../server/db/migrate.ts';
import { createLogger } from '../../server/logger.ts';
import { freePort } from './free-port.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabaseUrl: string;
  }
}

export const TEMPLATE_DATABASE = 'app_template';

export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bookings-it-'));
  chmodSync(dataDir, 0o755); // Postgres runs as the `postgres` OS user when we are root
  const log = createLogger('warn');
  const embedded = await startEmbeddedPostgres({ dataDir, port: await freePort(), log });
  const admin = new pg.Client({ connectionString: embedded.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  await admin.end();
  const templateUrl = embedded.url.replace(/\/[^/]+$/, `/${TEMPLATE_DATABASE}`);
  await migrate(templateUrl, log);
  project.provide('templateDatabaseUrl', templateUrl);
  return async () => {
    await embedded.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
