// Renders one of the business's stored templates with the business's own placeholders
// (name, phone, email) filled in beside the caller's values.
import type pg from 'pg';
import type { EmailKind } from '../../shared/vocabulary.ts';
import { renderTemplate, type TemplateValues } from './render.ts';

/** A stored template and the business's own placeholders, as one row (see renderEmail's query). */
export interface StoredTemplate {
  readonly subject: string;
  readonly body_html: string;
  readonly body_text: string;
  readonly business_name: string;
  readonly business_phone: string;
  readonly business_email: string;
}

export async function renderEmail(
  db: Pick<pg.ClientBase, 'query'>,
  kind: EmailKind,
  values: TemplateValues,
): Promise<{ subject: string; text: string; html: string }> {
  const { rows } = await db.query<StoredTemplate>(
    `SELECT t.subject, t.body_html, t.body_text, b.name AS business_name, b.contact_phone AS business_phone,
            b.contact_email AS business_email
       FROM email_templates t CROSS JOIN business_settings b WHERE t.kind = $1`,
    [kind],
  );
  return renderStoredTemplate(kind, rows[0], values);
}

/** Renders a template already read (`undefined`: none stored, an error as in renderEmail). */
export function renderStoredTemplate(
  kind: EmailKind,
  row: StoredTemplate | undefined,
  values: TemplateValues,
): { subject: string; text: string; html: string } {
  if (!row) throw new Error(`No "${kind}" email template, or the business is not set up.`);
  const all = {
    business_name: row.business_name,
    business_phone: row.business_phone,
    business_email: row.business_email,
    ...values,
  };
  return {
    subject: renderTemplate(row.subject, all, 'text'),
    text: renderTemplate(row.body_text, all, 'text'),
    html: renderTemplate(row.body_html, all, 'html'),
  };
}
