// Email latency and throughput with the worker in-process: the time from a cancelling
// COMMIT to the cancellation email being accepted by a local SMTP capture (p50/p95/p99 over
// cancellations one at a time), then a burst of cancellations committed at once. Beside
// them, measured in the same run on the same machine, the floors the email path stands on:
// (a) a bare graphile-worker job with no work (its own database in the same Postgres, the
// product worker's concurrency and pool size), enqueue COMMIT → task runs; (b) a raw
// nodemailer send of the same email to the same capture over a warm pooled transport,
// sendMail → accepted; (a)+(b) a bare job whose only work is that raw send.
// Goal: p99 ≤ 25 ms, and burst throughput within 2× of the floor (a)+(b). Printed, never asserted.
// Rerun: npm run bench:email [-- --sequential 200 --burst 1000]
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Logger, run, runMigrations } from 'graphile-worker';
import nodemailer from 'nodemailer';
import pg from 'pg';
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
const WARM_UP = 20;
const GOAL_P99_MS = 25;
const GOAL_BURST_FACTOR = 2;
const RERUN = `npm run bench:email -- --sequential ${SEQUENTIAL} --burst ${BURST}`;

interface Figures {
  readonly sorted: number[];
  readonly burstSeconds: number;
  readonly perSecond: number;
  /** CPU per item during the burst, ms: this process (worker, mailer, capture) and Postgres. */
  readonly cpuNode: number;
  readonly cpuPostgres: number;
}

const quietLogger = () => new Logger(() => () => {});
const tick = () => new Promise((r) => setTimeout(r, 2));

/**
 * `start(i)` starts item i (resolving once it is committed or handed over); `finishedAt(i)` is
 * when it arrived, or undefined. `n` one at a time, then `burst` all at once.
 */
async function measure(
  n: number,
  burst: number,
  start: (i: number) => Promise<void>,
  finishedAt: (i: number) => number | undefined,
): Promise<Figures> {
  const latencies: number[] = [];
  for (let i = 0; i < n; i++) {
    await start(i);
    const started = performance.now();
    while (finishedAt(i) === undefined) await tick();
    latencies.push((finishedAt(i) as number) - started);
  }
  const cpu0 = process.cpuUsage();
  const pg0 = postgresCpuMs();
  const burstStart = performance.now();
  const ids = Array.from({ length: burst }, (_, k) => n + k);
  await Promise.all(ids.map(start));
  // Each item checked until it is in, then never again: rescanning every arrived item on each
  // tick cost this process CPU in proportion to the burst's length, most for the slowest path.
  for (const i of ids) while (finishedAt(i) === undefined) await tick();
  const burstSeconds = (performance.now() - burstStart) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return {
    sorted: latencies.sort((a, b) => a - b),
    burstSeconds,
    perSecond: burst / burstSeconds,
    cpuNode: (cpu.user + cpu.system) / 1000 / burst,
    cpuPostgres: (postgresCpuMs() - pg0) / burst,
  };
}

const smtp = await startSmtpCapture();
const { server, config, stop } = await startInProcessServer('email', { SMTP_URL: smtp.url });
const pool = server.pool;

/**
 * CPU time (ms) of the embedded Postgres, from /proc (Linux): the postmaster and its live
 * processes, and the ones that exited (reaped into the postmaster's cutime and cstime).
 */
