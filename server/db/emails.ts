// The email family: the business's editable templates, and the emails given up on.
import type { EmailKind, SentEmailKind } from '../../shared/vocabulary.ts';
import type { Queryable } from './queryable.ts';

export interface TemplateRow {
  kind: EmailKind;
  subject: string;
  bodyHtml: string;
  bodyText: string;
  updatedAt: Date;
}

export interface TemplateParts {
  readonly subject: string;
  readonly bodyHtml: string;
  readonly bodyText: string;
}

const SELECT_TEMPLATES = `SELECT kind, subject, body_html AS "bodyHtml", body_text AS "bodyText", updated_at AS "updatedAt"
  FROM email_templates`;

export async function listTemplates(db: Queryable): Promise<TemplateRow[]> {
  return (await db.query<TemplateRow>(`${SELECT_TEMPLATES} ORDER BY kind`)).rows;
}

export async function readTemplate(db: Queryable, kind: EmailKind): Promise<TemplateRow | null> {
  return (await db.query<TemplateRow>(`${SELECT_TEMPLATES} WHERE kind = $1`, [kind])).rows[0] ?? null;
}

export async function saveTemplate(db: Queryable, kind: EmailKind, parts: TemplateParts): Promise<void> {
  await db.query(
    `INSERT INTO email_templates (kind, subject, body_html, body_text) VALUES ($1, $2, $3, $4)
     ON CONFLICT (kind) DO UPDATE SET subject = $2, body_html = $3, body_text = $4, updated_at = now()`,
    [kind, parts.subject, parts.bodyHtml, parts.bodyText],
  );
}

/** Emails given up on (refused by the mail server, or out of retries), newest first. */
export async function failedEmails(db: Queryable): Promise<
  {
    id: string;
    bookingId: string | null;
    kind: SentEmailKind;
    recipient: string;
    subject: string;
    attempts: number;
    lastError: string | null;
    failedAt: Date;
  }[]
> {
  const { rows } = await db.query(
    `SELECT id, booking_id AS "bookingId", kind, recipient, subject, attempts, last_error AS "lastError",
            failed_at AS "failedAt"
       FROM sent_messages WHERE status = 'failed' AND kind <> 'push' ORDER BY failed_at DESC LIMIT 100`,
  );
  return rows;
}

/**
 * A failed booking email, back in the ledger to go out again: pending, to the customer's
 * address as it is now. The job that sends it claims the same ledger row, so it still goes
 * out once. Null when there is no such failed email, or it is about no booking (a sign-in
 * link: the customer asks for a new one).
 */
export async function requeueFailedEmail(
  db: Queryable,
  id: string,
): Promise<{ bookingId: string; kind: EmailKind; eventKey: string; recipient: string } | null> {
  const { rows } = await db.query<{
    bookingId: string;
    kind: EmailKind;
    eventKey: string;
    recipient: string;
  }>(
    `UPDATE sent_messages m SET status = 'pending', failed_at = NULL, lease_until = NULL, recipient = c.email
       FROM customers c
      WHERE m.id = $1 AND m.status = 'failed' AND m.booking_id IS NOT NULL AND c.id = m.customer_id
      RETURNING m.booking_id AS "bookingId", m.kind, m.event_key AS "eventKey", m.recipient`,
    [id],
  );
  return rows[0] ?? null;
}
