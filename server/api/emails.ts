// The business's email templates (list, read, save with validation, preview with sample
// data) and the emails that could not be delivered. Admins only.
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { TemplateKind } from '../mail/default-templates.ts';
import { PLACEHOLDERS, sampleValues } from '../mail/placeholders.ts';
import { renderTemplate } from '../mail/render.ts';
import { templateProblems } from '../mail/validate-template.ts';
import { adminProcedure, router } from './trpc.ts';

const Kind = z.enum(['confirmation', 'reminder', 'cancellation', 'sign_in']);
const Parts = z.object({
  subject: z
    .string()
    .trim()
    .min(1, 'The subject cannot be empty.')
    .max(300, 'Keep the subject under 300 characters.'),
  bodyHtml: z.string().min(1, 'The HTML body cannot be empty.').max(50_000, 'The HTML body is too long.'),
  bodyText: z.string().min(1, 'The text body cannot be empty.').max(50_000, 'The text body is too long.'),
});

interface TemplateRow {
  kind: TemplateKind;
  subject: string;
  bodyHtml: string;
  bodyText: string;
  updatedAt: Date;
}
const SELECT = `SELECT kind, subject, body_html AS "bodyHtml", body_text AS "bodyText", updated_at AS "updatedAt"
  FROM email_templates`;

function assertValid(kind: TemplateKind, parts: z.infer<typeof Parts>) {
  const problems = templateProblems(kind, parts);
  if (problems.length) throw new TRPCError({ code: 'BAD_REQUEST', message: problems.join(' ') });
}

export const emailsRouter = router({
  templates: adminProcedure.query(async ({ ctx }) => {
    const { rows } = await ctx.pool.query<TemplateRow>(`${SELECT} ORDER BY kind`);
    return rows.map((t) => ({ ...t, placeholders: PLACEHOLDERS[t.kind] }));
  }),

  template: adminProcedure.input(z.object({ kind: Kind })).query(async ({ ctx, input }) => {
    const { rows } = await ctx.pool.query<TemplateRow>(`${SELECT} WHERE kind = $1`, [input.kind]);
    const template = rows[0];
    if (!template) throw new TRPCError({ code: 'NOT_FOUND', message: 'There is no such email template.' });
    return { ...template, placeholders: PLACEHOLDERS[input.kind] };
  }),

  saveTemplate: adminProcedure.input(Parts.extend({ kind: Kind })).mutation(async ({ ctx, input }) => {
    assertValid(input.kind, input);
    const { rows } = await ctx.pool.query<{ txid: string }>(
      `INSERT INTO email_templates (kind, subject, body_html, body_text) VALUES ($1, $2, $3, $4)
       ON CONFLICT (kind) DO UPDATE SET subject = $2, body_html = $3, body_text = $4, updated_at = now()
       RETURNING pg_current_xact_id()::xid::text AS txid`,
      [input.kind, input.subject, input.bodyHtml, input.bodyText],
    );
    return { saved: true, txid: rows[0]?.txid ?? '' };
  }),

  /** The template (saved, or as being edited) rendered with sample values. */
  previewTemplate: adminProcedure.input(Parts.extend({ kind: Kind })).query(({ input }) => {
    assertValid(input.kind, input);
    const values = sampleValues(input.kind);
    return {
      subject: renderTemplate(input.subject, values, 'text'),
      html: renderTemplate(input.bodyHtml, values, 'html'),
      text: renderTemplate(input.bodyText, values, 'text'),
    };
  }),

  /** Emails given up on (refused by the mail server, or out of retries), newest first. */
  failures: adminProcedure.query(async ({ ctx }) => {
    const { rows } = await ctx.pool.query(
      `SELECT id, booking_id AS "bookingId", kind, recipient, subject, attempts, last_error AS "lastError",
              failed_at AS "failedAt"
         FROM sent_messages WHERE status = 'failed' ORDER BY failed_at DESC LIMIT 100`,
    );
    return rows;
  }),
});