function postgresCpuMs(): number {
  try {
    const postmaster = Number(
      readFileSync(path.join(config.dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    const tick = 1000 / 100; // USER_HZ
    let total = 0;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const own = Number(f[11]) + Number(f[12]);
        if (Number(pid) === postmaster) total += (own + Number(f[13]) + Number(f[14])) * tick;
        else if (Number(f[1]) === postmaster) total += own * tick;
      } catch {} // a backend that exited meanwhile
    }
    return total;
  } catch {
    return Number.NaN;
  }
}

// --- The product: cancellation → trigger → job → ledger → SMTP ---------------------------
const arrivals = cancellationEmailTimes(smtp);
const cancel = (id: string) => pool.query(`UPDATE bookings SET status = 'cancelled' WHERE id = $1`, [id]);
const ids = await makeBookings(pool, WARM_UP + SEQUENTIAL + BURST);
// Warm-up, not counted: the first email after start opens the SMTP connection.
const warmUp: number[] = [];
for (const id of ids.slice(0, WARM_UP)) {
  await cancel(id);
  const committed = performance.now(); // the UPDATE autocommits: its answer comes after COMMIT
  while (!arrivals.has(id)) await tick();
  warmUp.push((arrivals.get(id) as number) - committed);
}
const counted = ids.slice(WARM_UP);
const product = await measure(
  SEQUENTIAL,
  BURST,
  (i) => cancel(counted[i] as string).then(() => {}),
  (i) => arrivals.get(counted[i] as string),
);
const sample = smtp.messages.find((m) => m.subject.startsWith('Cancelled:'));
if (!sample) throw new Error('No cancellation email arrived');

// --- Floor (b): raw nodemailer to the same capture, the product's email as the body --------
// A pooled transport like the product's (4 connections, kept open), warmed up first.
const transport = nodemailer.createTransport({
  host: '127.0.0.1',
  port: smtp.port,
  ignoreTLS: true,
  pool: true,
  maxConnections: 4,
  maxMessages: Number.POSITIVE_INFINITY,
});
const accepted = new Map<number, number>();
smtp.onMessage((mail) => {
  const m = /^Floor (-?\d+)$/.exec(mail.subject);
  if (m) accepted.set(Number(m[1]), mail.receivedAt);
});
const rawSend = (i: number) =>
  transport.sendMail({
    from: 'Bookings <bookings@example.com>',
    to: sample.to,
    subject: `Floor ${i}`,
    text: sample.text,
    html: sample.html,
  });
for (let i = -8; i < 0; i++) void rawSend(i); // warm-up, not counted: opens the 4 connections
while ([...accepted.keys()].filter((i) => i < 0).length < 8) await tick();
const rawSendFigures = await measure(
  SEQUENTIAL,
  BURST,
  (i) => {
    void rawSend(i);
    return Promise.resolve();
  },
  (i) => accepted.get(i),
);
accepted.clear();

// --- Floor (a): a bare graphile-worker job, no work; and (a)+(b): a job whose work is (b) ------
// Its own database in the same Postgres (no trigger, no other worker), with the product
// worker's pool size, concurrency and poll interval (server/db/pool.ts, server/jobs/worker.ts).
const floorUrl = new URL(server.databaseUrl);
floorUrl.pathname = '/bench_floor';
await pool.query('CREATE DATABASE bench_floor');
await runMigrations({ connectionString: floorUrl.toString(), logger: quietLogger() });
const floorPool = new pg.Pool({ connectionString: floorUrl.toString(), max: 10 });
floorPool.on('error', () => {});
floorPool.on('connect', (client) => client.on('error', () => {}));
const ran = new Map<number, number>();
const runner = await run({
  pgPool: floorPool,
  concurrency: 4,
  pollInterval: 1000,
  noHandleSignals: true,
  logger: quietLogger(),
  taskList: {
    noop: async (payload) => {
      ran.set((payload as { i: number }).i, performance.now());
    },
    send: async (payload) => {
      await rawSend((payload as { i: number }).i);
    },
  },
});
const enqueue = async (task: 'noop' | 'send', i: number) => {
  await floorPool.query(`SELECT graphile_worker.add_job($1, json_build_object('i', $2::int))`, [task, i]);
};
for (let i = -WARM_UP; i < 0; i++) await enqueue('noop', i);
while (ran.size < WARM_UP) await tick();
const bareJob = await measure(
  SEQUENTIAL,
  BURST,
  (i) => enqueue('noop', i),
  (i) => ran.get(i),
);
const jobAndSend = await measure(
  SEQUENTIAL,
  BURST,
  (i) => enqueue('send', i),
  (i) => accepted.get(i),
);
await runner.stop();
await floorPool.end();
transport.close();

// --- Report ---------------------------------------------------------------------------------
const ms = (v: number) => `${v.toFixed(1)} ms`.padStart(9);
const row = (label: string, f: Figures) =>
  `  ${label.padEnd(44)}${ms(percentile(f.sorted, 0.5))}${ms(percentile(f.sorted, 0.95))}${ms(percentile(f.sorted, 0.99))}${ms(f.sorted.at(-1) ?? Number.NaN)}` +
  `   ${f.perSecond.toFixed(0).padStart(5)}/s (${f.burstSeconds.toFixed(2)} s)` +
  `   ${f.cpuNode.toFixed(2).padStart(5)} + ${f.cpuPostgres.toFixed(2).padStart(5)} ms`;
const p99 = percentile(product.sorted, 0.99);
const times = (floor: Figures) => floor.perSecond / product.perSecond;
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');

console.log('Cancellation email, COMMIT → accepted by the local SMTP capture (worker in-process)');
console.log(
  `  machine: ${os.cpus().length} cores, Node ${process.version}, embedded Postgres 18; load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log(
  `  ${SEQUENTIAL} one at a time (each awaited), then a burst of ${BURST} started at once: ${BURST} / time to the last`,
);
console.log(
  `  ${''.padEnd(44)}      p50      p95      p99      max   burst                CPU per item: Node + Postgres`,
);
console.log(row('product: cancellation email', product));
console.log(row('floor (a): bare graphile-worker job, no work', bareJob));
console.log(row('floor (b): raw nodemailer send, pooled ×4', rawSendFigures));
console.log(row('floor (a)+(b): a bare job whose work is (b)', jobAndSend));
console.log(
  '  (a) enqueue COMMIT → task runs (concurrency 4, pool 10, own database); (b) sendMail → accepted;',
);
console.log('  (a)+(b) enqueue COMMIT → accepted. Node CPU includes the SMTP capture (same process).');
console.log(
  `  not counted, the first ${WARM_UP} emails after start (warm-up): the first ${(warmUp[0] ?? Number.NaN).toFixed(0)} ms ` +
    `(it opens the SMTP connection), the others at most ${Math.max(...warmUp.slice(1)).toFixed(0)} ms`,
);
console.log(`Goal p99 ≤ ${GOAL_P99_MS} ms: ${verdict(p99 <= GOAL_P99_MS)} (${p99.toFixed(1)} ms).`);
console.log(
  `Goal burst within ${GOAL_BURST_FACTOR}× of the floor (a)+(b), the job-and-send path with nothing of the product's in it: ` +
    `it does ${times(jobAndSend).toFixed(2)}× the product's rate: ${verdict(times(jobAndSend) <= GOAL_BURST_FACTOR)}. ` +
    `For reference, the parts alone: (a) ${times(bareJob).toFixed(2)}×, (b) ${times(rawSendFigures).toFixed(2)}×.`,
);
console.log(`Rerun: ${RERUN}`);

await stop();
await smtp.stop();
process.exit(0);
