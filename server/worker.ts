// `npm run worker`: the job worker alone, for a deployment that runs it apart from the
// server (then start the server with WORKER=off). It needs the shared database, a real
// SMTP server and the public address links in emails point to.
import { loadConfig } from './config.ts';
import { checkConnection, createPool, redactUrl } from './db/pool.ts';
import { startWorker } from './jobs/worker.ts';
import { createLogger } from './logger.ts';
import { createMailer } from './mail/transport.ts';

const config = loadConfig();
const log = createLogger(config.logLevel);
const missing = (['DATABASE_URL', 'SMTP_URL', 'PUBLIC_URL'] as const).filter((name) => !process.env[name]);
if (missing.length || !config.databaseUrl || !config.smtpUrl || !config.publicUrl) {
  log.error(
    `npm run worker needs ${missing.join(', ')} set: it shares the server's database, sends mail through ` +
      'a real SMTP server, and writes links to the public address.',
  );
  process.exit(1);
}
const pool = createPool(config.databaseUrl);
try {
  await checkConnection(pool, redactUrl(config.databaseUrl));
} catch (error) {
  log.error((error as Error).message);
  process.exit(1);
}
const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom });
const worker = await startWorker({ pool, mailer, publicUrl: config.publicUrl, log, push: config.push });
log.info('The job worker is running. Press Ctrl+C to stop.');
const stop = async () => {
  await worker.stop();
  mailer.close();
  await pool.end();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
