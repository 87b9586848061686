// The ledger of sent messages (table sent_messages): graphile-worker runs a job at least
// once, so a task claims its (booking, kind, event) row first and sends only while it is
// pending. The row's id is the email's stable Message-ID: a resend after a crash between
// "accepted by SMTP" and "marked sent" carries the same id, which mail systems de-duplicate.
import type pg from 'pg';
import type { Pool } from '../db/pool.ts';

type Queryable = Pick<pg.ClientBase, 'query'>;

export type MessageKind = 'confirmation' | 'reminder' | 'cancellation' | 'sign_in';

export interface LedgerEntry {
  id: string;
  status: 'pending' | 'sent' | 'failed';
}

export async function claimMessage(
  db: Queryable,
  m: { bookingId: string | null; customerId: string; kind: MessageKind; eventKey: string; recipient: string },
): Promise<LedgerEntry> {
  await db.query(
    `INSERT INTO sent_messages (booking_id, customer_id, kind, event_key, recipient) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (booking_id, kind, event_key) DO NOTHING`,
    [m.bookingId, m.customerId, m.kind, m.eventKey, m.recipient],
  );
  // FOR UPDATE: a second run of the same job waits here until the first one's transaction ends.
  const { rows } = await db.query<LedgerEntry>(
    `SELECT id, status FROM sent_messages WHERE booking_id IS NOT DISTINCT FROM $1 AND kind = $2 AND event_key = $3
     FOR UPDATE`,
    [m.bookingId, m.kind, m.eventKey],
  );
  return rows[0] as LedgerEntry;
}

export async function markAttempt(db: Queryable, id: string, subject: string): Promise<void> {
  await db.query('UPDATE sent_messages SET attempts = attempts + 1, subject = $2 WHERE id = $1', [
    id,
    subject,
  ]);
}

export async function markSent(pool: Pool, id: string): Promise<void> {
  await pool.query(
    `UPDATE sent_messages SET status = 'sent', sent_at = now(), last_error = NULL WHERE id = $1`,
    [id],
  );
}

export async function markError(pool: Pool, id: string, error: string, permanent: boolean): Promise<void> {
  await pool.query(
    `UPDATE sent_messages SET last_error = $2,
       status = CASE WHEN $3 THEN 'failed' ELSE status END,
       failed_at = CASE WHEN $3 THEN now() ELSE failed_at END
     WHERE id = $1`,
    [id, error.slice(0, 1000), permanent],
  );
}
