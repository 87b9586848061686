// Sync benchmark: the embedded shape service in its own process against a real embedded
// Postgres, driven over loopback by the real @electric-sql/client ShapeStream.
//
//   1. commit → live client: p50/p95/p99 from just before COMMIT is sent until a long-polling
//      client (1, 100, 1000 of them on one shape) has the change, and beside it the floor:
//      until the raw logical-replication message of that commit reaches a listener of our own.
//   2. snapshots of 10,000 and 100,000 rows: time for a client to read one from offset -1 to
//      up-to-date (cold: the service queries Postgres; warm: already in memory), and the
//      server's memory for it (heap retained after GC, and peak RSS while serving).
//   3. server memory per idle live client (1000 long-polls held open).
//
// One benchmark, three kinds of process, all in this file (hence its ~500 lines): the
// driver (writes, times, and the floor listener), the server (`--server`), and the clients
// (`--clients`, N of them in one process), so that neither the clients' work nor the
// server's delays the driver's clock. Timestamps cross processes as
// performance.timeOrigin + performance.now() (one machine, one clock).
//
// Rerun: npm run bench:sync [-- --samples 200]
import { type ChildProcess, spawn } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ShapeStream } from '@electric-sql/client';
import express from 'express';
import pg from 'pg';
import { LogicalReplicationService, PgoutputPlugin } from 'pg-logical-replication';
import { startEmbeddedPostgres } from '../server/db/embedded-postgres.ts';
import { createLogger } from '../server/logger.ts';
import { createShapeService } from '../server/shape-service/embedded.ts';
import { percentile } from './support/percentile.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

// --- the server process -------------------------------------------------------------------

async function runServer(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL as string;
  const service = createShapeService({
    databaseUrl,
    log: createLogger('warn'),
    secret: null,
    pingMs: 1000,
    // Shape logs on disk, as the product and `npm run shapes` keep them.
    storageDir: mkdtempSync(path.join(os.tmpdir(), 'bench-shapes-')),
  });
  const app = express();
  app.use(service.router);
  app.get('/bench/memory', (_req, res) => {
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    const status = readFileSync('/proc/self/status', 'utf8');
    const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
    res.json({
      heapUsed: m.heapUsed,
      rss: m.rss,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
      peakRss: hwm,
    });
  });
  app.post('/bench/reset-peak', (_req, res) => {
    // Linux: writing 5 to clear_refs resets the peak RSS (VmHWM) to the current RSS.
    try {
      writeFileSync('/proc/self/clear_refs', '5');
    } catch {}
    res.json({ rss: process.memoryUsage().rss });
  });
  // Requests parked on shapes, waiting for a change: lets the driver commit only when all are.
  app.get('/bench/parked', (_req, res) => {
    res.json({ parked: service.cache.shapes().reduce((n, s) => n + s.listenerCount, 0) });
  });
  const server = http.createServer(app);
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as net.AddressInfo;
    process.stdout.write(`READY ${port}\n`);
  });
  process.on('SIGTERM', async () => {
    server.close();
    server.closeAllConnections();
    await service.stop();
    process.exit(0);
  });
}

// --- the clients process ------------------------------------------------------------------

const now = () => performance.timeOrigin + performance.now();

/** N clients of one kind on live_items; reports, per value of `v`, when each client got it. */
async function runClients(): Promise<void> {
  const base = process.env.BENCH_BASE as string;
  const kind = process.env.BENCH_KIND as 'ShapeStream' | 'raw';
  const n = Number(process.env.BENCH_CLIENTS);
  const aborter = new AbortController();
  setMaxListeners(0, aborter.signal);
  const seen = new Map<number, number[]>();
  const onValue = (value: unknown, t: number) => {
    const v = Number(value);
    const times = seen.get(v) ?? [];
    times.push(t);
    seen.set(v, times);
    if (times.length === n) {
      process.send?.({ type: 'received', v, times });
      seen.delete(v);
    }
  };
  const upToDate: (() => boolean)[] = [];
  for (let c = 0; c < n; c++) {
    if (kind === 'ShapeStream') {
      const stream = new ShapeStream<{ id: number; v: number }>({
        url: `${base}/v1/shape`,
        params: { table: 'live_items' },
        signal: aborter.signal,
      });
      stream.subscribe((messages) => {
        const t = now();
        for (const m of messages) if ('key' in m) onValue(m.value.v, t);
      });
      upToDate.push(() => stream.isUpToDate);
    } else {
      upToDate.push(rawClient(base, 'live_items', aborter.signal, onValue));
    }
  }
  await until(() => upToDate.every((u) => u()), 120_000, `${n} clients to be up to date`);
  process.send?.({ type: 'ready' });
  process.on('message', (m: { type: string }) => {
    if (m.type === 'stop') {
      aborter.abort();
      setTimeout(() => process.exit(0), 100);
    }
  });
}

