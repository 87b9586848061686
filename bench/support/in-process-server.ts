// The server started in the benchmark's own process (startServer, worker inline), on a fresh
// data folder with its embedded Postgres, for benchmarks that time the worker's jobs.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type RunningServer, startServer } from '../../server/boot.ts';
import { type Config, loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { freePort } from '../../test/integration/free-port.ts';

/** `env` adds to the data folder, ports and log level; stop() also removes the data folder. */
export async function startInProcessServer(
  name: string,
  env: Readonly<Record<string, string>>,
): Promise<{ server: RunningServer; config: Config; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `bookings-bench-${name}-`));
  chmodSync(dataDir, 0o755);
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    EMBEDDED_PG_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
    ...env,
  });
  const server = await startServer(config, createLogger('warn'));
  const stop = async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { server, config, stop };
}
