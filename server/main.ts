// `npm start`: start everything with embedded defaults and say where to open it.
import { startServer } from './boot.ts';
import { loadConfig } from './config.ts';
import { DEMO_PASSWORD, DEMO_SIGN_INS } from './db/seed-demo.ts';
import { createLogger } from './logger.ts';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
const log = createLogger(config.logLevel);

try {
  const server = await startServer(config, log);
  // performance.now() counts from the process start, so this includes loading the code.
  const seconds = (performance.now() / 1000).toFixed(1);
  const url = server.url;
  // The banner is what `npm start` is for: shown at every log level but silent.
  if (config.logLevel !== 'silent')
    console.log(`
Ready in ${seconds} s.

  Admin app        ${url}/admin/
  Fieldworker app  ${url}/field/
  Customer portal  ${url}/portal/
${server.devMailbox ? `  Dev mailbox      ${url}/dev/mailbox   (SMTP on 127.0.0.1:${server.devMailbox.port})\n` : ''}  Health           ${url}/api/health

Demo sign-ins (password "${DEMO_PASSWORD}"):
  admin        ${DEMO_SIGN_INS.admin}
  fieldworkers ${DEMO_SIGN_INS.fieldworkers.join(', ')}
  customer     ${DEMO_SIGN_INS.customer}  (ask for a sign-in link in the portal; it arrives in the dev mailbox)
${server.seed?.seeded ? '\nDemo data was created in this empty database.' : ''}
Database: ${config.databaseUrl ? 'DATABASE_URL' : `embedded Postgres in ${config.dataDir}`}. Press Ctrl+C to stop.`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`\n${signal}: stopping…`);
    await server.stop();
    log.info('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
} catch (error) {
  const known = error instanceof Error && error.name !== 'Error' && error.name !== 'TypeError';
  log.error(error instanceof Error ? error.message : String(error), known ? undefined : error);
  process.exit(1);
}
