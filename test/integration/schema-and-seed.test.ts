// Migrations run once each, and the demo data lands only in an empty database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../server/db/migrate.ts';
import { createPool, type Pool } from '../../server/db/pool.ts';
import { seedDemoData } from '../../server/demo/seed-demo.ts';
import { freshDatabase, silentLog } from './helpers.ts';

let url: string;
let pool: Pool;
beforeAll(async () => {
  url = await freshDatabase();
  pool = createPool(url);
});
afterAll(() => pool.end());

const count = async (table: string) =>
  (await pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;

describe('migrations', () => {
  it('are recorded, and running them again applies nothing twice', async () => {
    const before = (await pool.query('SELECT name FROM pgmigrations ORDER BY id')).rows;
    expect(before.map((r) => r.name)).toContain('0001_schema');
    await migrate(url, silentLog);
    expect((await pool.query('SELECT name FROM pgmigrations ORDER BY id')).rows).toEqual(before);
  });
});

describe('demo data', () => {
  it('seeds one business with staff, customers, services, fees, templates and 20–40 bookings', async () => {
    const now = new Date('2026-11-25T12:00:00Z');
    expect(await seedDemoData(pool, now)).toEqual({ seeded: true });
    expect(await count('business_settings')).toBe(1);
    const roles = (await pool.query('SELECT role, count(*)::int AS n FROM users GROUP BY role ORDER BY role'))
      .rows;
    expect(roles).toEqual([
      { role: 'admin', n: 1 },
      { role: 'fieldworker', n: 2 },
    ]);
    expect(await count('customers')).toBeGreaterThanOrEqual(5);
    expect(await count('services')).toBeGreaterThanOrEqual(2);
    expect(await count('fees')).toBeGreaterThanOrEqual(2);
    expect(
      (await pool.query('SELECT kind FROM email_templates ORDER BY kind')).rows.map((r) => r.kind),
    ).toEqual(['cancellation', 'confirmation', 'reminder', 'sign_in']);
    const bookings = await count('bookings');
    expect(bookings).toBeGreaterThanOrEqual(20);
    expect(bookings).toBeLessThanOrEqual(40);
    const statuses = (await pool.query('SELECT DISTINCT status FROM bookings')).rows.map((r) => r.status);
    expect(statuses.length).toBeGreaterThanOrEqual(4);
    const perFieldworker = (
      await pool.query(
        `SELECT count(DISTINCT fieldworker_id)::int AS n FROM bookings WHERE fieldworker_id IS NOT NULL`,
      )
    ).rows[0].n;
    expect(perFieldworker).toBe(2);
    const upcoming = (
      await pool.query(`SELECT count(*)::int AS n FROM bookings WHERE starts_at BETWEEN $1 AND $2`, [
        now,
        new Date(now.getTime() + 14 * 86_400_000),
      ])
    ).rows[0].n;
    expect(upcoming).toBeGreaterThanOrEqual(20);
  });

  it('never seeds over existing data', async () => {
    const before = await count('bookings');
    expect(await seedDemoData(pool)).toEqual({ seeded: false, reason: 'the database already has data' });
    expect(await count('bookings')).toBe(before);

    const other = createPool(await freshDatabase());
    try {
      await other.query(`INSERT INTO customers (name, email) VALUES ('Real Customer', 'real@example.org')`);
      expect((await seedDemoData(other)).seeded).toBe(false);
      expect((await other.query('SELECT count(*)::int AS n FROM business_settings')).rows[0].n).toBe(0);
    } finally {
      await other.end();
    }
  });
});
