// Email latency and throughput with the worker in-process: the time from a cancelling
// COMMIT to the cancellation email being accepted by a local SMTP capture (p50/p95/p99 over
// sequential cancellations), then a burst of cancellations committed at once.
// Rerun: npm run bench:email [-- --sequential 200 --burst 1000]
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../server/boot.ts';
import { loadConfig } from '../server/config.ts';
import { createLogger } from '../server/logger.ts';
import { freePort } from '../test/integration/free-port.ts';
import { startSmtpCapture } from '../test/support/smtp-capture.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SEQUENTIAL = arg('sequential', 200);
const BURST = arg('burst', 1000);

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bookings-bench-email-'));
chmodSync(dataDir, 0o755);
const smtp = await startSmtpCapture();
const config = loadConfig({
  DATA_DIR: dataDir,
  PORT: '0',
  EMBEDDED_PG_PORT: String(await freePort()),
  SMTP_URL: smtp.url,
  LOG_LEVEL: 'warn',
});
const server = await startServer(config, createLogger('warn'));
const pool = server.pool;

/** Bookings to cancel, inserted without confirmation emails (as the demo seed does). */
async function makeBookings(n: number): Promise<string[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.seeding', 'on', true)`);
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO bookings (customer_id, service_id, status, starts_at, ends_at, address, price_minor, currency)
       SELECT c.id, s.id, 'scheduled', now() + interval '10 days', now() + interval '10 days 2 hours', 'Bench St', 100, 'USD'
         FROM generate_series(1, $1), (SELECT id FROM customers LIMIT 1) c, (SELECT id FROM services LIMIT 1) s
       RETURNING id`,
      [n],
    );
    await client.query('COMMIT');
    return rows.map((r) => r.id);
  } finally {
    client.release();
  }
}

const arrivals = new Map<string, number>();
smtp.onMessage((mail) => {
  const id = /\/portal\/bookings\/([0-9a-f-]{36})\?/.exec(mail.text)?.[1];
  if (id && mail.subject.startsWith('Cancelled:')) arrivals.set(id, mail.receivedAt);
});
const waitFor = async (ids: string[]) => {
  while (!ids.every((id) => arrivals.has(id))) await new Promise((r) => setTimeout(r, 2));
};
const cancel = (id: string) => pool.query(`UPDATE bookings SET status = 'cancelled' WHERE id = $1`, [id]);

// Sequential: one cancellation at a time, each waited for.
const latencies: number[] = [];
for (const id of await makeBookings(SEQUENTIAL)) {
  await cancel(id);
  const committed = performance.now(); // the UPDATE autocommits: its answer comes after COMMIT
  await waitFor([id]);
  latencies.push((arrivals.get(id) as number) - committed);
}
latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  (latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] as number).toFixed(1);

// Burst: every cancellation committed as fast as the pool allows, then all emails awaited.
const burstIds = await makeBookings(BURST);
const burstStart = performance.now();
await Promise.all(burstIds.map(cancel));
const committedAll = performance.now();
await waitFor(burstIds);
const burstEnd = performance.now();

console.log(
  `Cancellation email, COMMIT → accepted by the local SMTP capture (worker in-process, concurrency 4)`,
);
console.log(`  machine: ${os.cpus().length} cores, Node ${process.version}, embedded Postgres 18`);
console.log(
  `  sequential, ${SEQUENTIAL} cancellations: p50 ${pct(50)} ms, p95 ${pct(95)} ms, p99 ${pct(99)} ms`,
);
console.log(
  `  burst of ${BURST}: committed in ${((committedAll - burstStart) / 1000).toFixed(2)} s, all accepted after ${((burstEnd - burstStart) / 1000).toFixed(2)} s` +
    ` = ${(BURST / ((burstEnd - burstStart) / 1000)).toFixed(0)} emails/s`,
);
console.log('Rerun: npm run bench:email -- --sequential 200 --burst 1000');

await server.stop();
await smtp.stop();
rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
