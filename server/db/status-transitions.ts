// Writes shared/booking-status.ts's transition table into booking_status_transitions, where
// the bookings trigger (migrations/0004) reads it to refuse any other status change with
// SQLSTATE BK001. The TypeScript table stays the one place the rule is written.
import { allowedTransitions, BOOKING_STATUSES } from '../../shared/booking-status.ts';
import { type Pool, withTransaction } from './pool.ts';

export async function syncStatusTransitions(pool: Pool): Promise<void> {
  const pairs = BOOKING_STATUSES.flatMap((from) => allowedTransitions(from).map((to) => [from, to] as const));
  await withTransaction(pool, async (db) => {
    // Two servers booting at once take turns; each leaves exactly the table above.
    await db.query('LOCK TABLE booking_status_transitions IN EXCLUSIVE MODE');
    await db.query('DELETE FROM booking_status_transitions');
    await db.query(
      `INSERT INTO booking_status_transitions (from_status, to_status)
       SELECT * FROM unnest($1::text[], $2::text[])`,
      [pairs.map(([from]) => from), pairs.map(([, to]) => to)],
    );
  });
}
