// Which placeholders each email template may use, what they mean (the README lists these;
// the admin app's template screen too), and sample values for previews. A template naming
// anything else is refused when saved.
import type { EmailKind } from './vocabulary.ts';

export interface Placeholder {
  readonly name: string;
  readonly description: string;
  readonly sample: string;
}

const business: Placeholder[] = [
  { name: 'business_name', description: "the business's name", sample: 'Sparkle & Fix Home Services' },
  { name: 'business_phone', description: "the business's phone number", sample: '+1 312 555 0100' },
  { name: 'business_email', description: "the business's contact email", sample: 'office@example.com' },
  { name: 'customer_name', description: "the customer's name", sample: 'Jordan Rivera' },
];

const booking: Placeholder[] = [
  {
    name: 'booking_date',
    description: "the booking's start, in the business's time zone",
    sample: 'Fri, Nov 27, 2026, 1:00 PM CST',
  },
  { name: 'service', description: 'the service booked', sample: 'Appliance repair' },
  { name: 'booking_address', description: 'where the job is', sample: '1200 W Lake St, Chicago, IL' },
  {
    name: 'fieldworker_name',
    description: "the assigned fieldworker's first name (empty if none)",
    sample: 'Sam',
  },
  {
    name: 'view_link',
    description: "a link that opens this booking's page in the portal, no password",
    sample: 'https://bookings.example.com/portal/bookings/…?token=…',
  },
];

const cancelLink: Placeholder = {
  name: 'cancel_link',
  description:
    'a link that opens the booking with the Cancel dialog; empty when customers may not cancel (wrap it in {{#cancel_link}}…{{/cancel_link}})',
  sample: 'https://bookings.example.com/portal/bookings/…?token=…&cancel=1',
};

export const PLACEHOLDERS: Readonly<Record<EmailKind, readonly Placeholder[]>> = {
  confirmation: [...business, ...booking, cancelLink],
  reminder: [...business, ...booking, cancelLink],
  cancellation: [
    ...business,
    ...booking,
    {
      name: 'comment',
      description: 'the comment given with the cancellation (empty if none)',
      sample: 'Moving house.',
    },
    {
      name: 'fee',
      description: 'the cancellation fee with its tax and total (empty if none)',
      sample: '$25.00 + $2.00 tax = $27.00',
    },
    { name: 'cancelled_by', description: '"you" or the business name', sample: 'you' },
  ],
  sign_in: [
    ...business,
    {
      name: 'sign_in_link',
      description: 'the one-time sign-in link (30 minutes)',
      sample: 'https://…/portal/sign-in/continue?token=…',
    },
  ],
};

export function sampleValues(kind: EmailKind): Record<string, string> {
  return Object.fromEntries(PLACEHOLDERS[kind].map((p) => [p.name, p.sample]));
}