// --- the driver ---------------------------------------------------------------------------

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

const ms = (x: number) => `${x.toFixed(2)} ms`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

async function until(probe: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

async function untilAsync(probe: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

/**
 * A minimal long-poll client: follows the shape from -1 to live with one keep-alive socket,
 * parses each body and reports the `v` of every change. Returns "is it up to date yet".
 */
function rawClient(
  base: string,
  table: string,
  signal: AbortSignal,
  onValue: (v: unknown, t: number) => void,
) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let offset = '-1';
  let handle = '';
  let cursor = '';
  let upToDate = false;
  const next = () => {
    if (signal.aborted) {
      agent.destroy();
      return;
    }
    const q = new URLSearchParams({ table, offset });
    if (handle) q.set('handle', handle);
    if (upToDate) q.set('live', 'true');
    if (upToDate && cursor) q.set('cursor', cursor);
    const req = http.get(`${base}/v1/shape?${q}`, { agent, signal }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => {
        const t = now();
        if (res.statusCode === 409) {
          offset = '-1';
          handle = '';
          upToDate = false;
        } else {
          for (const m of JSON.parse(body) as { key?: string; value?: { v?: string } }[]) {
            if (m.key) onValue(m.value?.v, t);
          }
          offset = String(res.headers['electric-offset'] ?? offset);
          handle = String(res.headers['electric-handle'] ?? handle);
          cursor = String(res.headers['electric-cursor'] ?? cursor);
          if ('electric-up-to-date' in res.headers) upToDate = true;
        }
        next();
      });
    });
    req.on('error', () => {
      if (!signal.aborted) setTimeout(next, 100);
    });
  };
  next();
  return () => upToDate;
}

interface Memory {
  heapUsed: number;
  rss: number;
  external: number;
  arrayBuffers: number;
  peakRss: number;
}

