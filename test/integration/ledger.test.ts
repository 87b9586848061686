// The sent-messages ledger: one run of one job holds a message while it sends; another job
// for the same message stays out; the same job re-run after a crash takes it over.
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pool } from '../../server/db/pool.ts';
import { claimMessage, markError, markSent } from '../../server/jobs/ledger.ts';
import { seededPool } from './helpers.ts';

let pool: Pool;
let customerId: string;
beforeAll(async () => {
  pool = await seededPool();
  customerId = (await pool.query(`SELECT id FROM customers LIMIT 1`)).rows[0].id;
});
afterAll(() => pool.end());

const message = () => ({
  bookingId: null,
  customerId,
  kind: 'sign_in' as const,
  eventKey: randomUUID(),
  recipient: 'a@example.com',
});

describe('claiming a message', () => {
  it('lets one job send it while another job for the same message stays out', async () => {
    const m = message();
    const first = await claimMessage(pool, '1', m);
    expect(first).toEqual(expect.any(String));
    expect(await claimMessage(pool, '2', m)).toBeNull();
    // The same job, run again after its worker died mid-send, takes it over.
    expect(await claimMessage(pool, '1', m)).toBe(first);
    await markSent(pool, first as string);
    expect(await claimMessage(pool, '1', m)).toBeNull();
    expect(await claimMessage(pool, '3', m)).toBeNull();
  });

  it('after a retryable error anyone may try again; after a permanent one nobody', async () => {
    const m = message();
    const id = (await claimMessage(pool, '1', m)) as string;
    await markError(pool, id, 'connection refused', false);
    expect(await claimMessage(pool, '2', m)).toBe(id);
    await markError(pool, id, '550 no such mailbox', true);
    expect(await claimMessage(pool, '3', m)).toBeNull();
    const row = (
      await pool.query('SELECT status, attempts, last_error FROM sent_messages WHERE id = $1', [id])
    ).rows[0];
    expect(row).toEqual({ status: 'failed', attempts: 2, last_error: '550 no such mailbox' });
  });

  it('two concurrent claims by different jobs: exactly one wins', async () => {
    const m = message();
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((job) => claimMessage(pool, job, m)));
    expect(results.filter((r) => r !== null)).toHaveLength(1);
  });

  it('records the subject and issues the links with the claim, and only with a won claim', async () => {
    const m = message();
    const link = (name: string) => ({
      tokenHash: createHash('sha256').update(`${name}:${m.eventKey}`).digest(),
      purpose: 'sign_in' as const,
      expiresAt: new Date(Date.now() + 60_000),
    });
    const issued = async (name: string) =>
      (
        await pool.query('SELECT count(*) AS n FROM link_tokens WHERE token_hash = $1', [
          link(name).tokenHash,
        ])
      ).rows[0].n;
    const id = await claimMessage(pool, '1', { ...m, subject: 'Sign in', links: [link('first')] });
    expect(id).toEqual(expect.any(String));
    expect(await issued('first')).toBe(1);
    expect((await pool.query('SELECT subject FROM sent_messages WHERE id = $1', [id])).rows[0].subject).toBe(
      'Sign in',
    );
    // Another job loses the claim: its links are not issued, the subject stays.
    expect(await claimMessage(pool, '2', { ...m, subject: 'Other', links: [link('second')] })).toBeNull();
    expect(await issued('second')).toBe(0);
    expect((await pool.query('SELECT subject FROM sent_messages WHERE id = $1', [id])).rows[0].subject).toBe(
      'Sign in',
    );
  });
});
