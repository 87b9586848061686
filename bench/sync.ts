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
  // The bench's own endpoints; everything else goes to the service as `npm run shapes` serves it.
  const app = express();
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
    res.json({ parked: service.parkedPolls() });
  });
  // The server's CPU time (user + system, µs), to divide by the changes it delivered.
  app.get('/bench/cpu', (_req, res) => {
    const { user, system } = process.cpuUsage();
    res.json({ cpu: user + system });
  });
  const server = http.createServer((req, res) => service.handle(req, res, () => app(req, res)));
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

// --- the fan-out floor process ----------------------------------------------------------------

/**
 * What any Node server pays to answer N parked long-polls: a bare `http` server that parks
 * every live request and, when told, answers them all with one prebuilt change message (the
 * same size as the shape service's), headers as one array. No routing, no shapes, no logs.
 */
async function runFanoutFloor(): Promise<void> {
  const parked: http.ServerResponse[] = [];
  const head = (extra: string[]) => [
    'content-type',
    'application/json; charset=utf-8',
    'cache-control',
    'public, max-age=5, stale-while-revalidate=5',
    'electric-handle',
    'floor-1',
    'electric-cursor',
    '1',
    ...extra,
  ];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/bench/release') {
      const v = url.searchParams.get('v') ?? '0';
      const body = Buffer.from(
        JSON.stringify([
          {
            key: '"public"."live_items"/"1"',
            value: { id: '1', v },
            headers: {
              operation: 'update',
              relation: ['public', 'live_items'],
              txids: [1],
              lsn: '1',
              op_position: 0,
              last: true,
            },
          },
          { headers: { control: 'up-to-date', global_last_seen_lsn: '1' } },
        ]),
      );
      const headers = head([
        'electric-offset',
        '1_0',
        'electric-up-to-date',
        '',
        'content-length',
        String(body.length),
      ]);
      for (const r of parked.splice(0)) {
        r.writeHead(200, headers);
        r.end(body);
      }
      res.end();
    } else if (url.pathname === '/bench/parked') {
      res.end(JSON.stringify({ parked: parked.length }));
    } else if (url.pathname === '/bench/cpu') {
      const { user, system } = process.cpuUsage();
      res.end(JSON.stringify({ cpu: user + system }));
    } else if (url.searchParams.get('live') === 'true') {
      parked.push(res);
      res.on('close', () => {
        const at = parked.indexOf(res);
        if (at >= 0) parked.splice(at, 1);
      });
    } else {
      const body = '[{"headers":{"control":"up-to-date","global_last_seen_lsn":"1"}}]';
      res.writeHead(
        200,
        head(['electric-offset', '0_inf', 'electric-up-to-date', '', 'content-length', String(body.length)]),
      );
      res.end(body);
    }
  });
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as net.AddressInfo;
    process.stdout.write(`READY ${port}\n`);
  });
  process.on('SIGTERM', () => process.exit(0));
}

// --- the clients process ------------------------------------------------------------------

const now = () => performance.timeOrigin + performance.now();
/**
 * The servers run with the young-generation size that package.json's `start` and `shapes`
 * scripts give the product and the standalone service: parked long-polls outlive the default
 * 16 MB semi-space and get promoted: server CPU per delivered change went from ~83 to ~55 µs.
 */
const SERVER_NODE_FLAGS = ['--max-semi-space-size=32'];
/** Changes made after the clients connect and before the counted ones (section 1). */
const WARM_UP_CHANGES = 3;

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
 * A minimal long-poll client: follows the shape from -1 to live on one keep-alive socket,
 * reporting the `v` of every change. It speaks HTTP/1.1 by hand (a request line out, a
 * content-length body in), as a load generator does, so that reading 1,000 responses in one
 * process costs little beside the server's work. Returns "is it up to date yet".
 */
