// Staff reading and cancelling bookings, scoped by role in the query itself: an admin sees
// all, a fieldworker only theirs (someone else's answers exactly like one that does not
// exist). Customers read theirs through the portal router.
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { BookingId, BookingListFilter, CancelBookingInput } from '../../shared/schemas.ts';
import type { Session } from '../auth/sessions.ts';
import { cancelBooking, NO_SUCH_BOOKING } from './cancel-booking.ts';
import { router, staffProcedure } from './trpc.ts';

// Explicit columns: nothing leaves that a role should not see.
const COLUMNS = `b.id, b.status, b.starts_at, b.ends_at, b.address, b.price_minor, b.currency,
  b.customer_id, c.name AS customer_name, b.service_id, s.name AS service_name,
  b.fieldworker_id, u.name AS fieldworker_name, b.cancelled_at, b.cancelled_by_role, b.cancel_comment,
  b.cancel_fee_minor, b.cancel_fee_tax_minor`;

const FROM = `FROM bookings b
  JOIN customers c ON c.id = b.customer_id
  JOIN services s ON s.id = b.service_id
  LEFT JOIN users u ON u.id = b.fieldworker_id`;

export interface BookingRow {
  id: string;
  status: string;
  starts_at: Date;
  ends_at: Date;
  address: string;
  price_minor: number;
  currency: string;
  customer_id: string;
  customer_name: string;
  service_id: string;
  service_name: string;
  fieldworker_id: string | null;
  fieldworker_name: string | null;
  cancelled_at: Date | null;
  cancelled_by_role: string | null;
  cancel_comment: string | null;
  cancel_fee_minor: number | null;
  cancel_fee_tax_minor: number | null;
}

/** The WHERE clause that limits a session to the bookings it may read, as SQL + parameter. */
function scopeFor(session: Extract<Session, { role: 'admin' | 'fieldworker' }>): {
  sql: string;
  param: string | null;
} {
  return session.role === 'admin'
    ? { sql: 'true', param: null }
    : { sql: 'b.fieldworker_id = $1', param: session.userId };
}

export const bookingsRouter = router({
  list: staffProcedure.input(BookingListFilter).query(async ({ ctx, input }) => {
    const scope = scopeFor(ctx.session);
    const params: unknown[] = scope.param === null ? [] : [scope.param];
    const where = [scope.sql];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (input.status) add('b.status = ?', input.status);
    if (input.from) add('b.starts_at >= ?', input.from);
    if (input.to) add('b.starts_at < ?', input.to);
    params.push(input.limit);
    const { rows } = await ctx.pool.query<BookingRow>(
      `SELECT ${COLUMNS} ${FROM} WHERE ${where.join(' AND ')} ORDER BY b.starts_at LIMIT $${params.length}`,
      params,
    );
    return rows;
  }),

  get: staffProcedure.input(z.object({ id: BookingId })).query(async ({ ctx, input }) => {
    const scope = scopeFor(ctx.session);
    const params = scope.param === null ? [input.id] : [scope.param, input.id];
    const { rows } = await ctx.pool.query<BookingRow>(
      `SELECT ${COLUMNS} ${FROM} WHERE ${scope.sql} AND b.id = $${params.length}`,
      params,
    );
    const booking = rows[0];
    if (!booking) throw new TRPCError({ code: 'NOT_FOUND', message: NO_SUCH_BOOKING });
    return booking;
  }),

  /** Cancel a booking; the same write id sent again gets the first answer. */
  cancel: staffProcedure.input(CancelBookingInput).mutation(({ ctx, input }) => {
    const session = ctx.session;
    return cancelBooking(ctx.pool, session, {
      bookingId: input.id,
      writeId: input.writeId,
      comment: input.comment,
      channel: session.role === 'admin' ? 'admin_app' : 'field_app',
      clientAt: input.clientAt,
      expectedStartsAt: input.expectedStartsAt,
      expectedFieldworkerId: input.expectedFieldworkerId,
      fee: input.fee,
    });
  }),
});
