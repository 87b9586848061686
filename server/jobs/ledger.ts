// The ledger of sent messages (table sent_messages): graphile-worker runs a job at least
// once, and a job replaced while running runs twice, so a task claims its (booking, kind,
// event) row before sending. The claim marks the row `sending` for this job with a lease;
// another job finding it `sending` under a live lease leaves it alone, while the same job
// re-run (after its worker was killed) takes it over. The row's id is the email's stable
// Message-ID, so a resend after a crash between "accepted" and "marked sent" de-duplicates.

import type { EmailKind, SentEmailKind } from '../../shared/vocabulary.ts';
import type { LinkPurpose } from '../auth/link-tokens.ts';

/** What the ledger records: every kind of email, and pushes (one row per notification and device). */
export type LedgerKind = SentEmailKind | 'push';

import type { Pool } from '../db/pool.ts';
import type { Queryable } from '../db/queryable.ts';

const LEASE = '10 minutes';

/** A link an email carries (DESIGN §5), issued only when its email is claimed. */
export interface LinkToIssue {
  readonly tokenHash: Buffer;
  readonly purpose: LinkPurpose;
  readonly expiresAt: Date;
}

/**
 * Claims the message for `jobId`; returns its ledger id, or null when it is sent, failed
 * for good, or being sent by another job right now. `subject` is recorded with the claim,
 * and `links` (for the message's customer and booking) are issued in the same statement,
 * only when the claim is won.
 */
export async function claimMessage(
  db: Queryable,
  jobId: string,
  m: {
    bookingId: string | null;
    customerId: string | null;
    kind: LedgerKind;
    eventKey: string;
    recipient: string;
    subject?: string;
    links?: readonly LinkToIssue[];
  },
): Promise<string | null> {
  // One statement, one round trip: a new row is claimed as it is inserted; an existing one
  // only when pending, or sending under this job or an expired lease. Concurrent claims of
  // one message wait on the row and then see the winner's lease: exactly one gets it.
  const claim = `INSERT INTO sent_messages (booking_id, customer_id, kind, event_key, recipient, subject,
                                            status, lease_job_id, lease_until, attempts)
     VALUES ($1, $2, $3, $4, $5, coalesce($7::text, ''), 'sending', $6, now() + interval '${LEASE}', 1)
     ON CONFLICT (booking_id, kind, event_key) DO UPDATE
        SET status = 'sending', lease_job_id = EXCLUDED.lease_job_id, lease_until = EXCLUDED.lease_until,
            attempts = sent_messages.attempts + 1, subject = coalesce($7::text, sent_messages.subject)
      WHERE sent_messages.status = 'pending'
         OR (sent_messages.status = 'sending'
             AND (sent_messages.lease_job_id = EXCLUDED.lease_job_id OR sent_messages.lease_until < now()))
     RETURNING id`;
  const params = [m.bookingId, m.customerId, m.kind, m.eventKey, m.recipient, jobId, m.subject ?? null];
  const links = m.links ?? [];
  // Named (prepared once per connection): Postgres neither parses nor plans them again.
  const { rows } = await db.query<{ id: string }>({
    name: links.length === 0 ? 'ledger-claim' : 'ledger-claim-with-links',
    text:
      links.length === 0
        ? claim
        : `WITH claimed AS (${claim}),
         issued AS (
           INSERT INTO link_tokens (token_hash, purpose, customer_id, booking_id, expires_at)
           SELECT l.token_hash, l.purpose, $2, $1, l.expires_at
             FROM claimed, unnest($8::bytea[], $9::text[], $10::timestamptz[]) AS l (token_hash, purpose, expires_at))
         SELECT id FROM claimed`,
    values:
      links.length === 0
        ? params
        : [
            ...params,
            links.map((l) => l.tokenHash),
            links.map((l) => l.purpose),
            links.map((l) => l.expiresAt),
          ],
  });
  return rows[0]?.id ?? null;
}

export async function recordSubject(db: Queryable, id: string, subject: string): Promise<void> {
  await db.query('UPDATE sent_messages SET subject = $2 WHERE id = $1', [id, subject]);
}

/**
 * Records the message as sent. Its commit waits for the WAL flush like every other: a version
 * that did not (the job's later completion would flush it) coincided with e2e runs where a
 * transaction committed meanwhile never reached the synced apps, so it was taken back.
 */
export async function markSent(pool: Pool, id: string): Promise<void> {
  await pool.query({
    name: 'ledger-mark-sent',
    text: `UPDATE sent_messages SET status = 'sent', sent_at = now(), last_error = NULL, lease_until = NULL WHERE id = $1`,
    values: [id],
  });
}

/** A failed attempt: back to pending for the retry, or failed for good. */
export async function markError(pool: Pool, id: string, error: string, permanent: boolean): Promise<void> {
  await pool.query(
    `UPDATE sent_messages SET last_error = $2, lease_until = NULL,
       status = CASE WHEN $3 THEN 'failed' ELSE 'pending' END,
       failed_at = CASE WHEN $3 THEN now() ELSE failed_at END
     WHERE id = $1`,
    [id, error.slice(0, 1000), permanent],
  );
}

/** An email that could not even be prepared on its last attempt: failed, for the admin list. */
export async function recordPreparationFailure(
  pool: Pool,
  m: { bookingId: string; kind: EmailKind; eventKey: string },
  error: unknown,
): Promise<void> {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
  await pool.query(
    `INSERT INTO sent_messages (booking_id, customer_id, kind, event_key, recipient, status, last_error, failed_at, attempts)
     SELECT b.id, b.customer_id, $2, $3, c.email, 'failed', $4, now(), 1
       FROM bookings b JOIN customers c ON c.id = b.customer_id WHERE b.id = $1
     ON CONFLICT (booking_id, kind, event_key)
     DO UPDATE SET status = 'failed', last_error = $4, failed_at = now(), lease_until = NULL,
                   attempts = sent_messages.attempts + 1
     WHERE sent_messages.status <> 'sent'`,
    [m.bookingId, m.kind, m.eventKey, message],
  );
}
