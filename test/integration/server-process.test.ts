// `npm start`'s server as a real process: it prints where to go, a second one on the same
// data folder is refused with a sentence, and SIGTERM/SIGINT stop it and its Postgres cleanly.
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './free-port.ts';
import { killAllServers, spawnServer } from './server-process-helpers.ts';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bookings-proc-'));
chmodSync(dataDir, 0o755); // Postgres runs as the `postgres` OS user when we are root
afterAll(() => {
  killAllServers();
  rmSync(dataDir, { recursive: true, force: true });
});

const startProcess = (env: Record<string, string>) => spawnServer({ DATA_DIR: dataDir, ...env });

describe('the server process', () => {
  it('prints the URLs and sign-ins, refuses a second server on its folder, and stops cleanly', async () => {
    const port = await freePort();
    const pgPort = String(await freePort());
    const first = await startProcess({ PORT: String(port), EMBEDDED_PG_PORT: pgPort });
    await first.ready();
    const out = first.output();
    for (const line of [
      `Admin app        http://localhost:${port}/admin/`,
      `Fieldworker app  http://localhost:${port}/field/`,
      `Customer portal  http://localhost:${port}/portal/`,
      `Dev mailbox      http://localhost:${port}/dev/mailbox`,
      'admin        admin@example.com',
      'Demo sign-ins (password "demo-password")',
    ]) {
      expect(out).toContain(line);
    }

    const second = await startProcess({ PORT: String(await freePort()), EMBEDDED_PG_PORT: pgPort });
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(
      `The data folder ${dataDir} is in use by another server (pid ${first.child.pid})`,
    );
    expect(second.output()).not.toMatch(/\n\s+at /); // a sentence, not a stack trace

    const samePort = await startProcess({ PORT: String(port), DATA_DIR: `${dataDir}-other` });
    expect(await samePort.exited).toBe(1);
    expect(samePort.output()).toContain(`Port ${port} is in use: is the product already running?`);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('Stopped.');
    expect(existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
    expect(existsSync(path.join(dataDir, 'server.pid'))).toBe(false);
  });

  it('a SIGTERM the moment /api/health answers, before the banner, still stops Postgres in order', async () => {
    const port = await freePort();
    const early = await startProcess({ PORT: String(port), EMBEDDED_PG_PORT: String(await freePort()) });
    for (;;) {
      const up = await fetch(`http://127.0.0.1:${port}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (up || early.child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    early.child.kill('SIGTERM');
    expect(await early.exited).toBe(0);
    expect(existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
    expect(existsSync(path.join(dataDir, 'server.pid'))).toBe(false);
  });

  it('starts again on the same folder after a SIGKILL, stopping the Postgres it left behind', async () => {
    const pgPort = String(await freePort());
    const killed = await startProcess({ PORT: String(await freePort()), EMBEDDED_PG_PORT: pgPort });
    await killed.ready();
    killed.child.kill('SIGKILL');
    await killed.exited;

    const next = await startProcess({ PORT: String(await freePort()), EMBEDDED_PG_PORT: pgPort });
    await next.ready();
    expect(next.output()).toContain('left running by a server that did not shut down cleanly');
    next.child.kill('SIGINT');
    expect(await next.exited).toBe(0);
  });
});
