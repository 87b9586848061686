// The customer portal's API. A customer is known either by their session (signed in with an
// emailed link) or by a booking link token from an email, which opens that one booking and
// nothing else. Reading never changes anything (mail scanners open links); cancelling and
// requesting an appointment are mutations a person triggers, and only a cancel link or a
// session cancels: a view link views.
import { TZDate } from '@date-fns/tz';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { type Canceller, decideCancellation } from '../../shared/cancel-decision.ts';
import { ALREADY_CANCELLED, cancelRejection, NO_SUCH_BOOKING } from '../../shared/outcomes.ts';
import { AppointmentRequest, BookingId, CancelComment, LinkToken, WriteId } from '../../shared/schemas.ts';
import { peekLinkToken } from '../auth/link-tokens.ts';
import { setActor } from '../db/actor.ts';
import {
  activeServices,
  appointmentTerms,
  customerBooking,
  customerBookings,
  insertRequestedBooking,
  loadBookingToCancel,
  type PortalBookingRow,
} from '../db/bookings.ts';
import { loadCancelPolicy } from '../db/settings.ts';
import { cancelBooking } from './cancel-booking.ts';
import type { Context } from './context.ts';
import { customerProcedure, publicProcedure, router } from './trpc.ts';
import { acceptWrite, performWrite, rejectWrite, writerOf } from './write.ts';

export const LINK_NO_LONGER_WORKS =
  'This link no longer works. It may have expired. We can email you a fresh sign-in link.';

/** A customer, and how they reached this booking: their session, or an emailed link. */
type CustomerCanceller = Extract<Canceller, { role: 'customer' }>;

/**
 * Who is asking about `bookingId`: the holder of a link token for exactly that booking, or the
 * signed-in customer. A token for another booking, expired, revoked or forged, is refused.
 */
async function customerFor(
  ctx: Context,
  bookingId: string,
  token: string | undefined,
): Promise<CustomerCanceller> {
  const signedIn = ctx.session?.role === 'customer' ? ctx.session.customerId : null;
  if (token) {
    const limit = await ctx.rateLimits.linkToken(ctx.ip);
    if (!limit.ok)
      throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: 'Too many attempts. Please wait a minute.' });
    const found = await peekLinkToken(ctx.pool, token, ['view_booking', 'cancel_booking']);
    if (found.status === 'valid' && found.bookingId === bookingId) {
      // A view link held by the signed-in customer themself is no limit on their session.
      if (found.purpose === 'view_booking' && signedIn === found.customerId) {
        return { role: 'customer', customerId: signedIn, via: 'session' };
      }
      const via = found.purpose === 'cancel_booking' ? 'cancel_link' : 'view_link';
      return { role: 'customer', customerId: found.customerId, via };
    }
    // An old link is no loss to a customer who is signed in: their session still opens their bookings.
    if (!signedIn) throw new TRPCError({ code: 'FORBIDDEN', message: LINK_NO_LONGER_WORKS });
  }
  if (signedIn) return { role: 'customer', customerId: signedIn, via: 'session' };
  throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Please sign in first.' });
}

const notFound = () => new TRPCError({ code: 'NOT_FOUND', message: NO_SUCH_BOOKING });

function present(row: PortalBookingRow) {
  const byYou = row.cancelled_by_customer_id !== null && row.cancelled_by_customer_id === row.customer_id;
  return {
    id: row.id,
    status: row.status,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    address: row.address,
    priceMinor: row.price_minor,
    currency: row.currency,
    serviceId: row.service_id,
    serviceName: row.service_name,
    fieldworkerFirstName: row.fieldworker_name?.split(' ')[0] ?? null,
    cancelledAt: row.cancelled_at,
    cancelledByYou: byYou,
    // The comment is written for the customer (the cancellation email shows it too).
    cancelComment: row.cancel_comment,
    cancelFee: row.cancel_fee_minor
      ? { feeMinor: row.cancel_fee_minor, taxMinor: row.cancel_fee_tax_minor ?? 0 }
      : null,
  };
}

