// Two copies side by side (a dev server and the tests, two data folders): with the embedded
// Postgres and dev mailbox ports left unset, each takes the default if it is free and another
// free port if not. A port set on purpose that is taken stops the start with one sentence.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../server/boot.ts';
import { DEFAULT_DEV_SMTP_PORT, DEFAULT_EMBEDDED_PG_PORT, loadConfig } from '../../server/config.ts';
import { readRecordedPort } from '../../server/db/embedded-postgres.ts';
import { freePort } from './free-port.ts';
import { freshDatabase, silentLog } from './helpers.ts';
import { killAllServers, spawnServer } from './server-process-helpers.ts';

const folders: string[] = [];
function dataFolder(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bookings-ports-'));
  chmodSync(dir, 0o755); // Postgres runs as the `postgres` OS user when we are root
  folders.push(dir);
  return dir;
}
const held: net.Server[] = [];
afterAll(async () => {
  killAllServers();
  await Promise.all(held.map((s) => new Promise((r) => s.close(r))));
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

/** Listens on `port` (if it can) so that nothing else can. */
function hold(port: number): Promise<void> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve()); // held by someone else already: just as good
    server.listen(port, '127.0.0.1', () => {
      held.push(server);
      resolve();
    });
  });
}

const withDefaultPorts = (dataDir: string) =>
  loadConfig({ DATA_DIR: dataDir, PORT: '0', SEED_DEMO: 'false', LOG_LEVEL: 'silent' });

describe('ports left unset', () => {
  it('two servers on two data folders both come up, each Postgres keeping its port across restarts', async () => {
    // Whoever holds the defaults (another copy, or this test), neither server may fail on them.
    await hold(DEFAULT_EMBEDDED_PG_PORT);
    await hold(DEFAULT_DEV_SMTP_PORT);
    const [dirA, dirB] = [dataFolder(), dataFolder()];
    const running: RunningServer[] = [];
    try {
      running.push(await startServer(withDefaultPorts(dirA), silentLog));
      running.push(await startServer(withDefaultPorts(dirB), silentLog));
      const [a, b] = running as [RunningServer, RunningServer];
      for (const server of running) {
        expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
      }
      const pgA = readRecordedPort(dirA);
      const pgB = readRecordedPort(dirB);
      expect(pgA).toBeGreaterThan(0);
      expect(new Set([pgA, pgB, DEFAULT_EMBEDDED_PG_PORT]).size).toBe(3);
      expect(new URL(a.databaseUrl).port).toBe(String(pgA));
      expect(new Set([a.devMailbox?.port, b.devMailbox?.port, DEFAULT_DEV_SMTP_PORT]).size).toBe(3);

      await a.stop();
      running.shift();
      const again = await startServer(withDefaultPorts(dirA), silentLog);
      running.push(again);
      expect(new URL(again.databaseUrl).port).toBe(String(pgA));
    } finally {
      for (const server of running) await server.stop();
    }
  });
});

describe('a start that fails', () => {
  /** The sentence, once, on stderr, with no stack trace; exit code 1. */
  async function expectOneSentence(env: Record<string, string>, sentence: string) {
    const server = spawnServer({ LOG_LEVEL: 'info', ...env });
    expect(await server.exited).toBe(1);
    const stderr = server.errors();
    expect(stderr.split(sentence).length - 1, stderr).toBe(1);
    expect(stderr).not.toMatch(/\n\s+at /);
  }

  it('says once, without a stack trace, which port set on purpose is taken', async () => {
    const [pgPort, smtpPort, httpPort] = [await freePort(), await freePort(), await freePort()];
    for (const port of [pgPort, smtpPort, httpPort]) await hold(port);
    await Promise.all([
      expectOneSentence(
        { DATA_DIR: dataFolder(), PORT: String(await freePort()), EMBEDDED_PG_PORT: String(pgPort) },
        `The embedded Postgres did not start on port ${pgPort}. Is another program using that port?`,
      ),
      expectOneSentence(
        {
          DATABASE_URL: await freshDatabase(),
          PORT: String(await freePort()),
          DEV_SMTP_PORT: String(smtpPort),
        },
        `The dev mailbox's SMTP port ${smtpPort} is in use.`,
      ),
      expectOneSentence(
        { DATABASE_URL: await freshDatabase(), PORT: String(httpPort) },
        `Port ${httpPort} is in use: is the product already running?`,
      ),
    ]);
  });
});
