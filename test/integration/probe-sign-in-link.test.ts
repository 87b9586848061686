// An outside probe timed auth.requestSignInLink: a customer's email took measurably longer
// than an unknown one, because only a customer's got a job. Now both get the same job, and
// the job decides, out of the requester's sight, whether there is anyone to email.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/boot.ts';
import { DEMO_SIGN_INS } from '../../server/demo/seed-demo.ts';
import { eventually, startTestServer } from './helpers.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const requestLink = (email: string) =>
  fetch(`${server.url}/api/trpc/auth.requestSignInLink`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email }),
  });

describe('a sign-in link request', () => {
  it('queues a job for any email; the job emails a customer and nobody else', async () => {
    const stranger = 'stranger@example.com';
    const before = await server.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = 'send_sign_in_link'`,
    );
    expect(before.rows[0]?.n).toBe(0);
    const unknown = await requestLink(stranger);
    const known = await requestLink(DEMO_SIGN_INS.customer);
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toEqual(await known.json());

    // Both jobs ran to completion (a job that failed would stay in the table to retry).
    const completed = await eventually(async () => {
      const { rows } = await server.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = 'send_sign_in_link'`,
      );
      return rows[0]?.n === 0;
    });
    expect(completed).toBe(true);
    const message = await eventually(async () => {
      const { messages } = await (await fetch(`${server.url}/dev/mailbox.json`)).json();
      // The demo customer's booking confirmations arrive in the same mailbox: look for the link.
      return messages.find(
        (m: { to: string; subject: string }) =>
          m.to === DEMO_SIGN_INS.customer && /sign-in link/.test(m.subject),
      );
    });
    expect(message.subject).toMatch(/sign-in link/);

    const { messages } = await (await fetch(`${server.url}/dev/mailbox.json`)).json();
    expect(messages.filter((m: { to: string }) => m.to === stranger)).toEqual([]);
    const ledger = await server.pool.query('SELECT 1 FROM sent_messages WHERE lower(recipient) = $1', [
      stranger,
    ]);
    expect(ledger.rowCount).toBe(0);
  });
});
