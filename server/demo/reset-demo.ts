// `npm run reset-demo`: delete every business row and seed the demo data again. For the
// embedded database, stop the server first (the data folder is locked while it runs).
import { loadConfig } from '../config.ts';
import { lockDataDir } from '../db/data-dir-lock.ts';
import { startEmbeddedPostgres } from '../db/embedded-postgres.ts';
import { migrate } from '../db/migrate.ts';
import { createPool } from '../db/pool.ts';
import { createLogger } from '../logger.ts';
import { seedDemoData } from './seed-demo.ts';

const APP_TABLES = [
  'write_claims',
  'dev_mailbox_messages',
  'email_templates',
  'sessions',
  'staff_password_tokens',
  'link_tokens',
  'push_subscriptions',
  'notifications',
  'booking_events',
  'bookings',
  'business_settings',
  'fees',
  'services',
  'customers',
  'users',
];

const config = loadConfig();
const log = createLogger(config.logLevel);
try {
  let url = config.databaseUrl;
  let stopEmbedded = async () => {};
  let unlock = () => {};
  if (!url) {
    unlock = lockDataDir(config.dataDir);
    const embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      port: config.embeddedPgPort,
      log,
    });
    url = embedded.url;
    stopEmbedded = () => embedded.stop();
  }
  await migrate(url, log);
  const pool = createPool(url);
  // The dev mailbox goes too: its emails' links point at rows that are gone. The demo
  // customer's confirmations are queued again and arrive at the next start.
  await pool.query(`TRUNCATE ${APP_TABLES.join(', ')} CASCADE`);
  await seedDemoData(pool, new Date(), { confirmDemoCustomer: !config.smtpUrl });
  await pool.end();
  await stopEmbedded();
  unlock();
  log.info('The demo data was reset. Start the product with `npm start`.');
  process.exit(0);
} catch (error) {
  log.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
