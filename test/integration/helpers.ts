// Helpers for integration tests: a fresh database per file, the product started on it,
// and tRPC callers for any role, all against the real Postgres.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { Context, CookieJar } from '../../server/api/context.ts';
import { createCaller } from '../../server/api/router.ts';
import { createRateLimits, type RateLimits } from '../../server/auth/rate-limit.ts';
import type { Session } from '../../server/auth/sessions.ts';
import { type RunningServer, startServer } from '../../server/boot.ts';
import { loadConfig } from '../../server/config.ts';
import { createPool, type Pool } from '../../server/db/pool.ts';
import { seedDemoData } from '../../server/demo/seed-demo.ts';
import { createLogger } from '../../server/logger.ts';
import type { PushConfig } from '../../server/push/push-services.ts';

/** A new database cloned from the migrated template: empty tables, every migration applied. */
export async function freshDatabase(): Promise<string> {
  const templateUrl = inject('templateDatabaseUrl');
  const name = `t_${randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: templateUrl.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${new URL(templateUrl).pathname.slice(1)}`);
  } finally {
    await admin.end();
  }
  return templateUrl.replace(/\/[^/]+$/, `/${name}`);
}

export const silentLog = createLogger('silent');

/** The whole product (HTTP, worker, dev mailbox) on a fresh database and free ports. */
export async function startTestServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const databaseUrl = env.DATABASE_URL ?? (await freshDatabase());
  const config = loadConfig({
    PORT: '0',
    DEV_SMTP_PORT: '0',
    LOG_LEVEL: 'silent',
    // Shapes are kept in the data folder: a folder of its own for each test server.
    DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'bookings-test-server-')),
    ...env,
    DATABASE_URL: databaseUrl,
  });
  const server = await startServer(config, silentLog);
  return {
    ...server,
    async stop() {
      await server.stop();
      // The shape service keeps its slot for a restart; a test server has none to come.
      await dropInactiveSlots(databaseUrl);
    },
  };
}

/** Drops the replication slots stopped shape services kept on this database (they hold WAL). */
export async function dropInactiveSlots(databaseUrl: string): Promise<void> {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(
      `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
        WHERE database = current_database() AND NOT active`,
    );
  } finally {
    await admin.end();
  }
}

export interface TestCookies extends CookieJar {
  readonly values: Map<string, string>;
}

export function testCookies(initial: Record<string, string> = {}): TestCookies {
  const values = new Map(Object.entries(initial));
  return {
    values,
    get: (name) => values.get(name),
    set: (name, value) => void values.set(name, value),
    clear: (name) => void values.delete(name),
  };
}

/** A tRPC caller as `session` would call, with no HTTP in between. */
export function callerFor(
  pool: Pool,
  session: Session | null,
  options: { cookies?: CookieJar; rateLimits?: RateLimits; ip?: string; push?: PushConfig } = {},
) {
  const ctx: Context = {
    pool,
    session,
    cookies: options.cookies ?? testCookies(),
    ip: options.ip ?? '127.0.0.1',
    rateLimits: options.rateLimits ?? createRateLimits(),
    log: silentLog,
    push: options.push ?? loadConfig({}).push,
  };
  return createCaller(ctx);
}

export async function poolOnFreshDatabase(): Promise<Pool> {
  return createPool(await freshDatabase());
}

/** Polls until `probe` returns a value (not undefined/null/false), or fails after `ms`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined | null | false>,
  ms = 10_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Gave up waiting after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A fresh database with the demo data in it. */
export async function seededPool(): Promise<Pool> {
  const pool = await poolOnFreshDatabase();
  await seedDemoData(pool);
  return pool;
}

/** The session a demo account would have after signing in. */
export async function sessionOf(pool: Pool, email: string): Promise<Session> {
  const staff = await pool.query<{ id: string; role: 'admin' | 'fieldworker'; name: string; email: string }>(
    'SELECT id, role, name, email FROM users WHERE email = $1',
    [email],
  );
  const user = staff.rows[0];
  if (user) return { role: user.role, userId: user.id, name: user.name, email: user.email };
  const { rows } = await pool.query<{ id: string; name: string; email: string }>(
    'SELECT id, name, email FROM customers WHERE email = $1',
    [email],
  );
  const customer = rows[0];
  if (!customer) throw new Error(`No demo account ${email}`);
  return { role: 'customer', customerId: customer.id, name: customer.name, email: customer.email };
}
