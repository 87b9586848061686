// The business's email templates (list, read, save with validation, preview with sample
// data) and the emails that could not be delivered. Admins only.
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { typedText } from '../../shared/input-rules.ts';
import { WriteId } from '../../shared/schemas.ts';
import { EMAIL_KINDS, type EmailKind } from '../../shared/vocabulary.ts';
import { failedEmails, listTemplates, readTemplate, saveTemplate, type TemplateParts } from '../db/emails.ts';
import { PLACEHOLDERS, sampleValues } from '../mail/placeholders.ts';
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

  /** The template (saved, or as being edited) rendered with sample values. */
  previewTemplate: adminProcedure.input(Parts.extend({ kind: Kind })).query(({ input }) => {
    const problems = problemsOf(input.kind, input);
    if (problems) throw new TRPCError({ code: 'BAD_REQUEST', message: problems });
    const values = sampleValues(input.kind);
    return {
      subject: renderTemplate(input.subject, values, 'text'),
      html: renderTemplate(input.bodyHtml, values, 'html'),
      text: renderTemplate(input.bodyText, values, 'text'),
    };
  }),

  /** Emails given up on (refused by the mail server, or out of retries), newest first. */
  failures: adminProcedure.query(({ ctx }) => failedEmails(ctx.pool)),
});
