// Fixtures for the tests of writes to bookings (reconcile.test.ts, booking-edits.test.ts): the
// demo staff as callers, a booking made for one test, and what the triggers left behind —
// audit events, queued jobs, notifications — read straight from Postgres.
import type { Pool } from '../../server/db/pool.ts';
import { DEMO_SIGN_INS } from '../../server/demo/seed-demo.ts';
import type { BookingStatus } from '../../shared/booking-status.ts';
import { callerFor, sessionOf } from './helpers.ts';

const HOUR = 3_600_000;

export function bookingFixtures(pool: Pool) {
  const one = async <T>(sql: string, params: unknown[] = []): Promise<T> =>
    (await pool.query(sql, params)).rows[0] as T;
  const idOf = async (table: 'users' | 'customers', email: string) =>
    (await one<{ id: string }>(`SELECT id FROM ${table} WHERE email = $1`, [email])).id;

  return {
    admin: async () => callerFor(pool, await sessionOf(pool, DEMO_SIGN_INS.admin)),
    sam: async () => callerFor(pool, await sessionOf(pool, 'sam@example.com')),
    customer: async (email = 'grace@example.com') => callerFor(pool, await sessionOf(pool, email)),
    userId: (email: string) => idOf('users', email),
    customerId: (email: string) => idOf('customers', email),
    serviceId: async (name = 'Standard cleaning') =>
      (await one<{ id: string }>('SELECT id FROM services WHERE name = $1', [name])).id,

    /**
     * A booking of Grace's, made with plain SQL as if long before (so its own 'created' event and
     * confirmation are there already and count as the baseline), `startsInHours` from now.
     */
    async newBooking(
      options: { status?: BookingStatus; fieldworker?: string | null; startsInHours?: number } = {},
    ): Promise<{ id: string; startsAt: Date; endsAt: Date; fieldworkerId: string | null }> {
      const fieldworker = options.fieldworker === undefined ? 'sam@example.com' : options.fieldworker;
      const row = await one<{ id: string; starts_at: Date; ends_at: Date; fieldworker_id: string | null }>(
        `INSERT INTO bookings (customer_id, service_id, fieldworker_id, status, starts_at, ends_at, address, price_minor, currency)
         SELECT c.id, s.id, (SELECT id FROM users WHERE email = $2), $1,
                date_trunc('minute', now()) + make_interval(hours => $3),
                date_trunc('minute', now()) + make_interval(hours => $3 + 2), c.address, 12000, 'USD'
           FROM customers c, services s
          WHERE c.email = 'grace@example.com' AND s.name = 'Standard cleaning'
         RETURNING id, starts_at, ends_at, fieldworker_id`,
        [options.status ?? 'scheduled', fieldworker, options.startsInHours ?? 72],
      );
      return { id: row.id, startsAt: row.starts_at, endsAt: row.ends_at, fieldworkerId: row.fieldworker_id };
    },

    row: (id: string) =>
      one<Record<string, unknown> | undefined>('SELECT * FROM bookings WHERE id = $1', [id]),

    /** The audit events of a booking, oldest first. */
    events: async (id: string) =>
      (
        await pool.query<{
          kind: string;
          from_status: string | null;
          to_status: string | null;
          actor_role: string;
          channel: string;
          client_at: Date | null;
          server_at: Date;
          write_id: string | null;
          fee_minor: number | null;
          fee_tax_minor: number | null;
          details: Record<string, unknown>;
        }>(
          `SELECT kind, from_status, to_status, actor_role, channel, client_at, server_at, write_id, fee_minor,
                  fee_tax_minor, details
             FROM booking_events WHERE booking_id = $1 ORDER BY id`,
          [id],
        )
      ).rows,

    /**
     * The jobs of one task queued for a booking. `revision` counts how often a job with that
     * key was queued again while it waited (graphile-worker folds those into one job), so
     * count 1 with revision 0 means queued exactly once.
     */
    jobs: async (id: string, task: string) =>
      (
        await pool.query<{ revision: number; run_at: Date }>(
          `SELECT j.revision, j.run_at FROM graphile_worker._private_jobs j
             JOIN graphile_worker._private_tasks t ON t.id = j.task_id
            WHERE t.identifier = $1 AND j.payload->>'bookingId' = $2 ORDER BY j.id`,
          [task, id],
        )
      ).rows,

    /** The notifications about a booking, as (who, kind), oldest first. */
    notifications: async (id: string) =>
      (
        await pool.query<{ email: string; kind: string }>(
          `SELECT u.email, n.kind FROM notifications n JOIN users u ON u.id = n.user_id
            WHERE n.booking_id = $1 ORDER BY n.created_at, n.kind, u.email`,
          [id],
        )
      ).rows,
  };
}

/** When the person pressed the button on a device that was offline: an hour ago. */
export const anHourAgo = () => new Date(Date.now() - HOUR);
