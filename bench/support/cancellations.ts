// What the email and push benchmarks share: bookings made to be cancelled, and when each
// booking's cancellation email reached the SMTP capture.
import type { Pool } from '../../server/db/pool.ts';
import type { SmtpCapture } from '../../test/support/smtp-capture.ts';

/**
 * `n` upcoming bookings (10 days out, a minute apart) of the first customer, assigned to
 * `fieldworker` (an email) when given, inserted without confirmation emails (as the demo seed does).
 */
export async function makeBookings(pool: Pool, n: number, fieldworker?: string): Promise<string[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.seeding', 'on', true)`);
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO bookings (customer_id, service_id, fieldworker_id, status, starts_at, ends_at, address, price_minor, currency)
       SELECT c.id, s.id, (SELECT id FROM users WHERE email = $2), 'scheduled', now() + make_interval(days => 10, mins => g),
              now() + make_interval(days => 10, mins => g + 120), 'Bench St', 100, 'USD'
         FROM generate_series(1, $1) g, (SELECT id FROM customers LIMIT 1) c, (SELECT id FROM services LIMIT 1) s
        ORDER BY g
       RETURNING id`,
      [n, fieldworker ?? null],
    );
    await client.query('COMMIT');
    return rows.map((r) => r.id);
  } finally {
    client.release();
  }
}

/** Booking id → when its cancellation email was accepted (performance.now()), filled as they arrive. */
export function cancellationEmailTimes(smtp: SmtpCapture): Map<string, number> {
  const arrivals = new Map<string, number>();
  smtp.onMessage((mail) => {
    const id = /\/portal\/bookings\/([0-9a-f-]{36})\?/.exec(mail.text)?.[1];
    if (id && mail.subject.startsWith('Cancelled:')) arrivals.set(id, mail.receivedAt);
  });
  return arrivals;
}
