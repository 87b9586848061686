// Web push latency beside the email's, with the worker in-process: for each cancellation of a
// fieldworker's booking, the time from its COMMIT to the push being received, its VAPID JWT
// checked and its body decrypted by a local push service (test/support/push-receiver.ts, the
// fieldworker's one subscribed device), and, for the same cancellation, to its email being
// accepted by a local SMTP capture (the floor: the path `npm run bench:email` measures).
// p50/p95/p99/max over sequential cancellations, one at a time. Goal: push p95 ≤ 2 × email p95.
// Printed, never asserted.
// Rerun: npm run bench:push [-- --cancellations 200]
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import webpush from 'web-push';
import { DEMO_PASSWORD, DEMO_SIGN_INS } from '../server/demo/seed-demo.ts';
import { readVapidKeys } from '../server/push/vapid.ts';
import { type FakeDevice, startPushReceiver } from '../test/support/push-receiver.ts';
import { startSmtpCapture } from '../test/support/smtp-capture.ts';
import { cancellationEmailTimes, makeBookings } from './support/cancellations.ts';
import { startInProcessServer } from './support/in-process-server.ts';
import { percentile } from './support/percentile.ts';

const i = process.argv.indexOf('--cancellations');
const CANCELLATIONS = i > 0 ? Number(process.argv[i + 1]) : 200;
const FIELDWORKER = DEMO_SIGN_INS.fieldworkers[0];
const WAIT_MS = 30_000;
const RERUN = `npm run bench:push -- --cancellations ${CANCELLATIONS}`;

const smtp = await startSmtpCapture();
const receiver = await startPushReceiver();
const { server, config, stop } = await startInProcessServer('push', {
  SMTP_URL: smtp.url,
  PUSH_SERVICES: receiver.origin,
});
const pool = server.pool;

/** Signs the fieldworker in over HTTP and subscribes one receiver device, as the field app does. */
async function subscribeDevice(): Promise<FakeDevice['subscription']> {
  const post = (procedure: string, body: unknown, cookie = '') =>
    fetch(`${server.url}/api/trpc/${procedure}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify(body),
    });
  const signIn = await post('auth.staffSignIn', {
    email: FIELDWORKER,
    password: DEMO_PASSWORD,
    app: 'field',
  });
  if (!signIn.ok)
    throw new Error(`${FIELDWORKER} could not sign in: ${signIn.status} ${await signIn.text()}`);
  const cookie = signIn.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { subscription } = receiver.device();
  const res = await post(
    'push.subscribe',
    { writeId: randomUUID(), deviceId: randomUUID(), ...subscription },
    cookie,
  );
  if (!res.ok) throw new Error(`push.subscribe failed: ${res.status} ${await res.text()}`);
  return subscription;
}

/** CPU ms per push of web-push's part of the job alone (aes128gcm encryption and a signed VAPID JWT), as send-push-message.ts calls it. */
async function encryptAndSignMs(subscription: FakeDevice['subscription'], n: number): Promise<number> {
  const vapid = await readVapidKeys(pool);
  if (!vapid) throw new Error('the server has no VAPID keys');
  const payload = JSON.stringify(receiver.received[0]?.payload);
  const options = {
    vapidDetails: { subject: config.push.subject, ...vapid },
    TTL: 86400,
    urgency: 'high' as const,
    topic: 'a'.repeat(32),
  };
  const before = process.cpuUsage();
  for (let k = 0; k < n; k++) webpush.generateRequestDetails(subscription, payload, options);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / n;
}

const emailAt = cancellationEmailTimes(smtp);
const pushAt = (bookingId: string) => receiver.received.find((p) => p.payload.bookingId === bookingId)?.at;

async function until(done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!done()) {
    if (Date.now() > deadline) {
      const rejected = receiver.rejected.length
        ? ` (the receiver refused: ${receiver.rejected.join('; ')})`
        : '';
      throw new Error(`no ${what} after ${WAIT_MS / 1000} s${rejected}`);
    }
    await new Promise((r) => setTimeout(r, 2));
  }
}

const subscription = await subscribeDevice();
const bookings = await makeBookings(pool, CANCELLATIONS, FIELDWORKER);
const pushMs: number[] = [];
const emailMs: number[] = [];
const client = await pool.connect();
const cpuBefore = process.cpuUsage();
const wallBefore = performance.now();
try {
  for (const id of bookings) {
    await client.query('BEGIN');
    await client.query(`UPDATE bookings SET status = 'cancelled' WHERE id = $1`, [id]);
    await client.query('COMMIT');
    const committed = performance.now();
    await until(() => pushAt(id) !== undefined, `push for booking ${id}`);
    await until(() => emailAt.has(id), `cancellation email for booking ${id}`);
    pushMs.push((pushAt(id) as number) - committed);
    emailMs.push((emailAt.get(id) as number) - committed);
  }
} finally {
  client.release();
}
const wall = performance.now() - wallBefore;
const cpu = process.cpuUsage(cpuBefore);
const cpuMsPer = (cpu.user + cpu.system) / 1000 / CANCELLATIONS;
const cryptoMsPer = await encryptAndSignMs(subscription, CANCELLATIONS);

const row = (name: string, figures: number[]) => {
  const sorted = [...figures].sort((a, b) => a - b);
  const cells = [0.5, 0.95, 0.99, 1].map((p) => percentile(sorted, p).toFixed(1).padStart(8));
  return { line: `  ${name.padEnd(40)}${cells.join('')}`, p95: percentile(sorted, 0.95) };
};
const push = row('push (COMMIT → decrypted)', pushMs);
const email = row('email (COMMIT → SMTP accepted), floor', emailMs);
const met = push.p95 <= 2 * email.p95;

console.log(
  `Cancellation push beside its email, ${CANCELLATIONS} cancellations one at a time (worker in-process, concurrency 4)`,
);
console.log(`  machine: ${os.cpus().length} cores, Node ${process.version}, embedded Postgres 18`);
console.log(`  ${'path'.padEnd(40)}${['p50', 'p95', 'p99', 'max'].map((h) => h.padStart(8)).join('')}  (ms)`);
console.log(push.line);
console.log(email.line);
console.log(
  `  push p95 ≤ 2 × email p95: ${push.p95.toFixed(1)} ms vs ${(2 * email.p95).toFixed(1)} ms (2 × ${email.p95.toFixed(1)}) — ${met ? 'met' : 'NOT met'}`,
);
console.log(
  `  CPU of this process (server, worker, push receiver, SMTP capture) per cancellation: ${cpuMsPer.toFixed(2)} ms` +
    ` (${(cpu.user / 1000).toFixed(0)} ms user + ${(cpu.system / 1000).toFixed(0)} ms system over ${(wall / 1000).toFixed(1)} s)`,
);
console.log(
  `  of which web-push's encryption and VAPID signing, measured alone: ${cryptoMsPer.toFixed(2)} ms CPU per push`,
);
if (receiver.rejected.length) console.log(`  the receiver refused ${receiver.rejected.length} push(es)`);
console.log(`Rerun: ${RERUN}`);

await stop();
await receiver.stop();
await smtp.stop();
process.exit(0);
