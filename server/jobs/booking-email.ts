// What the three booking emails (confirmation, reminder, cancellation) share: load the
// booking, render the business's template with fresh view/cancel links, claim the ledger
// row (issuing those links with it), send once. The per-kind task files say only what differs.
import type { Task } from 'graphile-worker';
import { z } from 'zod';
import type { BookingStatus } from '../../shared/booking-status.ts';
import { decideCancellation } from '../../shared/cancel-decision.ts';
import type { BookingEmailKind } from '../../shared/vocabulary.ts';
import { hashToken, newToken } from '../auth/sessions.ts';
import { loadBookingToCancel } from '../db/bookings.ts';
import type { Queryable } from '../db/queryable.ts';
import { loadCancelPolicy } from '../db/settings.ts';
import { bookingDetailValues } from '../mail/booking-values.ts';
import { renderStoredTemplate, type StoredTemplate } from '../mail/render-email.ts';
import { deliver, type OutgoingEmail } from './deliver.ts';
import type { JobDeps } from './deps.ts';
import { claimMessage, type LinkToIssue, recordPreparationFailure } from './ledger.ts';

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

/** The booking, the business's settings and the kind's stored template: one query. */
async function loadBooking(
  db: Queryable,
  id: string,
  kind: BookingEmailKind,
): Promise<{ booking: BookingForEmail; template: StoredTemplate | undefined } | null> {
  const { rows } = await db.query<
    BookingForEmail & {
      subject: string | null;
      body_html: string | null;
      body_text: string | null;
      business_phone: string;
      business_email: string;
    }
  >({
    // Named (prepared once per connection): planning this join cost more than running it.
    name: 'booking-email-load',
    text: `SELECT b.id, b.status, b.starts_at, b.address, b.customer_id, c.name AS customer_name, c.email AS customer_email,
            b.fieldworker_id, u.name AS fieldworker_name, s.name AS service_name, b.currency, b.cancelled_by_role,
            b.cancel_comment, b.cancel_fee_minor, b.cancel_fee_tax_minor, bs.time_zone, bs.name AS business_name,
            bs.contact_phone AS business_phone, bs.contact_email AS business_email,
            t.subject, t.body_html, t.body_text
       FROM bookings b
       JOIN customers c ON c.id = b.customer_id
       JOIN services s ON s.id = b.service_id
       LEFT JOIN users u ON u.id = b.fieldworker_id
       CROSS JOIN business_settings bs
       LEFT JOIN email_templates t ON t.kind = $2
      WHERE b.id = $1`,
    values: [id, kind],
  });
  const row = rows[0];
  if (!row) return null;
  const { subject, body_html, body_text, business_phone, business_email, ...booking } = row;
  const template =
    subject === null || body_html === null || body_text === null
      ? undefined
      : {
          subject,
          body_html,
          body_text,
          business_name: booking.business_name,
          business_phone,
          business_email,
        };
  return { booking, template };
}

/**
 * One booking email kind: `isStillDue` says whether the email still makes sense when the job
 * runs (a reminder for a booking since cancelled or moved does not), `extraValues` adds the
 * kind's own placeholders, `withCancelLink` whether it offers the cancel link.
 *
 * Two round trips before the send: one read (booking, settings, template), then the render
 * in memory, then one statement that claims the ledger row with the subject and issues the
 * email's links, only when the claim is won (see claimMessage). A run that loses the claim,
 * or fails to prepare, has written nothing.
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
    const prepare = async () => {
      const loaded = await loadBooking(deps.pool, bookingId, kind);
      if (!loaded || !spec.isStillDue(loaded.booking, eventKey)) return null;
      const { booking, template } = loaded;
      const { values, links } = await bookingValues(deps.pool, deps.publicUrl, booking, spec.withCancelLink);
      const rendered = renderStoredTemplate(kind, template, { ...values, ...spec.extraValues?.(booking) });
      const ledgerId = await claimMessage(deps.pool, helpers.job.id, {
        bookingId,
        customerId: booking.customer_id,
        kind,
        eventKey,
        recipient: booking.customer_email,
        subject: rendered.subject,
        links,
      });
      if (!ledgerId) return null; // sent already, failed for good, or being sent by another run
      const email: OutgoingEmail = { to: booking.customer_email, ...rendered };
      return { ledgerId, email };
    };
    const prepared = await prepare().catch(async (error: unknown) => {
      // Preparing failed (a template gone, say) before anything was claimed: on the last
      // attempt, record the email as failed so the admin sees it.
      if (helpers.job.attempts >= helpers.job.max_attempts) {
        await recordPreparationFailure(deps.pool, { bookingId, kind, eventKey }, error);
      }
      throw error;
    });
    if (prepared) await deliver(deps, helpers, prepared.ledgerId, prepared.email);
  };
}

/** The placeholders every booking email has, with fresh links (issued with the claim). */
async function bookingValues(
  db: Queryable,
  publicUrl: string,
  b: BookingForEmail,
  withCancelLink: boolean,
): Promise<{ values: Record<string, string>; links: LinkToIssue[] }> {
  const page = `${publicUrl}/portal/bookings/${b.id}`;
  // Older emails' links keep working (a link to a booking since cancelled shows it as
  // cancelled): cancel links until the start, view links until 90 days after it.
  const viewToken = newToken();
  const links: LinkToIssue[] = [
    {
      tokenHash: hashToken(viewToken),
      purpose: 'view_booking',
      expiresAt: new Date(b.starts_at.getTime() + VIEW_LINK_DAYS_AFTER_START * 86_400_000),
    },
  ];
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
    const cancelToken = newToken();
    links.push({ tokenHash: hashToken(cancelToken), purpose: 'cancel_booking', expiresAt: b.starts_at });
    cancelLink = `${page}?token=${cancelToken}&cancel=1`;
  }
  return {
    values: { ...bookingDetailValues(b), view_link: `${page}?token=${viewToken}`, cancel_link: cancelLink },
    links,
  };
}

async function requirePolicy(db: Queryable) {
  const policy = await loadCancelPolicy(db);
  if (!policy) throw new Error('business_settings has no row');
  return policy;
}
