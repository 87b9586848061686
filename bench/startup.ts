// Startup time of the server process, from spawn to /api/health answering 200: on an empty
// data folder (initdb, migrations, demo data) and on a warm one (reused folder).
// Rerun: npm run bench:startup [-- --runs 5]
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

async function timeStart(dataDir: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      EMBEDDED_PG_PORT: String(await freePort()),
      DEV_SMTP_PORT: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (child.exitCode !== null) throw new Error('the server exited before it was ready');
    await new Promise((r) => setTimeout(r, 20));
  }
  const ms = performance.now() - started;
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGTERM');
  await exited;
  return ms;
}

const cold: number[] = [];
const warm: number[] = [];
for (let i = 0; i < runs; i++) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bookings-bench-'));
  chmodSync(dir, 0o755);
  try {
    cold.push(await timeStart(dir));
    warm.push(await timeStart(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const fmt = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return `median ${(sorted[Math.floor(sorted.length / 2)] as number).toFixed(0)} ms (min ${(sorted[0] as number).toFixed(0)}, max ${(sorted.at(-1) as number).toFixed(0)})`;
};
console.log(
  `Server start to /api/health 200, ${runs} run(s) each, ${os.cpus().length} cores, Node ${process.version}`,
);
console.log(`  empty data folder (initdb + migrations + demo data): ${fmt(cold)}`);
console.log(`  warm data folder (reused):                           ${fmt(warm)}`);
console.log('Rerun: npm run bench:startup -- --runs 5');
