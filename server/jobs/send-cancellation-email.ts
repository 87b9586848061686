// Task `send_cancellation_email`: tells the customer their booking is cancelled, whoever
// cancelled it, with the comment and any fee. Queued by the booking trigger, one per
// cancellation event.
import { describeCharge } from '../../shared/fees.ts';
import { bookingEmailTask } from './booking-email.ts';
import type { JobDeps } from './deps.ts';

export const sendCancellationEmail = (deps: JobDeps) =>
  bookingEmailTask(deps, 'cancellation', {
    isStillDue: (b) => b.status === 'cancelled',
    withCancelLink: false,
    extraValues: (b) => ({
      comment: b.cancel_comment ?? '',
      fee: describeCharge(b.cancel_fee_minor, b.cancel_fee_tax_minor, b.currency),
      cancelled_by: b.cancelled_by_role === 'customer' ? 'you' : b.business_name,
    }),
  });
