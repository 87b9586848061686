// The business's email templates (list, read, save with validation, preview with sample
// data) and the emails that could not be delivered. Admins only.
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { PLACEHOLDERS } from '../../shared/email-placeholders.ts';
import { typedText } from '../../shared/input-rules.ts';
import { WriteId } from '../../shared/schemas.ts';
import { EMAIL_KINDS, type EmailKind } from '../../shared/vocabulary.ts';
import {
  failedEmails,
  listTemplates,
  readTemplate,
  requeueFailedEmail,
  saveTemplate,
  type TemplateParts,
} from '../db/emails.ts';
import { addJob } from '../jobs/add-job.ts';
import { DEFAULT_TEMPLATES } from '../mail/default-templates.ts';
import { previewValues } from '../mail/preview-values.ts';
import { renderTemplate } from '../mail/render.ts';
import { templateProblems } from '../mail/validate-template.ts';
import { adminProcedure, router } from './trpc.ts';
import { acceptWrite, performWrite, rejectWrite, writerOf } from './write.ts';

const Kind = z.enum(EMAIL_KINDS);
const Parts = z.object({
  subject: typedText()
    .trim()
    .min(1, 'The subject cannot be empty.')
    .max(300, 'Keep the subject under 300 characters.'),
  bodyHtml: typedText({ lines: 'many' })
    .min(1, 'The HTML body cannot be empty.')
    .max(50_000, 'The HTML body is too long.'),
  bodyText: typedText({ lines: 'many' })
    .min(1, 'The text body cannot be empty.')
    .max(50_000, 'The text body is too long.'),
});

/** Why a template cannot be saved (an unknown placeholder, an unclosed block), or null. */
function problemsOf(kind: EmailKind, parts: TemplateParts): string | null {
  const problems = templateProblems(kind, parts);
  return problems.length ? problems.join(' ') : null;
}

export const emailsRouter = router({
  templates: adminProcedure.query(async ({ ctx }) => {
    return (await listTemplates(ctx.pool)).map((t) => ({ ...t, placeholders: PLACEHOLDERS[t.kind] }));
  }),

  template: adminProcedure.input(z.object({ kind: Kind })).query(async ({ ctx, input }) => {
    const template = await readTemplate(ctx.pool, input.kind);
    if (!template) throw new TRPCError({ code: 'NOT_FOUND', message: 'There is no such email template.' });
    return { ...template, placeholders: PLACEHOLDERS[input.kind] };
  }),

  saveTemplate: adminProcedure
    .input(Parts.extend({ kind: Kind, writeId: WriteId }))
    .mutation(({ ctx, input }) => {
      const { writeId, kind, ...parts } = input;
      const payload = {
        procedure: 'emails.saveTemplate',
        by: writerOf(ctx.session),
        input: { kind, ...parts },
      };
      return performWrite(ctx.pool, { writeId, payload }, async (db) => {
        const problems = problemsOf(kind, parts);
        if (problems) return rejectWrite('BAD_REQUEST', problems);
        await saveTemplate(db, kind, parts);
        return acceptWrite({ saved: true as const });
      });
    }),

  /**
   * The template (saved, or as being edited) rendered by the emails' own renderer on the
   * soonest upcoming booking (mail/preview-values.ts), samples where there is none.
   */
  previewTemplate: adminProcedure.input(Parts.extend({ kind: Kind })).query(async ({ ctx, input }) => {
    const problems = problemsOf(input.kind, input);
    if (problems) throw new TRPCError({ code: 'BAD_REQUEST', message: problems });
    const { values, booking } = await previewValues(ctx.pool, input.kind);
    return {
      booking,
      subject: renderTemplate(input.subject, values, 'text'),
      html: renderTemplate(input.bodyHtml, values, 'html'),
      text: renderTemplate(input.bodyText, values, 'text'),
    };
  }),

  /** The template a new business starts with, for "Restore the default" (saved only when the admin saves). */
  defaultTemplate: adminProcedure.input(z.object({ kind: Kind })).query(({ input }) => {
    const template = DEFAULT_TEMPLATES.find((t) => t.kind === input.kind);
    if (!template) throw new TRPCError({ code: 'NOT_FOUND', message: 'There is no such email template.' });
    return { subject: template.subject, bodyHtml: template.bodyHtml, bodyText: template.bodyText };
  }),

  /** Emails given up on (refused by the mail server, or out of retries), newest first. */
  failures: adminProcedure.query(({ ctx }) => failedEmails(ctx.pool)),

  /**
   * A failed booking email sent again (after the customer's address was fixed, say): back in
   * the ledger and queued, so it goes out once, to the address the customer has now.
   */
  resend: adminProcedure
    .input(z.object({ writeId: WriteId, id: z.string().uuid('That is not an email of the list.') }).strict())
    .mutation(({ ctx, input }) => {
      const payload = { procedure: 'emails.resend', by: writerOf(ctx.session), input: { id: input.id } };
      return performWrite(ctx.pool, { writeId: input.writeId, payload }, async (db) => {
        const email = await requeueFailedEmail(db, input.id);
        if (!email) {
          return rejectWrite(
            'NOT_FOUND',
            'That email is no longer waiting to be sent again, or is a link (a customer asks for a new sign-in link; send a staff member a new one from Staff).',
          );
        }
        await addJob(
          db,
          `send_${email.kind}_email`,
          { bookingId: email.bookingId, eventKey: email.eventKey },
          { jobKey: `resend:${input.id}` },
        );
        return acceptWrite({ queued: true as const, recipient: email.recipient });
      });
    }),
});