async function runDriver(): Promise<void> {
  const samples = arg('samples', 200);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-sync-'));
  chmodSync(dataDir, 0o755);
  const log = createLogger('warn');
  console.log('Starting an embedded Postgres …');
  const embedded = await startEmbeddedPostgres({ dataDir, port: await freePort(), log });
  const db = new pg.Pool({ connectionString: embedded.url, max: 4 });
  let child: ChildProcess | null = null;
  let floor: LogicalReplicationService | null = null;
  try {
    await db.query(`CREATE TABLE live_items (id int PRIMARY KEY, v int NOT NULL, title text NOT NULL)`);
    await db.query(`INSERT INTO live_items SELECT g, 0, 'item ' || g FROM generate_series(1, 100) g`);
    for (const [table, n] of [
      ['snap_10k', 10_000],
      ['snap_100k', 100_000],
    ] as const) {
      await db.query(`CREATE TABLE ${table} (id int PRIMARY KEY, title text NOT NULL, n int NOT NULL,
        at timestamptz NOT NULL, note text)`);
      await db.query(
        `INSERT INTO ${table} SELECT g, 'booking number ' || g, g % 1000, now() - g * interval '1 minute',
           repeat('note ', 8) FROM generate_series(1, ${n}) g`,
      );
    }
    await db.query('ANALYZE');

    // The floor: our own replication listener, reading the same commits raw.
    await db.query('CREATE PUBLICATION bench_floor FOR TABLE live_items');
    await db.query(`SELECT pg_create_logical_replication_slot('bench_floor', 'pgoutput')`);
    let floorAt: ((t: number) => void) | null = null;
    floor = new LogicalReplicationService(
      { connectionString: embedded.url },
      { acknowledge: { auto: true, timeoutSeconds: 1 } },
    );
    floor.on('data', (_lsn: string, msg: { tag: string }) => {
      if (msg.tag === 'commit') floorAt?.(now());
    });
    floor.on('error', () => {});
    void floor.subscribe(
      new PgoutputPlugin({ protoVersion: 1, publicationNames: ['bench_floor'] }),
      'bench_floor',
    );

    // The shape service, in a process of its own so its memory is its own.
    child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', path.resolve(import.meta.filename), '--server'],
      {
        env: { ...process.env, DATABASE_URL: embedded.url },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const port = await new Promise<number>((resolve, reject) => {
      child?.stdout?.on('data', (d) => {
        const m = /READY (\d+)/.exec(String(d));
        if (m) resolve(Number(m[1]));
      });
      child?.once('exit', () => reject(new Error('the server process exited')));
    });
    const base = `http://127.0.0.1:${port}`;
    const memory = async (): Promise<Memory> =>
      (await fetch(`${base}/bench/memory`)).json() as Promise<Memory>;

    // --- 1. commit → client latency, and 3. memory per live client --------------------------
    const parked = async () =>
      ((await (await fetch(`${base}/bench/parked`)).json()) as { parked: number }).parked;
    const latency: {
      kind: string;
      clients: number;
      samples: number;
      p50: number;
      p95: number;
      p99: number;
      floor: number[];
    }[] = [];
    let perClient = 0;
    let v = 0;
    for (const kind of ['ShapeStream', 'raw'] as const) {
      for (const clients of [1, 100, 1000]) {
        const measureMemory = kind === 'raw' && clients === 1000;
        const before = measureMemory ? await memory() : null;
        const received = new Map<number, (times: number[]) => void>();
        const proc = spawn(
          process.execPath,
          ['--import', 'tsx', path.resolve(import.meta.filename), '--clients'],
          {
            env: { ...process.env, BENCH_BASE: base, BENCH_KIND: kind, BENCH_CLIENTS: String(clients) },
            stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
          },
        );
        const ready = new Promise<void>((resolve, reject) => {
          proc.on('message', (m: { type: string; v?: number; times?: number[] }) => {
            if (m.type === 'ready') resolve();
            if (m.type === 'received') received.get(m.v as number)?.(m.times as number[]);
          });
          proc.once('exit', () => reject(new Error('the clients process exited')));
        });
        await ready;
        await untilAsync(async () => (await parked()) >= clients, 60_000, 'every client to park a long-poll');
        if (before) {
          const after = await memory();
          // RSS is left out: after a GC it moves with pages returned to the OS, not with clients.
          perClient = (after.heapUsed + after.external - before.heapUsed - before.external) / clients;
        }
        const n =
          clients === 1000 ? Math.ceil(samples / 4) : clients === 100 ? Math.ceil(samples / 2) : samples;
        const all: number[] = [];
        const floors: number[] = [];
        const writer = await db.connect();
        for (let i = 0; i < n; i++) {
          v++;
          const got = new Promise<number[]>((resolve) => received.set(v, resolve));
          await writer.query('BEGIN');
          await writer.query('UPDATE live_items SET v = $1 WHERE id = $2', [v, 1 + (i % 100)]);
          const floorPromise = new Promise<number>((resolve) => {
            floorAt = resolve;
          });
          const t0 = now();
          await writer.query('COMMIT');
          floors.push((await floorPromise) - t0);
          const times = await Promise.race([
            got,
            sleep(30_000).then(() =>
              Promise.reject(new Error(`sample ${i} never reached ${clients} clients`)),
            ),
          ]);
          for (const t of times) all.push(t - t0);
          received.delete(v);
          // Commit again only once every client has parked its next long-poll.
          await untilAsync(async () => (await parked()) >= clients, 30_000, 'every client to park again');
        }
        writer.release();
        all.sort((a, b) => a - b);
        floors.sort((a, b) => a - b);
        latency.push({
          kind,
          clients,
          samples: n,
          p50: percentile(all, 0.5),
          p95: percentile(all, 0.95),
          p99: percentile(all, 0.99),
          floor: floors,
        });
        proc.send({ type: 'stop' });
        await new Promise((r) => proc.once('exit', r));
        await untilAsync(async () => (await parked()) === 0, 30_000, 'the clients to leave');
      }
    }

    // --- 2. snapshots ---------------------------------------------------------------------
    const snapshots: {
      table: string;
      rows: number;
      cold: number;
      warm: number;
      bytes: number;
      heap: number;
      peak: number;
    }[] = [];
    for (const [table, rows] of [
      ['snap_10k', 10_000],
      ['snap_100k', 100_000],
    ] as const) {
      const read = async () => {
        let offset = '-1';
        let handle: string | null = null;
        let count = 0;
        let bytes = 0;
        const t0 = performance.now();
        for (;;) {
          const url = new URL(`${base}/v1/shape`);
          url.searchParams.set('table', table);
          url.searchParams.set('offset', offset);
          if (handle) url.searchParams.set('handle', handle);
          const res = await fetch(url);
          const text = await res.text();
          bytes += text.length;
          count += (JSON.parse(text) as { key?: string }[]).filter((m) => m.key).length;
          offset = res.headers.get('electric-offset') as string;
          handle = res.headers.get('electric-handle');
          if (res.headers.has('electric-up-to-date')) break;
        }
        if (count !== rows) throw new Error(`${table}: read ${count} rows, expected ${rows}`);
        return { time: performance.now() - t0, bytes };
      };
      const before = await memory();
      const atReset = (
        (await (await fetch(`${base}/bench/reset-peak`, { method: 'POST' })).json()) as { rss: number }
      ).rss;
      const cold = await read();
      const peak = (await memory()).peakRss;
      const warm = await read();
      const after = await memory();
      snapshots.push({
        table,
        rows,
        cold: cold.time,
        warm: warm.time,
        bytes: cold.bytes,
        heap: after.heapUsed + after.external - (before.heapUsed + before.external),
        peak: peak - atReset,
      });
    }

    // --- report ---------------------------------------------------------------------------
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    console.log(
      `\nSync benchmark — ${os.cpus().length} × ${cpu}, Node ${process.version}, PostgreSQL (embedded), loopback`,
    );
    console.log(
      'Server: the embedded shape service (server/shape-service) alone in its own process, no secret.\n',
    );
    console.log(
      '1. COMMIT → change received by every live client (one shape; one row updated per transaction;',
    );
    console.log('   each commit waits until every client has parked its long-poll). Floor: COMMIT → the raw');
    console.log(
      '   pgoutput commit message at a replication listener of our own, for the same transactions.',
    );
    console.log(
      '   The N clients share one Node process of their own (and the cores with the server and Postgres):',
    );
    console.log(
      '   "ShapeStream" is the real client; "raw" is a minimal long-poll loop, which isolates the server.',
    );
    console.log(
      '   client       N  samples  latencies      p50        p95        p99   floor p50  floor p99',
    );
    for (const l of latency) {
      console.log(
        `   ${l.kind.padEnd(11)} ${String(l.clients).padStart(4)}  ${String(l.samples).padStart(7)}  ${String(l.samples * l.clients).padStart(9)}  ${ms(l.p50).padStart(9)}  ${ms(l.p95).padStart(9)}  ${ms(l.p99).padStart(9)}  ${ms(percentile(l.floor, 0.5)).padStart(9)}  ${ms(percentile(l.floor, 0.99)).padStart(9)}`,
      );
    }
    console.log('\n2. Snapshot, offset=-1 to up-to-date by one client (raw HTTP, bodies parsed)');
    console.log(
      '   rows      JSON       cold       warm     heap kept after GC   peak RSS growth while serving',
    );
    for (const s of snapshots) {
      console.log(
        `   ${String(s.rows).padStart(7)}  ${mb(s.bytes).padStart(8)}  ${ms(s.cold).padStart(10)}  ${ms(s.warm).padStart(9)}  ${mb(s.heap).padStart(12)}         ${mb(s.peak).padStart(8)}`,
      );
    }
    console.log(
      '\n3. Server memory per idle live client (1000 raw long-polls parked on one shape; heap after GC)',
    );
    console.log(`   ${kb(perClient)} per client (V8 heap + external, after GC)`);
    console.log('\nRerun: npm run bench:sync [-- --samples 200]');
  } finally {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child?.once('exit', r));
    }
    await floor?.stop().catch(() => {});
    await db.query(`SELECT pg_drop_replication_slot('bench_floor')`).catch(() => {});
    await db.end();
    await embedded.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--server')) void runServer();
else if (process.argv.includes('--clients')) void runClients();
else
  runDriver().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
