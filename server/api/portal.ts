// The customer portal's API. A customer is known either by their session (signed in with an
// emailed link) or by a booking link token from an email, which opens that one booking and
// nothing else. Reading never changes anything (mail scanners open links); cancelling and
// requesting an appointment are mutations a person triggers.
import { TZDate } from '@date-fns/tz';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { BookingStatus } from '../../shared/booking-status.ts';
import { CANCEL_DENIED_MESSAGES, decideCancel } from '../../shared/cancel-permission.ts';
import { AppointmentRequest, BookingId, CancelComment, LinkToken } from '../../shared/schemas.ts';
import { peekLinkToken } from '../auth/link-tokens.ts';
import { setActor } from '../db/actor.ts';
import { withTransaction } from '../db/pool.ts';
import { claimWrite, hashPayload, recordResponse, WRITE_ID_REUSED } from '../db/write-claims.ts';
import {
  cancelBooking,
  cancelPolicy,
  customerFee,
  forDecision,
  loadCancelContext,
  NO_SUCH_BOOKING,
} from './cancel-booking.ts';
import type { Context } from './context.ts';
import { customerProcedure, publicProcedure, router } from './trpc.ts';

export const LINK_NO_LONGER_WORKS =
  'This link no longer works. It may have expired. We can email you a fresh sign-in link.';

interface AppointmentRequested {
  requested: true;
  id: string;
  startsAt: Date;
  txid: string;
}

interface CustomerAccess {
  customerId: string;
  via: 'session' | 'link';
}

/**
 * Who is asking about `bookingId`: the holder of a link token for exactly that booking, or the
 * signed-in customer. A token for another booking, expired, revoked or forged, is refused.
 */
async function customerFor(
  ctx: Context,
  bookingId: string,
  token: string | undefined,
): Promise<CustomerAccess> {
  if (token) {
    const limit = await ctx.rateLimits.linkToken(ctx.ip);
    if (!limit.ok)
      throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: 'Too many attempts. Please wait a minute.' });
    const found = await peekLinkToken(ctx.pool, token, ['view_booking', 'cancel_booking']);
    if (found.status === 'valid' && found.bookingId === bookingId)
      return { customerId: found.customerId, via: 'link' };
    // An old link is no loss to a customer who is signed in: their session still opens their bookings.
    if (ctx.session?.role !== 'customer')
      throw new TRPCError({ code: 'FORBIDDEN', message: LINK_NO_LONGER_WORKS });
  }
  if (ctx.session?.role === 'customer') return { customerId: ctx.session.customerId, via: 'session' };
  throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Please sign in first.' });
}

const notFound = () => new TRPCError({ code: 'NOT_FOUND', message: NO_SUCH_BOOKING });

interface PortalBookingRow {
  id: string;
  status: BookingStatus;
  starts_at: Date;
  ends_at: Date;
  address: string;
  price_minor: number;
  currency: string;
  service_id: string;
  service_name: string;
  fieldworker_name: string | null;
  customer_id: string;
  cancelled_at: Date | null;
  cancelled_by_customer_id: string | null;
  cancel_comment: string | null;
  cancel_fee_minor: number | null;
  cancel_fee_tax_minor: number | null;
}

// Explicit columns: a customer sees their booking, the fieldworker's first name, the
// comment sent with a cancellation, and not who on the staff cancelled it.
const PORTAL_COLUMNS = `b.id, b.status, b.starts_at, b.ends_at, b.address, b.price_minor, b.currency,
  b.service_id, s.name AS service_name, u.name AS fieldworker_name, b.customer_id, b.cancelled_at,
  b.cancelled_by_customer_id, b.cancel_comment, b.cancel_fee_minor, b.cancel_fee_tax_minor`;