export const portalRouter = router({
  /** The signed-in customer's bookings, soonest first. */
  bookings: customerProcedure.query(async ({ ctx }) => {
    return (await customerBookings(ctx.pool, ctx.session.customerId)).map(present);
  }),

  /** One booking, with whether it can be cancelled now, why not, and what it would cost. */
  booking: publicProcedure
    .input(z.object({ id: BookingId, token: LinkToken.optional() }))
    .query(async ({ ctx, input }) => {
      const canceller = await customerFor(ctx, input.id, input.token);
      const row = await customerBooking(ctx.pool, canceller.customerId, input.id);
      const policy = row && (await loadCancelPolicy(ctx.pool));
      if (!row || !policy) throw notFound();
      const booking = await loadBookingToCancel(ctx.pool, input.id, { lock: false });
      // A preview of the one decision: exactly what pressing Cancel would meet now.
      const outcome = decideCancellation({ now: new Date(), canceller, booking, policy, write: null });
      return {
        ...present(row),
        access: canceller.via === 'session' ? ('session' as const) : ('link' as const),
        cancel:
          outcome.kind === 'applied'
            ? {
                allowed: true as const,
                commentRequired: policy.customerCommentRequired,
                fee: outcome.fee && { name: outcome.fee.name, ...outcome.fee.quote },
              }
            : outcome.kind === 'already-cancelled'
              ? { allowed: false as const, reason: 'already_cancelled' as const, message: ALREADY_CANCELLED }
              : {
                  allowed: false as const,
                  reason: outcome.reason,
                  message: cancelRejection(outcome.reason).message,
                },
      };
    }),

  /** The Cancel button of the dialog. A repeat with the same write id gets the first answer. */
  cancel: publicProcedure
    .input(
      z.object({
        id: BookingId,
        token: LinkToken.optional(),
        writeId: WriteId,
        comment: CancelComment,
        /** The fee total the dialog showed, or null for none: the customer agrees to exactly that. */
        expectedFeeTotalMinor: z.number().int().min(0).nullable(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const canceller = await customerFor(ctx, input.id, input.token);
      const result = await cancelBooking(ctx.pool, canceller, {
        bookingId: input.id,
        writeId: input.writeId,
        channel: canceller.via === 'session' ? 'portal' : 'email_link',
        write: { comment: input.comment, clientAt: null, agreedFeeTotalMinor: input.expectedFeeTotalMinor },
      });
      // Who else cancelled stays the office's business.
      return result.outcome === 'cancelled'
        ? { outcome: result.outcome, txid: result.txid }
        : {
            outcome: result.outcome,
            txid: result.txid,
            cancelledByYou: result.cancelledBy?.role === 'customer',
          };
    }),

  /** The services a customer can ask for. */
  services: publicProcedure.query(({ ctx }) => activeServices(ctx.pool)),

  /** "Schedule an appointment": a request the office sees as a booking with status Requested. */
  requestAppointment: publicProcedure.input(AppointmentRequest).mutation(async ({ ctx, input }) => {
    const canceller = await customerFor(ctx, input.fromBookingId, input.token);
    const customerId = canceller.customerId;
    const { token: _token, writeId, ...request } = input;
    const payload = { procedure: 'portal.requestAppointment', by: writerOf(canceller), input: request };
    return performWrite(ctx.pool, { writeId, payload }, async (db) => {
      // Charged only for a new request: a repeat of one already made gets its first answer. Thrown,
      // not a rejection, so the claim rolls back and the same request may be sent again later.
      const limit = await ctx.rateLimits.appointmentRequest(customerId);
      if (!limit.ok) {
        throw new TRPCError({
          code: 'TOO_MANY_REQUESTS',
          message: 'That is a lot of requests. Please call us instead.',
        });
      }
      const terms = await appointmentTerms(db, { ...request, customerId });
      if (!terms) return rejectWrite('BAD_REQUEST', 'Choose one of the services offered.');
      const [year, month, day] = request.date.split('-').map(Number) as [number, number, number];
      const [hour, minute] = request.time.split(':').map(Number) as [number, number];
      const startsAt = new Date(new TZDate(year, month - 1, day, hour, minute, 0, terms.time_zone).getTime());
      if (startsAt.getTime() <= Date.now())
        return rejectWrite('BAD_REQUEST', 'Choose a date and time in the future.');
      await setActor(db, {
        role: 'customer',
        customerId,
        channel: canceller.via === 'session' ? 'portal' : 'email_link',
        writeId,
      });
      const id = await insertRequestedBooking(db, {
        customerId,
        serviceId: request.serviceId,
        startsAt,
        endsAt: new Date(startsAt.getTime() + terms.duration_minutes * 60_000),
        address: terms.address ?? 'To be confirmed with the office',
        note: request.note,
        priceMinor: terms.price_minor,
        currency: terms.currency,
        writeId,
      });
      return acceptWrite({ requested: true as const, id, startsAt: startsAt.toISOString() });
    });
  }),
});
