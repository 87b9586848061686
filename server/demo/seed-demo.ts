// Demo data for a first start: one business, its staff, customers, services, fees,
// templates and a month of bookings around today. Never runs over existing data.
import { TZDate } from '@date-fns/tz';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import { type Pool, withTransaction } from '../db/pool.ts';
import { installDefaultTemplates } from '../first-run.ts';

export const DEMO_TIME_ZONE = 'America/Chicago';
export const DEMO_PASSWORD = 'demo-password';
export const DEMO_SIGN_INS = {
  admin: 'admin@example.com',
  fieldworkers: ['sam@example.com', 'alex@example.com'],
  customer: 'jordan@example.com',
} as const;

const customers = [
  ['Jordan Rivera', DEMO_SIGN_INS.customer, '+1 312 555 0101', '1200 W Lake St, Chicago, IL'],
  ['Priya Shah', 'priya@example.com', '+1 312 555 0102', '45 E Oak St, Chicago, IL'],
  ['Marcus Lee', 'marcus@example.com', '+1 312 555 0103', '880 N Clark St, Chicago, IL'],
  ['Ana Souza', 'ana@example.com', '+1 312 555 0104', '2100 S Halsted St, Chicago, IL'],
  ['Tom Becker', 'tom@example.com', '+1 312 555 0105', '16 W Division St, Chicago, IL'],
  ['Grace Kim', 'grace@example.com', '+1 312 555 0106', '501 N State St, Chicago, IL'],
] as const;

const services = [
  ['Standard cleaning', 'Kitchen, bathrooms, floors and dusting.', 120, 12000],
  ['Deep cleaning', 'Everything in a standard clean, inside appliances and cupboards too.', 240, 26000],
  ['Appliance repair', 'Diagnosis and repair of one household appliance.', 90, 9500],
  ['AC maintenance', 'Filter change, coil clean and a performance check.', 60, 8500],
] as const;

export type SeedResult = { seeded: true } | { seeded: false; reason: string };

export interface SeedOptions {
  /**
   * Let the booking trigger queue the confirmation emails of the demo customer's upcoming
   * bookings, so the dev mailbox holds them (with their Cancel booking links) as soon as the
   * worker runs. Off for mail to a real SMTP server: the demo addresses are not real.
   */
  readonly confirmDemoCustomer?: boolean;
}

export async function seedDemoData(
  pool: Pool,
  now = new Date(),
  { confirmDemoCustomer = false }: SeedOptions = {},
): Promise<SeedResult> {
  return withTransaction(pool, async (db) => {
    // Serialise concurrent first starts against the same database.
    await db.query('SELECT pg_advisory_xact_lock(727001)');
    // Demo bookings were "made before": the booking trigger sends no confirmations for them
    // (migrations/0002_booking_triggers.sql reads app.seeding), unless switched off below.
    const seeding = (on: boolean) => db.query(`SELECT set_config('app.seeding', $1, true)`, [on ? 'on' : '']);
    await seeding(true);
    const { rows } = await db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM business_settings) + (SELECT count(*) FROM users)
            + (SELECT count(*) FROM customers) + (SELECT count(*) FROM bookings) AS n`,
    );
    if ((rows[0]?.n ?? 0) > 0) return { seeded: false, reason: 'the database already has data' };

    const insertOne = async (sql: string, params: unknown[]) =>
      (await db.query<{ id: string }>(sql, params)).rows[0]?.id as string;

    const fee = (name: string, kind: 'flat' | 'percent', value: number, taxBp: number) =>
      insertOne(
        `INSERT INTO fees (name, kind, amount_minor, percent_bp, tax_rate_bp) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [name, kind, kind === 'flat' ? value : null, kind === 'percent' ? value : null, taxBp],
      );
    const lateFee = await fee('Late cancellation', 'flat', 2500, 800);
    await fee('Same-day cancellation', 'percent', 5000, 800);
    await fee('Admin fee', 'flat', 1500, 0);

    await db.query(
      `INSERT INTO business_settings (name, contact_email, contact_phone, address, time_zone, currency,
         customer_cancel_enabled, customer_cancel_cutoff_hours, cancel_comment_required,
         customer_cancel_fee_id, customer_fee_window_hours, fieldworker_cancel_enabled, reminder_hours)
       VALUES ('Sparkle & Fix Home Services', 'office@example.com', '+1 312 555 0100',
         '1200 W Lake St, Chicago, IL 60607', $1, 'USD',
         true, 2, true, $2, 24, true, 24)`,
      [DEMO_TIME_ZONE, lateFee],
    );

    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const user = (email: string, name: string, role: string) =>
      insertOne(`INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, $3, $4) RETURNING id`, [
        email,
        name,
        role,
        passwordHash,
      ]);
    await user(DEMO_SIGN_INS.admin, 'Olivia Office', 'admin');
    const fieldworkerIds = [
      await user(DEMO_SIGN_INS.fieldworkers[0], 'Sam Taylor', 'fieldworker'),
      await user(DEMO_SIGN_INS.fieldworkers[1], 'Alex Morgan', 'fieldworker'),
    ];

    const customerRows: { id: string; address: string }[] = [];
    for (const [name, email, phone, address] of customers) {
      const id = await insertOne(
        `INSERT INTO customers (name, email, phone, address) VALUES ($1, $2, $3, $4) RETURNING id`,
        [name, email, phone, address],
      );
      customerRows.push({ id, address });
    }
    const serviceRows: { id: string; minutes: number; price: number }[] = [];
    for (const [name, description, minutes, price] of services) {
      const id = await insertOne(
        `INSERT INTO services (name, description, duration_minutes, price_minor) VALUES ($1, $2, $3, $4) RETURNING id`,
        [name, description, minutes, price],
      );
      serviceRows.push({ id, minutes, price });
    }

    await installDefaultTemplates(db);

    for (const b of demoBookings(now)) {
      const customer = customerRows[b.customer % customerRows.length];
      const service = serviceRows[b.service % serviceRows.length];
      if (!customer || !service) continue;
      const startsAt = new Date(b.startsAt);
      const endsAt = new Date(startsAt.getTime() + service.minutes * 60_000);
      const cancelled = b.status === 'cancelled';
      const confirm = confirmDemoCustomer && b.customer === 0 && startsAt > now;
      if (confirm) await seeding(false);
      await db.query(
        `INSERT INTO bookings (customer_id, service_id, fieldworker_id, status, starts_at, ends_at, address,
           price_minor, currency, cancelled_at, cancelled_by_role, cancel_channel, cancel_comment)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'USD', $9, $10, $11, $12)`,
        [
          customer.id,
          service.id,
          b.fieldworker === null ? null : fieldworkerIds[b.fieldworker],
          b.status,
          startsAt,
          endsAt,
          customer.address,
          service.price,
          cancelled ? new Date(now.getTime() - 86_400_000) : null,
          cancelled ? 'admin' : null,
          cancelled ? 'admin_app' : null,
          cancelled ? 'Customer phoned the office to cancel.' : null,
        ],
      );
      if (confirm) await seeding(true);
    }
    return { seeded: true };
  });
}

