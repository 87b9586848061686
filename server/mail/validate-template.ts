// Checks a template before it is saved: every placeholder must be one its kind knows, and
// every {{#block}} must be closed by its {{/block}}. Returns sentences naming what is wrong.

import { PLACEHOLDERS } from '../../shared/email-placeholders.ts';
import type { EmailKind } from '../../shared/vocabulary.ts';

export interface TemplateParts {
  readonly subject: string;
  readonly bodyHtml: string;
  readonly bodyText: string;
}

const PART_NAMES: Record<keyof TemplateParts, string> = {
  subject: 'the subject',
  bodyHtml: 'the HTML body',
  bodyText: 'the text body',
};

export function templateProblems(kind: EmailKind, parts: TemplateParts): string[] {
  const known = new Set(PLACEHOLDERS[kind].map((p) => p.name));
  const problems: string[] = [];
  for (const key of Object.keys(PART_NAMES) as (keyof TemplateParts)[]) {
    const text = parts[key];
    const where = PART_NAMES[key];
    const open: string[] = [];
    for (const m of text.matchAll(/\{\{\s*([#/]?)\s*([^{}\s]*)\s*\}\}/g)) {
      const [whole, sign, name = ''] = m;
      if (!known.has(name)) {
        problems.push(
          `Unknown placeholder ${whole} in ${where}. This email knows: ${[...known].map((n) => `{{${n}}}`).join(', ')}.`,
        );
      } else if (sign === '#') {
        open.push(name);
      } else if (sign === '/' && open.pop() !== name) {
        problems.push(`${whole} in ${where} closes a block that was not opened with {{#${name}}}.`);
      }
    }
    for (const name of open) problems.push(`{{#${name}}} in ${where} is never closed with {{/${name}}}.`);
  }
  return problems;
}
