// @electric-sql/pglite-sync (syncShapeToTable, its own client 1.0) filling an in-memory PGlite
// from the embedded service: the replica equals the server after the snapshot and after live
// changes, and a mutation's txid shows up on the change that carries it.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from '../../../server/db/pool.ts';
import { seedDemoData } from '../../../server/demo/seed-demo.ts';
import { callerFor, freshDatabase, sessionOf } from '../helpers.ts';
import { copyTableDefinition, createReplica, type Replica, sameRows } from './pglite.ts';
import { type RunningShapes, SECRET, startShapes, until } from './support.ts';

let s: RunningShapes;
let app: Pool;
let replica: Replica;
const txids = new Set<number>();
let sub: Awaited<ReturnType<Replica['electric']['syncShapeToTable']>>;

beforeAll(async () => {
  const databaseUrl = await freshDatabase();
  app = createPool(databaseUrl);
  await seedDemoData(app);
  s = await startShapes({ databaseUrl });
  replica = await createReplica();
  await copyTableDefinition(s.db, replica, 'bookings');
  sub = await replica.electric.syncShapeToTable({
    shape: { url: `${s.url}/v1/shape`, params: { table: 'bookings', secret: SECRET } },
    table: 'bookings',
    primaryKey: ['id'],
    shapeKey: null,
  });
  sub.stream.subscribe((messages) => {
    for (const m of messages as { headers: { txids?: number[] } }[])
      for (const t of m.headers.txids ?? []) txids.add(t);
  });
});
afterAll(async () => {
  sub?.unsubscribe();
  await replica?.close();
  await s?.stop();
  await app?.end();
});

describe('pglite-sync into PGlite', () => {
  it('copies the snapshot exactly', async () => {
    await until(() => sub.isUpToDate);
    const { rows } = await replica.query<{ n: number }>('SELECT count(*)::int AS n FROM bookings');
    expect(rows[0]?.n).toBeGreaterThan(0);
    expect(await sameRows(s.db, replica, 'bookings')).toBe(true);
  });

  it('applies a mutation made through the API, recognisable by the txid the API returned', async () => {
    const { rows } = await app.query<{ id: string }>(
      `SELECT id FROM bookings WHERE status IN ('scheduled', 'confirmed') ORDER BY starts_at LIMIT 1`,
    );
    const id = rows[0]?.id as string;
    const admin = callerFor(app, await sessionOf(app, 'admin@example.com'));
    const result = await admin.bookings.cancel({ id, writeId: randomUUID(), comment: 'Customer moved away' });
    expect(result.txid).toMatch(/^\d+$/);
    await until(() => txids.has(Number(result.txid)));
    await until(
      async () =>
        (await replica.query<{ status: string }>('SELECT status FROM bookings WHERE id = $1', [id])).rows[0]
          ?.status === 'cancelled',
    );
    await until(() => sameRows(s.db, replica, 'bookings'));
  });

  it('follows inserts, updates and deletes in many transactions', async () => {
    const { rows } = await app.query<{ id: string }>('SELECT id FROM bookings ORDER BY id');
    await app.query(`UPDATE bookings SET notes = 'gate code 1234' WHERE id = $1`, [rows[0]?.id]);
    await app.query(
      `INSERT INTO bookings (customer_id, service_id, fieldworker_id, starts_at, ends_at, address, price_minor, currency)
       SELECT customer_id, service_id, fieldworker_id, starts_at + interval '1 day', ends_at + interval '1 day', address, price_minor, currency
         FROM bookings LIMIT 3`,
    );
    await app.query(`UPDATE bookings SET notes = notes || ' (edited)' WHERE id = $1`, [rows[1]?.id]);
    await until(() => sameRows(s.db, replica, 'bookings'));
  });
});