/**
 * Whether the demo sign-ins work in this database: the demo admin is there with the demo
 * password. The start banner lists them only then (a database seeded earlier keeps them).
 */
export async function hasDemoData(pool: Pool): Promise<boolean> {
  const { rows } = await pool.query<{ password_hash: string }>(
    'SELECT password_hash FROM users WHERE lower(email) = lower($1) AND active',
    [DEMO_SIGN_INS.admin],
  );
  const hash = rows[0]?.password_hash;
  return hash !== undefined && (await verifyPassword(DEMO_PASSWORD, hash));
}

interface DemoBooking {
  startsAt: number;
  status: 'requested' | 'scheduled' | 'confirmed' | 'in_progress' | 'completed' | 'cancelled';
  customer: number;
  service: number;
  fieldworker: 0 | 1 | null;
}

/**
 * 30 bookings from three days ago to thirteen days ahead, at business hours in the demo
 * time zone: past ones completed (one cancelled), one in progress today, two unassigned
 * requests, the rest scheduled or confirmed, spread over both fieldworkers. The demo
 * customer (index 0) gets several upcoming bookings to cancel.
 */
export function demoBookings(now: Date): DemoBooking[] {
  const today = new TZDate(now.getTime(), DEMO_TIME_ZONE);
  const at = (dayOffset: number, hour: number) =>
    new TZDate(
      today.getFullYear(),
      today.getMonth(),
      today.getDate() + dayOffset,
      hour,
      0,
      0,
      DEMO_TIME_ZONE,
    ).getTime();
  const out: DemoBooking[] = [];
  for (let i = 0; i < 30; i++) {
    const dayOffset = i < 4 ? i - 4 : Math.floor((i - 4) / 2) + 1; // 4 past days, then 2 a day
    const hour = [8, 10, 13, 15][i % 4] as number;
    let status: DemoBooking['status'] = i % 3 === 0 ? 'confirmed' : 'scheduled';
    if (i < 4) status = i === 2 ? 'cancelled' : 'completed';
    if (i === 4) status = 'in_progress';
    if (i === 11 || i === 23) status = 'requested';
    if (i === 17 || i === 26) status = 'cancelled';
    out.push({
      startsAt: i === 4 ? now.getTime() - 30 * 60_000 : at(dayOffset, hour),
      status,
      customer: i % 3 === 0 ? 0 : i % 6,
      service: i % 4,
      fieldworker: status === 'requested' ? null : ((i % 2) as 0 | 1),
    });
  }
  return out;
}
