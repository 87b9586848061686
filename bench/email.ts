// Email latency and throughput with the worker in-process: the time from a cancelling
// COMMIT to the cancellation email being accepted by a local SMTP capture (p50/p95/p99 over
// sequential cancellations), then a burst of cancellations committed at once.
// Rerun: npm run bench:email [-- --sequential 200 --burst 1000]
import os from 'node:os';
import { startSmtpCapture } from '../test/support/smtp-capture.ts';
import { cancellationEmailTimes, makeBookings } from './support/cancellations.ts';
import { startInProcessServer } from './support/in-process-server.ts';
import { percentile } from './support/percentile.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SEQUENTIAL = arg('sequential', 200);
const BURST = arg('burst', 1000);

const smtp = await startSmtpCapture();
const { server, stop } = await startInProcessServer('email', { SMTP_URL: smtp.url });
const pool = server.pool;

const arrivals = cancellationEmailTimes(smtp);
const waitFor = async (ids: string[]) => {
  while (!ids.every((id) => arrivals.has(id))) await new Promise((r) => setTimeout(r, 2));
};
const cancel = (id: string) => pool.query(`UPDATE bookings SET status = 'cancelled' WHERE id = $1`, [id]);

// Sequential: one cancellation at a time, each waited for.
const latencies: number[] = [];
for (const id of await makeBookings(pool, SEQUENTIAL)) {
  await cancel(id);
  const committed = performance.now(); // the UPDATE autocommits: its answer comes after COMMIT
  await waitFor([id]);
  latencies.push((arrivals.get(id) as number) - committed);
}
latencies.sort((a, b) => a - b);
const pct = (p: number) => percentile(latencies, p / 100).toFixed(1);

// Burst: every cancellation committed as fast as the pool allows, then all emails awaited.
const burstIds = await makeBookings(pool, BURST);
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

await stop();
await smtp.stop();
process.exit(0);