const PORTAL_FROM = `FROM bookings b JOIN services s ON s.id = b.service_id LEFT JOIN users u ON u.id = b.fieldworker_id`;

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
    const { rows } = await ctx.pool.query<PortalBookingRow>(
      `SELECT ${PORTAL_COLUMNS} ${PORTAL_FROM} WHERE b.customer_id = $1 ORDER BY b.starts_at`,
      [ctx.session.customerId],
    );
    return rows.map(present);
  }),

  /** One booking, with whether it can be cancelled now, why not, and what it would cost. */
  booking: publicProcedure
    .input(z.object({ id: BookingId, token: LinkToken.optional() }))
    .query(async ({ ctx, input }) => {
      const access = await customerFor(ctx, input.id, input.token);
      const { rows } = await ctx.pool.query<PortalBookingRow>(
        `SELECT ${PORTAL_COLUMNS} ${PORTAL_FROM} WHERE b.id = $1 AND b.customer_id = $2`,
        [input.id, access.customerId],
      );
      const row = rows[0];
      const context = row && (await loadCancelContext(ctx.pool, input.id, { lock: false }));
      if (!row || !context) throw notFound();
      const now = new Date();
      const decision = decideCancel(
        { role: 'customer', customerId: access.customerId },
        forDecision(context),
        cancelPolicy(context),
        now,
      );
      const fee = decision.allowed ? customerFee(context, now) : null;
      return {
        ...present(row),
        access: access.via,
        cancel: decision.allowed
          ? {
              allowed: true as const,
              commentRequired: context.cancel_comment_required,
              fee: fee && { name: fee.name, ...fee.quote },
            }
          : {
              allowed: false as const,
              reason: decision.reason,
              message: CANCEL_DENIED_MESSAGES[decision.reason],
            },
      };
    }),

  /** The Cancel button of the dialog. A repeat with the same write id gets the first answer. */
  cancel: publicProcedure
    .input(
      z.object({
        id: BookingId,
        token: LinkToken.optional(),
        writeId: z.string().uuid('Every change needs a write id (a UUID).'),
        comment: CancelComment,
        /** The fee total the dialog showed, or null for none: the customer agrees to exactly that. */
        expectedFeeTotalMinor: z.number().int().min(0).nullable(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const access = await customerFor(ctx, input.id, input.token);
      const result = await cancelBooking(
        ctx.pool,
        { role: 'customer', customerId: access.customerId },
        {
          bookingId: input.id,
          writeId: input.writeId,
          comment: input.comment,
          channel: access.via === 'link' ? 'email_link' : 'portal',
          expectedFeeTotalMinor: input.expectedFeeTotalMinor,
        },
      );
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
  services: publicProcedure.query(async ({ ctx }) => {
    const { rows } = await ctx.pool.query<{
      id: string;
      name: string;
      durationMinutes: number;
      priceMinor: number;
    }>(
      `SELECT id, name, duration_minutes AS "durationMinutes", price_minor AS "priceMinor"
         FROM services WHERE active ORDER BY name`,
    );
    return rows;
  }),

  /** "Schedule an appointment": a request the office sees as a booking with status Requested. */
  requestAppointment: publicProcedure.input(AppointmentRequest).mutation(async ({ ctx, input }) => {
    const access = await customerFor(ctx, input.fromBookingId, input.token);
    const limit = await ctx.rateLimits.appointmentRequest(access.customerId);
    if (!limit.ok) {
      throw new TRPCError({
        code: 'TOO_MANY_REQUESTS',
        message: 'That is a lot of requests. Please call us instead.',
      });
    }
    const { token: _token, ...payload } = input;
    const payloadHash = hashPayload([access.customerId, payload]);
    return withTransaction(ctx.pool, async (db) => {
      const prior = await claimWrite<AppointmentRequested>(db, input.writeId, payloadHash);
      if (prior) {
        if (prior.payloadHash !== payloadHash)
          throw new TRPCError({ code: 'CONFLICT', message: WRITE_ID_REUSED });
        return { ...prior.response, startsAt: new Date(prior.response.startsAt) };
      }
      const { rows } = await db.query<{
        time_zone: string;
        currency: string;
        duration_minutes: number;
        price_minor: number;
        address: string | null;
      }>(
        `SELECT bs.time_zone, bs.currency, s.duration_minutes, s.price_minor,
                coalesce((SELECT address FROM bookings WHERE id = $3 AND customer_id = $2), c.address) AS address
           FROM business_settings bs, services s, customers c
          WHERE s.id = $1 AND s.active AND c.id = $2`,
        [input.serviceId, access.customerId, input.fromBookingId],
      );
      const found = rows[0];
      if (!found)
        throw new TRPCError({ code: 'BAD_REQUEST', message: 'Choose one of the services offered.' });
      const [year, month, day] = input.date.split('-').map(Number) as [number, number, number];
      const [hour, minute] = input.time.split(':').map(Number) as [number, number];
      const startsAt = new Date(new TZDate(year, month - 1, day, hour, minute, 0, found.time_zone).getTime());
      if (startsAt.getTime() <= Date.now()) {
        throw new TRPCError({ code: 'BAD_REQUEST', message: 'Choose a date and time in the future.' });
      }
      await setActor(db, {
        role: 'customer',
        customerId: access.customerId,
        channel: access.via === 'link' ? 'email_link' : 'portal',
      });
      const inserted = await db.query<{ id: string; txid: string }>(
        `INSERT INTO bookings (customer_id, service_id, status, starts_at, ends_at, address, notes, price_minor, currency)
         VALUES ($1, $2, 'requested', $3, $4, $5, $6, $7, $8)
         RETURNING id, pg_current_xact_id()::xid::text AS txid`,
        [
          access.customerId,
          input.serviceId,
          startsAt,
          new Date(startsAt.getTime() + found.duration_minutes * 60_000),
          found.address ?? 'To be confirmed with the office',
          input.note,
          found.price_minor,
          found.currency,
        ],
      );
      const response: AppointmentRequested = {
        requested: true,
        id: inserted.rows[0]?.id as string,
        startsAt,
        txid: inserted.rows[0]?.txid as string,
      };
      await recordResponse(db, input.writeId, response);
      return response;
    });
  }),
});