function rawClient(
  base: string,
  table: string,
  signal: AbortSignal,
  onValue: (v: unknown, t: number) => void,
) {
  const { hostname, port } = new URL(base);
  const socket = net.connect(Number(port), hostname);
  socket.setNoDelay(true);
  let offset = '-1';
  let handle = '';
  let cursor = '';
  let upToDate = false;
  let pending: Buffer = Buffer.alloc(0);
  const next = () => {
    if (signal.aborted) return;
    const q = new URLSearchParams({ table, offset });
    if (handle) q.set('handle', handle);
    if (upToDate) q.set('live', 'true');
    if (upToDate && cursor) q.set('cursor', cursor);
    socket.write(`GET /v1/shape?${q} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: keep-alive\r\n\r\n`);
  };
  const header = (head: string, name: string) => {
    const at = head.indexOf(`\r\n${name}: `);
    return at < 0 ? null : head.slice(at + name.length + 4, head.indexOf('\r\n', at + 2));
  };
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    for (;;) {
      const headEnd = pending.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const head = pending.subarray(0, headEnd).toString('latin1').toLowerCase();
      const length = Number(header(head, 'content-length') ?? 0);
      if (pending.length < headEnd + 4 + length) return;
      const body = pending.subarray(headEnd + 4, headEnd + 4 + length).toString('utf8');
      pending = pending.subarray(headEnd + 4 + length);
      const t = now();
      if (head.startsWith('http/1.1 409')) {
        offset = '-1';
        handle = '';
        upToDate = false;
      } else {
        for (const m of JSON.parse(body) as { key?: string; value?: { v?: string } }[]) {
          if (m.key) onValue(m.value?.v, t);
        }
        offset = header(head, 'electric-offset') ?? offset;
        handle = header(head, 'electric-handle') ?? handle;
        cursor = header(head, 'electric-cursor') ?? cursor;
        if (header(head, 'electric-up-to-date') !== null) upToDate = true;
      }
      next();
    }
  });
  socket.on('error', () => {});
  signal.addEventListener('abort', () => socket.destroy());
  socket.once('connect', next);
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
  const children: ChildProcess[] = [];
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

    // The shape service, in a process of its own so its memory is its own; and the fan-out floor.
    const start = (mode: string, env: NodeJS.ProcessEnv = {}) => {
      const proc = spawn(
        process.execPath,
        ['--expose-gc', ...SERVER_NODE_FLAGS, '--import', 'tsx', path.resolve(import.meta.filename), mode],
        {
          env: { ...process.env, ...env },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      children.push(proc);
      return new Promise<string>((resolve, reject) => {
        proc.stdout?.on('data', (d) => {
          const m = /READY (\d+)/.exec(String(d));
          if (m) resolve(`http://127.0.0.1:${m[1]}`);
        });
        proc.once('exit', () => reject(new Error(`the ${mode} process exited`)));
      });
    };
    const base = await start('--server', { DATABASE_URL: embedded.url });
    const floorBase = await start('--fanout-floor');
    const memory = async (): Promise<Memory> =>
      (await fetch(`${base}/bench/memory`)).json() as Promise<Memory>;

    // --- 1. commit → client latency, and 3. memory per live client --------------------------
    const json = async <T>(url: string) => (await (await fetch(url)).json()) as T;
    const parkedAt = async (at: string) => (await json<{ parked: number }>(`${at}/bench/parked`)).parked;
    const cpuAt = async (at: string) => (await json<{ cpu: number }>(`${at}/bench/cpu`)).cpu;
    const latency: {
      kind: string;
      clients: number;
      samples: number;
      p50: number;
      p95: number;
      p99: number;
      /** COMMIT → raw replication message; null for the fan-out floor, which has no commit. */
      floor: number[] | null;
      /** Server CPU (µs) per change delivered to one client. */
      cpuPerChange: number;
    }[] = [];
    let perClient = 0;
    let v = 0;
    const runs = [
      ...(['ShapeStream', 'raw'] as const).flatMap((kind) =>
        [1, 100, 1000].map((clients) => ({ kind, clients, at: base })),
      ),
      ...[1, 100, 1000].map((clients) => ({ kind: 'raw' as const, clients, at: floorBase, bare: true })),
    ];
    for (const { kind, clients, at, bare } of runs as {
      kind: 'ShapeStream' | 'raw';
      clients: number;
      at: string;
      bare?: boolean;
    }[]) {
      const measureMemory = kind === 'raw' && clients === 1000 && !bare;
      const before = measureMemory ? await memory() : null;
      const received = new Map<number, (times: number[]) => void>();
      const proc = spawn(
        process.execPath,
        ['--import', 'tsx', path.resolve(import.meta.filename), '--clients'],
        {
          env: { ...process.env, BENCH_BASE: at, BENCH_KIND: kind, BENCH_CLIENTS: String(clients) },
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
      await untilAsync(
        async () => (await parkedAt(at)) >= clients,
        60_000,
        'every client to park a long-poll',
      );
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
      let cpu = 0;
      // The first changes after the clients connect warm up the JIT on both sides (the first
      // two ran 2–4× slower even on the bare floor): not counted.
      for (let i = -WARM_UP_CHANGES; i < n; i++) {
        const counted = i >= 0;
        v++;
        const got = new Promise<number[]>((resolve) => received.set(v, resolve));
        const cpuBefore = await cpuAt(at);
        let t0: number;
        if (bare) {
          t0 = now();
          await fetch(`${floorBase}/bench/release?v=${v}`);
        } else {
          await writer.query('BEGIN');
          await writer.query('UPDATE live_items SET v = $1 WHERE id = $2', [v, 1 + (v % 100)]);
          const floorPromise = new Promise<number>((resolve) => {
            floorAt = resolve;
          });
          t0 = now();
          await writer.query('COMMIT');
          const floorMs = (await floorPromise) - t0;
          if (counted) floors.push(floorMs);
        }
        const times = await Promise.race([
          got,
          sleep(30_000).then(() => Promise.reject(new Error(`sample ${i} never reached ${clients} clients`))),
        ]);
        if (counted) for (const t of times) all.push(t - t0);
        received.delete(v);
        // Commit again only once every client has parked its next long-poll.
        await untilAsync(async () => (await parkedAt(at)) >= clients, 30_000, 'every client to park again');
        // Answering, and taking the next long-poll of every client: what one change costs.
        if (counted) cpu += (await cpuAt(at)) - cpuBefore;
      }
      writer.release();
      all.sort((a, b) => a - b);
      floors.sort((a, b) => a - b);
      latency.push({
        kind: bare ? 'bare HTTP' : kind,
        clients,
        samples: n,
        p50: percentile(all, 0.5),
        p95: percentile(all, 0.95),
        p99: percentile(all, 0.99),
        floor: bare ? null : floors,
        cpuPerChange: cpu / (n * clients),
      });
      proc.send({ type: 'stop' });
      await new Promise((r) => proc.once('exit', r));
      await untilAsync(async () => (await parkedAt(at)) === 0, 30_000, 'the clients to leave');
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
      'Server: the embedded shape service (server/shape-service) alone in its own process, no secret,\n' +
        'on a plain Node http server as `npm run shapes` serves it.\n',
    );
    console.log(
      '1. COMMIT → change received by every live client (one shape; one row updated per transaction;',
    );
    console.log(
      '   each commit waits until every client has parked its long-poll). Floors, in the same run:',
    );
    console.log(
      '   "floor" is COMMIT → the raw pgoutput commit message at a replication listener of our own;',
    );
    console.log('   "bare HTTP" is the fan-out floor: a bare Node http server answering the same parked');
    console.log('   long-polls with one prebuilt change (measured from the request that releases them).');
    console.log(
      '   The N clients share one Node process of their own (and the cores with the server and Postgres):',
    );
    console.log(
      '   "ShapeStream" is the real client; "raw" speaks HTTP/1.1 by hand on one socket each, so the',
    );
    console.log(
      '   figures are the server\'s. "CPU/change": server CPU time per change delivered to one client,',
    );
    console.log(
      `   taking the client's next long-poll included. The first ${WARM_UP_CHANGES} changes after the clients connect warm up, not counted.`,
    );
    console.log(
      '   client       N  samples      p50        p95        p99   floor p50  floor p99   CPU/change',
    );
    for (const l of latency) {
      const floorCell = (q: number) => (l.floor ? ms(percentile(l.floor, q)) : '—').padStart(9);
      console.log(
        `   ${l.kind.padEnd(11)} ${String(l.clients).padStart(4)}  ${String(l.samples).padStart(7)}  ${ms(l.p50).padStart(9)}  ${ms(l.p95).padStart(9)}  ${ms(l.p99).padStart(9)}  ${floorCell(0.5)}  ${floorCell(0.99)}  ${`${l.cpuPerChange.toFixed(0)} µs`.padStart(10)}`,
      );
    }
    const row = (kind: string, clients: number) =>
      latency.find((l) => l.kind === kind && l.clients === clients);
    const one = row('raw', 1);
    const many = row('raw', 1000);
    const bare = row('bare HTTP', 1000);
    if (one?.floor && many && bare) {
      const floor50 = percentile(one.floor, 0.5);
      const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
      console.log('   Goals:');
      console.log(
        `     1 client p50 within 2 × the replication floor: ${ms(one.p50)} vs 2 × ${ms(floor50)} = ${ms(2 * floor50)} — ${verdict(one.p50 <= 2 * floor50)}`,
      );
      console.log(
        `     1,000 clients p99 ≤ 50 ms: ${ms(many.p99)} — ${verdict(many.p99 <= 50)} (bare HTTP fan-out floor p99 ${ms(bare.p99)})`,
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
    for (const child of children) {
      if (child.exitCode !== null) continue;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    await floor?.stop().catch(() => {});
    await db.query(`SELECT pg_drop_replication_slot('bench_floor')`).catch(() => {});
    await db.end();
    await embedded.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--server')) void runServer();
else if (process.argv.includes('--fanout-floor')) void runFanoutFloor();
else if (process.argv.includes('--clients')) void runClients();
else
  runDriver().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
