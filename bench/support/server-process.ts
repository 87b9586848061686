// The real server for a benchmark, as `npm start` runs it (`node --import tsx server/main.ts`),
// in a child process of its own on a data folder the caller chose, so its CPU and memory are
// its own and it stops the way it does in production (SIGTERM: worker, Postgres, then exit).
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { embeddedDatabaseUrl } from '../../server/db/embedded-postgres.ts';
import { freePort } from '../../test/integration/free-port.ts';

export interface ServerProcess {
  /** The server itself (not through any gate). */
  readonly url: string;
  /** Its embedded Postgres, for the benchmark's own SQL. */
  readonly databaseUrl: string;
  stop(): Promise<void>;
}

const REPO = path.resolve(import.meta.dirname, '../..');
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 20_000;

export async function startServerProcess(options: {
  readonly dataDir: string;
  readonly port: number;
  /** More environment for the server (PUBLIC_URL, SEED_DEMO, …). */
  readonly env?: Readonly<Record<string, string>>;
}): Promise<ServerProcess> {
  const pgPort = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: REPO,
    env: {
      ...process.env,
      PORT: String(options.port),
      DATA_DIR: options.dataDir,
      EMBEDDED_PG_PORT: String(pgPort),
      DEV_SMTP_PORT: '0',
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // Kept for the message if it dies: what it said last is usually why.
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr = (stderr + String(d)).slice(-4000);
  });
  const url = `http://127.0.0.1:${options.port}`;
  const stop = () => stopChild(child);

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const ok = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(
        `The server did not start (${child.exitCode !== null ? `it exited with code ${child.exitCode}` : 'no answer from /api/health'}).\n${stderr}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, databaseUrl: embeddedDatabaseUrl(options.dataDir, pgPort), stop };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
