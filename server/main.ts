// `npm start`: start everything with embedded defaults and say where to open it.
import { activeAdminCount } from './auth/staff-accounts.ts';
import { type RunningServer, startServer } from './boot.ts';
import { loadConfig } from './config.ts';
import { DEMO_PASSWORD, DEMO_SIGN_INS, hasDemoData } from './demo/seed-demo.ts';
import { describeFailure } from './failure.ts';
import { createLogger } from './logger.ts';

const CREATE_ADMIN_COMMAND = 'npm run create-admin -- --email you@example.com --name "Your Name"';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  console.error(describeFailure(error));
  process.exit(1);
}
const log = createLogger(config.logLevel);

// Signals are handled from the first moment: one arriving while the server starts (or while
// the banner is being written) must still stop Postgres and the rest in order, not kill the
// process and leave an orphaned Postgres for the next start to clean up.
let server: RunningServer | null = null;
let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info(`\n${signal}: stopping…`);
  if (!server) return; // still starting: it stops as soon as it has started, below
  await server.stop();
  log.info('Stopped.');
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

try {
  const running = await startServer(config, log);
  server = running;
  if (stopping) {
    await running.stop();
    process.exit(0);
  }
  // performance.now() counts from the process start, so this includes loading the code.
  const seconds = (performance.now() / 1000).toFixed(1);
  const url = running.url;
  const mailbox = running.devMailbox;
  // The database says whether the demo sign-ins work, not SEED_DEMO: a database seeded by an
  // earlier start keeps them, and one that was never seeded has none.
  const demo = await hasDemoData(running.pool);
  const accounts = demo
    ? `
Demo sign-ins (password "${DEMO_PASSWORD}"):
  admin        ${DEMO_SIGN_INS.admin}
  fieldworkers ${DEMO_SIGN_INS.fieldworkers.join(', ')}
  customer     ${DEMO_SIGN_INS.customer}  (ask for a sign-in link in the portal${mailbox ? '; it arrives in the dev mailbox' : ''})
${
  running.seed?.seeded
    ? `\nDemo data was created in this empty database.${mailbox ? ` The dev mailbox holds ${DEMO_SIGN_INS.customer}'s booking confirmations.` : ''}\n`
    : ''
}`
    : (await activeAdminCount(running.pool)) === 0
      ? `
No admin account yet. Create the first one (it asks for a password, or prints a link to set one):
  ${CREATE_ADMIN_COMMAND}
`
      : `
Add another admin with: ${CREATE_ADMIN_COMMAND}
`;
  // The banner is what `npm start` is for: shown at every log level but silent.
  if (config.logLevel !== 'silent')
    console.log(`
Ready in ${seconds} s.

  Admin app        ${url}/admin/
  Fieldworker app  ${url}/field/
  Customer portal  ${url}/portal/
${mailbox ? `  Dev mailbox      ${url}/dev/mailbox   (SMTP on 127.0.0.1:${mailbox.port})\n` : ''}  Health           ${url}/api/health
${accounts}
Database: ${config.databaseUrl ? 'DATABASE_URL' : `embedded Postgres in ${config.dataDir}`}. Press Ctrl+C to stop.`);
} catch (error) {
  // Stopping mid-banner closes the pool under it: nothing went wrong, the shutdown is under way.
  if (stopping && server) await new Promise(() => {});
  // startServer has already stopped what it started; the sentence is all a person needs.
  log.error(describeFailure(error, config.logLevel === 'debug'));
  process.exit(1);
}
