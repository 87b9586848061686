// What the three booking emails (confirmation, reminder, cancellation) share: load the
// booking, claim the ledger row, issue fresh view/cancel links, render the business's
// template, send once. The per-kind task files say only what differs.
import type { Task } from 'graphile-worker';
import { z } from 'zod';
import type { BookingStatus } from '../../shared/booking-status.ts';
import { decideCancellation } from '../../shared/cancel-decision.ts';
import type { BookingEmailKind } from '../../shared/vocabulary.ts';
import { issueLinkToken } from '../auth/link-tokens.ts';
import { loadBookingToCancel } from '../db/bookings.ts';
import { type PoolClient, withTransaction } from '../db/pool.ts';
import { loadCancelPolicy } from '../db/settings.ts';
import { bookingDetailValues } from '../mail/booking-values.ts';
import { renderEmail } from '../mail/render-email.ts';
import { deliver, type OutgoingEmail } from './deliver.ts';
import type { JobDeps } from './deps.ts';
import { claimMessage, recordPreparationFailure, recordSubject } from './ledger.ts';

const Payload = z.object({ bookingId: z.string().uuid(), eventKey: z.string().min(1) });

const VIEW_LINK_DAYS_AFTER_START = 90;

export interface BookingForEmail {
  id: string;
  status: BookingStatus;
  starts_at: Date;
  address: string;
  customer_id: string;
  customer_name: string;
  customer_email: string;
  fieldworker_id: string | null;
  fieldworker_name: string | null;
  service_name: string;
  currency: string;
  cancelled_by_role: string | null;
  cancel_comment: string | null;
  cancel_fee_minor: number | null;
  cancel_fee_tax_minor: number | null;
  time_zone: string;
  business_name: string;
}

async function loadBooking(db: PoolClient, id: string): Promise<BookingForEmail | null> {
  const { rows } = await db.query<BookingForEmail>(
    `SELECT b.id, b.status, b.starts_at, b.address, b.customer_id, c.name AS customer_name, c.email AS customer_email,
            b.fieldworker_id, u.name AS fieldworker_name, s.name AS service_name, b.currency, b.cancelled_by_role,
            b.cancel_comment, b.cancel_fee_minor, b.cancel_fee_tax_minor, bs.time_zone, bs.name AS business_name
       FROM bookings b
       JOIN customers c ON c.id = b.customer_id
       JOIN services s ON s.id = b.service_id
       LEFT JOIN users u ON u.id = b.fieldworker_id
       CROSS JOIN business_settings bs
      WHERE b.id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

/**
 * One booking email kind: `isStillDue` says whether the email still makes sense when the job
 * runs (a reminder for a booking since cancelled or moved does not), `extraValues` adds the
 * kind's own placeholders, `withCancelLink` whether it offers the cancel link.
 */
export function bookingEmailTask(
  deps: JobDeps,
  kind: BookingEmailKind,
  spec: {
    isStillDue: (booking: BookingForEmail, eventKey: string) => boolean;
    extraValues?: (booking: BookingForEmail) => Record<string, string>;
    withCancelLink: boolean;
  },
): Task {
  return async (payload, helpers) => {
    const { bookingId, eventKey } = Payload.parse(payload);
    const prepared = await withTransaction(deps.pool, async (db) => {
      const booking = await loadBooking(db, bookingId);
      if (!booking || !spec.isStillDue(booking, eventKey)) return null;
      const ledgerId = await claimMessage(db, helpers.job.id, {
        bookingId,
        customerId: booking.customer_id,
        kind,
        eventKey,
        recipient: booking.customer_email,
      });
      if (!ledgerId) return null; // sent already, failed for good, or being sent by another run
      const values = {
        ...(await bookingValues(db, deps.publicUrl, booking, spec.withCancelLink)),
        ...spec.extraValues?.(booking),
      };
      const rendered = await renderEmail(db, kind, values);
      await recordSubject(db, ledgerId, rendered.subject);
      const email: OutgoingEmail = { to: booking.customer_email, ...rendered };
      return { ledgerId, email };
    }).catch(async (error: unknown) => {
      // Preparing failed (a template gone, say) and rolled back the claim: on the last
      // attempt, record the email as failed so the admin sees it.
      if (helpers.job.attempts >= helpers.job.max_attempts) {
        await recordPreparationFailure(deps.pool, { bookingId, kind, eventKey }, error);
      }
      throw error;
    });
    if (prepared) await deliver(deps, helpers, prepared.ledgerId, prepared.email);
  };
}

/** The placeholders every booking email has, with freshly issued links. */
async function bookingValues(
  db: PoolClient,
  publicUrl: string,
  b: BookingForEmail,
  withCancelLink: boolean,
): Promise<Record<string, string>> {
  const page = `${publicUrl}/portal/bookings/${b.id}`;
  // Older emails' links keep working (a link to a booking since cancelled shows it as
  // cancelled): cancel links until the start, view links until 90 days after it.
  const viewToken = await issueLinkToken(db, {
    purpose: 'view_booking',
    customerId: b.customer_id,
    bookingId: b.id,
    expiresAt: new Date(b.starts_at.getTime() + VIEW_LINK_DAYS_AFTER_START * 86_400_000),
  });
  let cancelLink = '';
  // The link is offered only when pressing Cancel behind it would work now: the one decision, previewed.
  const customerMayCancel =
    withCancelLink &&
    decideCancellation({
      now: new Date(),
      canceller: { role: 'customer', customerId: b.customer_id, via: 'cancel_link' },
      booking: await loadBookingToCancel(db, b.id, { lock: false }),
      policy: await requirePolicy(db),
      write: null,
    }).kind === 'applied';
  if (customerMayCancel) {
    // A cancel link works until the booking starts (DESIGN §5), however often it is opened.
    const cancelToken = await issueLinkToken(db, {
      purpose: 'cancel_booking',
      customerId: b.customer_id,
      bookingId: b.id,
      expiresAt: b.starts_at,
    });
    cancelLink = `${page}?token=${cancelToken}&cancel=1`;
  }
  return {
    ...bookingDetailValues(b),
    view_link: `${page}?token=${viewToken}`,
    cancel_link: cancelLink,
  };
}

async function requirePolicy(db: PoolClient) {
  const policy = await loadCancelPolicy(db);
  if (!policy) throw new Error('business_settings has no row');
  return policy;
}
