// Staff reading and cancelling bookings, scoped by role in the query itself: an admin sees
// all, a fieldworker only theirs (someone else's answers exactly like one that does not
// exist). What a role reads is what its bookings shape holds (shared/shape-catalog.ts), plus
// display names from shapes the role also holds. Customers read theirs through the portal router.
// Creating and editing bookings is the office's (admins only); acknowledging a cancellation is
// the fieldworker's.
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { NO_SUCH_BOOKING } from '../../shared/outcomes.ts';
import {
  AcknowledgeCancellationInput,
  BookingId,
  BookingListFilter,
  CancelBookingInput,
  EditBookingInput,
  NewBookingInput,
} from '../../shared/schemas.ts';
import { columnsFor, type ShapeRole } from '../../shared/shape-catalog.ts';
import {
  type BookingFilter,
  type BookingScope,
  JOINED_NAME_SOURCES,
  type JoinedName,
  listBookings,
  type StaffBookingRow,
} from '../db/bookings.ts';
import type { Pool } from '../db/pool.ts';
import { cancelBooking } from './cancel-booking.ts';
import { createBooking } from './create-booking.ts';
import { editBooking } from './edit-booking.ts';
import { adminProcedure, fieldworkerProcedure, router, staffProcedure } from './trpc.ts';
import { acceptWrite, performWrite, rejectWrite, writerOf } from './write.ts';

/** The booking columns and joined names a role may read: never more than its shapes hold. */
export function bookingSelectFor(role: ShapeRole) {
  const joined = (Object.keys(JOINED_NAME_SOURCES) as JoinedName[]).filter((name) => {
    const source = JOINED_NAME_SOURCES[name];
    return columnsFor(source.shape, role).includes(source.column);
  });
  return { columns: columnsFor('bookings', role), joined };
}

function readBookings(
  pool: Pool,
  session: { role: ShapeRole; userId: string },
  filter: BookingFilter,
): Promise<StaffBookingRow[]> {
  const scope: BookingScope = session.role === 'admin' ? { all: true } : { fieldworkerId: session.userId };
  return listBookings(pool, scope, filter, bookingSelectFor(session.role));
}

export const bookingsRouter = router({
  list: staffProcedure
    .input(BookingListFilter)
    .query(({ ctx, input }) => readBookings(ctx.pool, ctx.session, input)),

  get: staffProcedure.input(z.object({ id: BookingId })).query(async ({ ctx, input }) => {
    const [booking] = await readBookings(ctx.pool, ctx.session, { id: input.id, limit: 1 });
    if (!booking) throw new TRPCError({ code: 'NOT_FOUND', message: NO_SUCH_BOOKING });
    return booking;
  }),

  /** Cancel a booking; the same write id sent again gets the first answer. */
  cancel: staffProcedure.input(CancelBookingInput).mutation(async ({ ctx, input }) => {
    const session = ctx.session;
    const result = await cancelBooking(
      ctx.pool,
      session.role === 'admin'
        ? { role: 'admin', userId: session.userId }
        : { role: 'fieldworker', userId: session.userId },
      {
        bookingId: input.id,
        writeId: input.writeId,
        channel: session.role === 'admin' ? 'admin_app' : 'field_app',
        write: {
          comment: input.comment,
          clientAt: input.clientAt ?? null,
          sawStartsAt: input.expectedStartsAt,
          sawFieldworkerId: input.expectedFieldworkerId,
          staffFee: input.fee,
        },
      },
    );
    // A fieldworker's shapes hold no office or customer names: they learn who cancelled by role only.
    if (session.role === 'fieldworker' && result.outcome === 'already-cancelled' && result.cancelledBy) {
      return { ...result, cancelledBy: { role: result.cancelledBy.role } };
    }
    return result;
  }),

  /** A new booking with the id made on the device; the same write id sent again gets the first answer. */
  create: adminProcedure
    .input(NewBookingInput)
    .mutation(({ ctx, input }) => createBooking(ctx.pool, ctx.session, input)),

  /** Reschedule, reassign, notes, status (never cancel); reconciled with what changed meanwhile. */
  update: adminProcedure
    .input(EditBookingInput)
    .mutation(({ ctx, input }) => editBooking(ctx.pool, ctx.session, input)),

  /**
   * "Got it": the fieldworker saw the cancellation of their job (offline too, on the phone's
   * clock, never before the cancellation nor in the future). The office's booking page shows
   * it. The cancellation's notification is read with it. Seen already: nothing changes.
   */
  acknowledgeCancellation: fieldworkerProcedure
    .input(AcknowledgeCancellationInput)
    .mutation(({ ctx, input }) => {
      const { writeId, id, seenAt } = input;
      const payload = {
        procedure: 'bookings.acknowledgeCancellation',
        by: writerOf(ctx.session),
        input: { id, seenAt },
      };
      return performWrite(ctx.pool, { writeId, payload }, async (db) => {
        const { rows } = await db.query<{ cancel_seen_at: Date | null; status: string }>(
          'SELECT status, cancel_seen_at FROM bookings WHERE id = $1 AND fieldworker_id = $2 FOR UPDATE',
          [id, ctx.session.userId],
        );
        const booking = rows[0];
        if (!booking) return rejectWrite('NOT_FOUND', NO_SUCH_BOOKING);
        if (booking.status !== 'cancelled') return rejectWrite('CONFLICT', 'This job is not cancelled.');
        if (booking.cancel_seen_at) return acceptWrite({ outcome: 'unchanged' });
        await db.query(
          `UPDATE bookings SET cancel_seen_at = least(greatest($2::timestamptz, cancelled_at), now()) WHERE id = $1`,
          [id, seenAt],
        );
        await db.query(
          `UPDATE notifications SET read_at = least(greatest($3::timestamptz, created_at), now())
          WHERE user_id = $1 AND booking_id = $2 AND kind = 'booking_cancelled' AND read_at IS NULL`,
          [ctx.session.userId, id, seenAt],
        );
        return acceptWrite({ outcome: 'seen' });
      });
    }),
});
