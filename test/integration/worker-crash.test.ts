// A server killed with SIGKILL while an email is being sent: the next server frees the job
// its dead worker left locked, and the email goes out once, within seconds of the restart.
import { afterAll, describe, expect, it } from 'vitest';
import { createPool } from '../../server/db/pool.ts';
import { freeJobsOfDeadWorkers } from '../../server/jobs/worker-registry.ts';
import { type SmtpCapture, startSmtpCapture } from '../support/smtp-capture.ts';
import { freePort } from './free-port.ts';
import { eventually, freshDatabase, silentLog, startTestServer } from './helpers.ts';
import { killAllServers, spawnServer } from './server-process-helpers.ts';

let smtp: SmtpCapture;
afterAll(async () => {
  killAllServers();
  await smtp?.stop();
});

describe('a worker killed mid-send', () => {
  it('sends the email once after a restart', async () => {
    smtp = await startSmtpCapture();
    const databaseUrl = await freshDatabase();
    const env = { DATABASE_URL: databaseUrl, SMTP_URL: smtp.url, LOG_LEVEL: 'info' };
    const first = spawnServer({ ...env, PORT: String(await freePort()) });
    await first.ready();

    const pool = createPool(databaseUrl);
    try {
      smtp.hang = true; // the SMTP server takes the message and never answers
      const { rows } = await pool.query<{ id: string }>(
        `INSERT INTO bookings (customer_id, service_id, status, starts_at, ends_at, address, price_minor, currency)
         SELECT c.id, s.id, 'scheduled', now() + interval '3 days', now() + interval '3 days 2 hours', c.address, 100, 'USD'
           FROM customers c, services s WHERE c.email = 'priya@example.com' LIMIT 1 RETURNING id`,
      );
      const id = rows[0]?.id as string;
      await eventually(async () => smtp.dataStarted() > 0);
      const locked = await pool.query(`SELECT locked_by FROM graphile_worker.jobs WHERE key = $1`, [
        `confirmation:${id}`,
      ]);
      expect(locked.rows[0]?.locked_by).toEqual(expect.any(String));
      first.child.kill('SIGKILL');
      await first.exited;
      smtp.hang = false;
      const second = spawnServer({ ...env, PORT: String(await freePort()) });
      await second.ready();
      const mail = await eventually(
        async () => smtp.messages.find((m) => m.text.includes(`/portal/bookings/${id}?`)),
        15_000,
      );
      expect(mail.to).toBe('priya@example.com');
      expect(second.output()).toContain('Freed the jobs of');

      await new Promise((r) => setTimeout(r, 1500));
      expect(smtp.messages.filter((m) => m.text.includes(`/portal/bookings/${id}?`))).toHaveLength(1);
      const ledger = await pool.query(`SELECT status FROM sent_messages WHERE booking_id = $1`, [id]);
      expect(ledger.rows).toEqual([{ status: 'sent' }]);
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    } finally {
      await pool.end();
    }
  }, 60_000);

  it('a second server on the same database leaves the first one’s live jobs alone', async () => {
    const databaseUrl = await freshDatabase();
    const first = await startTestServer({ DATABASE_URL: databaseUrl });
    try {
      const ids = async () =>
        (
          await first.pool.query<{ worker_id: string }>('SELECT worker_id FROM job_workers ORDER BY 1')
        ).rows.map((r) => r.worker_id);
      await eventually(async () => (await ids()).length > 0);
      const before = await ids();
      const second = await startTestServer({ DATABASE_URL: databaseUrl });
      try {
        expect(await freeJobsOfDeadWorkers(first.pool, silentLog)).toEqual([]);
        expect((await ids()).filter((id) => before.includes(id))).toEqual(before);
      } finally {
        await second.stop();
      }
    } finally {
      await first.stop();
    }
  });
});
