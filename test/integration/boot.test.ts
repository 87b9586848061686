// Booting the product: the embedded Postgres in a data folder, reused on the next start;
// clear refusals for a busy port or folder and for a database that cannot be reached.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PortInUseError, type RunningServer, startServer } from '../../server/boot.ts';
import { loadConfig } from '../../server/config.ts';
import { DEMO_SIGN_INS } from '../../server/demo/seed-demo.ts';
import { freePort } from './free-port.ts';
import { eventually, silentLog } from './helpers.ts';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bookings-boot-'));
chmodSync(dataDir, 0o755); // Postgres runs as the `postgres` OS user when we are root
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function embeddedConfig(extra: Record<string, string> = {}) {
  return loadConfig({
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    EMBEDDED_PG_PORT: String(await freePort()),
    DEV_SMTP_PORT: '0',
    LOG_LEVEL: 'silent',
    ...extra,
  });
}

/** The demo customer's booking confirmations in the dev mailbox (each names its booking). */
async function demoConfirmations(server: RunningServer) {
  const { rows } = await server.pool.query<{ id: number; subject: string; text_body: string }>(
    `SELECT id, subject, text_body FROM dev_mailbox_messages WHERE mail_to = $1 AND subject LIKE 'Your % booking on %'
      ORDER BY id`,
    [DEMO_SIGN_INS.customer],
  );
  return rows;
}

describe('embedded Postgres', () => {
  it('starts in DATA_DIR with wal_level=logical, seeds once, and reuses the folder on the next start', async () => {
    const first = await startServer(await embeddedConfig(), silentLog);
    let confirmations: Awaited<ReturnType<typeof demoConfirmations>> = [];
    try {
      expect(first.seed).toEqual({ seeded: true });
      // The demo customer's upcoming bookings were confirmed the way any booking is (trigger,
      // job, SMTP into the dev mailbox), so a person can click Cancel booking in one at once.
      const upcoming = await first.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM bookings b JOIN customers c ON c.id = b.customer_id
          WHERE c.email = $1 AND b.status IN ('scheduled', 'confirmed') AND b.starts_at > now()`,
        [DEMO_SIGN_INS.customer],
      );
      expect(upcoming.rows[0]?.n).toBeGreaterThan(0);
      confirmations = await eventually(async () => {
        const found = await demoConfirmations(first);
        return found.length === upcoming.rows[0]?.n && found;
      }, 20_000);
      for (const mail of confirmations) {
        expect(mail.text_body).toMatch(
          new RegExp(
            `Cancel booking: ${first.url}/portal/bookings/[0-9a-f-]{36}\\?token=[\\w-]{43}&cancel=1`,
          ),
        );
      }
      // Only the demo customer's: the other demo bookings count as made before.
      const others = await first.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM dev_mailbox_messages WHERE mail_to <> $1`,
        [DEMO_SIGN_INS.customer],
      );
      expect(others.rows[0]?.n).toBe(0);
      const { rows } = await first.pool.query('SHOW wal_level');
      expect(rows[0].wal_level).toBe('logical');
      const health = await fetch(`${first.url}/api/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', database: 'up', worker: 'running' });
      await first.pool.query(`UPDATE business_settings SET name = 'Kept across restarts'`);
    } finally {
      await first.stop();
    }

    const second = await startServer(await embeddedConfig(), silentLog);
    try {
      expect(second.seed).toEqual({ seeded: false, reason: 'the database already has data' });
      const { rows } = await second.pool.query('SELECT name FROM business_settings');
      expect(rows).toEqual([{ name: 'Kept across restarts' }]);
      // The dev mailbox keeps its emails across a restart, and nothing is sent twice.
      await new Promise((r) => setTimeout(r, 1500));
      expect(await demoConfirmations(second)).toEqual(confirmations);
    } finally {
      await second.stop();
    }
  });

  it('refuses a second server on the same data folder, naming the folder', async () => {
    const running = await startServer(await embeddedConfig(), silentLog);
    try {
      await expect(startServer(await embeddedConfig(), silentLog)).rejects.toThrow(
        /data folder .* is in use by another server/,
      );
      // The refused start left the running one alone.
      expect((await fetch(`${running.url}/api/health`)).status).toBe(200);
    } finally {
      await running.stop();
    }
  });
});

describe('boot refusals', () => {
  it('says the port is in use when it is', async () => {
    const db = await startServer(await embeddedConfig(), silentLog);
    const port = new URL(db.url).port;
    try {
      const error = await startServer(
        loadConfig({ PORT: port, DATABASE_URL: db.databaseUrl, LOG_LEVEL: 'silent', DEV_SMTP_PORT: '0' }),
        silentLog,
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PortInUseError);
      expect((error as Error).message).toMatch(`Port ${port} is in use`);
    } finally {
      await db.stop();
    }
  });

  it('says which database it cannot reach, without the password', async () => {
    const port = await freePort();
    const config = loadConfig({
      PORT: '0',
      DATABASE_URL: `postgres://app:s3cret@127.0.0.1:${port}/nowhere`,
      LOG_LEVEL: 'silent',
      DEV_SMTP_PORT: '0',
    });
    const error = (await startServer(config, silentLog).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('DatabaseUnreachableError');
    expect(error.message).toContain(
      `Cannot reach the database at postgres://app:***@127.0.0.1:${port}/nowhere`,
    );
    expect(error.message).not.toContain('s3cret');
  });

  it('will not show the dev mailbox to the network', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(
      /HOST=0\.0\.0\.0 without SMTP_URL would let anyone on the network/,
    );
    expect(loadConfig({ HOST: '0.0.0.0', SMTP_URL: 'smtp://mail.example.com:587' }).host).toBe('0.0.0.0');
  });

  it('explains a malformed setting', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(
      /Invalid configuration in the environment:\n {2}PORT: /,
    );
  });
});
