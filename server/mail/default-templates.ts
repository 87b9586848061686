// The email templates a new business starts with; the admin edits them later. Placeholders
// are `{{name}}`; `{{#cancel_link}}…{{/cancel_link}}` is kept only when there is a cancel link.
import type { EmailKind } from '../../shared/vocabulary.ts';

export interface EmailTemplate {
  readonly kind: EmailKind;
  readonly subject: string;
  readonly bodyHtml: string;
  readonly bodyText: string;
}

const signature = {
  html: '<p>{{business_name}} · {{business_phone}} · {{business_email}}</p>',
  text: '{{business_name}} · {{business_phone}} · {{business_email}}',
};

/** Confirmation and reminder: one sentence, then View booking and (when allowed) Cancel booking. */
function bookingWithLinks(
  kind: EmailKind,
  subject: string,
  sentence: (strong: (s: string) => string) => string,
): EmailTemplate {
  return {
    kind,
    subject,
    bodyHtml: `<p>Hi {{customer_name}},</p>
<p>${sentence((x) => `<strong>${x}</strong>`)}</p>
<p><a href="{{view_link}}">View booking</a>{{#cancel_link}} · <a href="{{cancel_link}}">Cancel booking</a>{{/cancel_link}}</p>
${signature.html}`,
    bodyText: `Hi {{customer_name}},

${sentence((x) => x)}

View booking: {{view_link}}
{{#cancel_link}}Cancel booking: {{cancel_link}}
{{/cancel_link}}
${signature.text}`,
  };
}

export const DEFAULT_TEMPLATES: readonly EmailTemplate[] = [
  bookingWithLinks(
    'confirmation',
    'Your {{service}} booking on {{booking_date}}',
    (strong) =>
      `Your ${strong('{{service}}')} is booked for ${strong('{{booking_date}}')} at {{booking_address}}.`,
  ),
  bookingWithLinks(
    'reminder',
    'Reminder: {{service}} on {{booking_date}}',
    (strong) =>
      `This is a reminder of your ${strong('{{service}}')} on ${strong('{{booking_date}}')} at {{booking_address}}.`,
  ),
  {
    kind: 'cancellation',
    subject: 'Cancelled: {{service}} on {{booking_date}}',
    bodyHtml: `<p>Hi {{customer_name}},</p>
<p>Your <strong>{{service}}</strong> on <strong>{{booking_date}}</strong> has been cancelled.</p>
{{#comment}}<p>Comment: {{comment}}</p>{{/comment}}
{{#fee}}<p>Cancellation fee: {{fee}}</p>{{/fee}}
<p><a href="{{view_link}}">View booking</a></p>
${signature.html}`,
    bodyText: `Hi {{customer_name}},

Your {{service}} on {{booking_date}} has been cancelled.
{{#comment}}Comment: {{comment}}
{{/comment}}{{#fee}}Cancellation fee: {{fee}}
{{/fee}}
View booking: {{view_link}}

${signature.text}`,
  },
  {
    kind: 'sign_in',
    subject: 'Your sign-in link for {{business_name}}',
    bodyHtml: `<p>Hi {{customer_name}},</p>
<p><a href="{{sign_in_link}}">Sign in to see your bookings</a>. The link works once, for 30 minutes.</p>
<p>If you did not ask for it, you can ignore this email.</p>
${signature.html}`,
    bodyText: `Hi {{customer_name}},

Sign in to see your bookings: {{sign_in_link}}
The link works once, for 30 minutes. If you did not ask for it, you can ignore this email.

${signature.text}`,
  },
];
