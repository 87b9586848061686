// The emails to staff: an invitation to join and a password reset link. Fixed words, not
// business-editable templates (those are the customers' emails), rendered by the same
// renderer so values are escaped the same way.

import { PASSWORD_LINK_HOURS } from '../../shared/limits.ts';
import type { StaffEmailKind, StaffRole } from '../../shared/vocabulary.ts';
import { renderTemplate } from './render.ts';

const APP_NAMES: Readonly<Record<StaffRole, string>> = {
  admin: 'the office app',
  fieldworker: 'the fieldworker app',
};

const EMAILS: Readonly<Record<StaffEmailKind, { subject: string; text: string; html: string }>> = {
  staff_invite: {
    subject: 'You are invited to {{business_name}}',
    text: `Hello {{name}},

{{business_name}} has invited you to {{app_name}}.

Choose your password: {{link}}

The link works once, for {{hours}} hours. Then sign in with {{email}} and your password.
`,
    html: `<p>Hello {{name}},</p>
<p>{{business_name}} has invited you to {{app_name}}.</p>
<p><a href="{{link}}">Choose your password</a></p>
<p>The link works once, for {{hours}} hours. Then sign in with {{email}} and your password.</p>`,
  },
  password_reset: {
    subject: 'Choose a new password for {{business_name}}',
    text: `Hello {{name}},

Someone in the office at {{business_name}} sent you this link to choose a new password.

Choose a new password: {{link}}

The link works once, for {{hours}} hours. Until you use it, your password stays as it is.
`,
    html: `<p>Hello {{name}},</p>
<p>Someone in the office at {{business_name}} sent you this link to choose a new password.</p>
<p><a href="{{link}}">Choose a new password</a></p>
<p>The link works once, for {{hours}} hours. Until you use it, your password stays as it is.</p>`,
  },
};

export function renderStaffEmail(
  kind: StaffEmailKind,
  values: { name: string; email: string; role: StaffRole; businessName: string; link: string },
): { subject: string; text: string; html: string } {
  const all = {
    name: values.name,
    email: values.email,
    app_name: APP_NAMES[values.role],
    business_name: values.businessName,
    link: values.link,
    hours: String(PASSWORD_LINK_HOURS),
  };
  const email = EMAILS[kind];
  return {
    subject: renderTemplate(email.subject, all, 'text'),
    text: renderTemplate(email.text, all, 'text'),
    html: renderTemplate(email.html, all, 'html'),
  };
}
