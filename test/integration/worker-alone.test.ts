// `npm run worker`: the job worker as its own process beside a server started with
// WORKER=off, as a deployment that separates them runs it.
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { createPool } from '../../server/db/pool.ts';
import { type SmtpCapture, startSmtpCapture } from '../support/smtp-capture.ts';
import { freePort } from './free-port.ts';
import { eventually, freshDatabase } from './helpers.ts';
import { killAllServers, spawnServer } from './server-process-helpers.ts';

let smtp: SmtpCapture;
const workers: ReturnType<typeof spawn>[] = [];
afterAll(async () => {
  for (const w of workers) w.kill('SIGKILL');
  killAllServers();
  await smtp?.stop();
});

describe('npm run worker', () => {
  it('refuses to start without the shared settings, naming them', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/worker.ts'], {
      env: { ...process.env, DATABASE_URL: '', SMTP_URL: '', PUBLIC_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr.on('data', (d) => {
      output += d;
    });
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(output).toContain('npm run worker needs DATABASE_URL, SMTP_URL, PUBLIC_URL set');
  });

  it('sends the emails a server with WORKER=off leaves to it', async () => {
    smtp = await startSmtpCapture();
    const databaseUrl = await freshDatabase();
    const port = await freePort();
    const env = { DATABASE_URL: databaseUrl, SMTP_URL: smtp.url, PUBLIC_URL: `http://127.0.0.1:${port}` };
    const server = spawnServer({ ...env, PORT: String(port), WORKER: 'off' });
    await server.ready();
    const health = await (await fetch(`http://127.0.0.1:${port}/api/health`)).json();
    expect(health).toEqual({ status: 'ok', database: 'up', worker: 'external' });

    const worker = spawn(process.execPath, ['--import', 'tsx', 'server/worker.ts'], {
      env: { ...process.env, ...env },
      stdio: 'ignore',
    });
    workers.push(worker);
    const pool = createPool(databaseUrl);
    try {
      await pool.query(
        `UPDATE bookings SET status = 'cancelled' WHERE id = (SELECT id FROM bookings WHERE status = 'scheduled' LIMIT 1)`,
      );
      const mail = await eventually(
        async () => smtp.messages.find((m) => m.subject.startsWith('Cancelled:')),
        20_000,
      );
      expect(mail.text).toContain(`View booking: http://127.0.0.1:${port}/portal/bookings/`);
    } finally {
      await pool.end();
    }
    worker.kill('SIGTERM');
    expect(await new Promise((resolve) => worker.on('exit', resolve))).toBe(0);
  }, 60_000);
});
