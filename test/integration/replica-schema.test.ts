// The replica's schema (client/lib/replica/schema.ts) in a real PGlite, started as the worker
// starts it: a waiting write's overlay row goes when the synced row carrying its write id
// arrives (inserted, as in a first sync, or updated), and stays until then.
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPLICA_POSTGRES_SETTINGS } from '../../client/lib/replica/postgres-params.ts';
import { applySchema } from '../../client/lib/replica/schema.ts';

const booking = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const write = (n: number) => `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`;

describe('the replica schema', () => {
  let pg: PGlite;
  beforeAll(async () => {
    pg = await PGlite.create({ startParams: [...PGlite.defaultStartParams, ...REPLICA_POSTGRES_SETTINGS] });
    await applySchema(pg, 'admin');
  });
  afterAll(() => pg.close());

  const waiting = async () =>
    (await pg.query<{ id: string }>('SELECT id FROM bookings_local ORDER BY id')).rows.map((r) => r.id);

  it('starts Postgres with the small shared memory the worker asks for', async () => {
    const { rows } = await pg.query<{ buffers: string }>(
      "SELECT current_setting('shared_buffers') AS buffers",
    );
    expect(rows[0]?.buffers).toBe('16MB');
  });

  it('settles overlay rows by the write id of synced rows, inserted many at once or updated', async () => {
    for (const n of [1, 2, 3]) {
      await pg.query(
        "INSERT INTO bookings_local (id, status, pending_write_id) VALUES ($1, 'cancelled', $2)",
        [booking(n), write(n)],
      );
    }
    // One statement, as a first sync inserts: booking 1 carries its write, 2 and 3 do not yet.
    await pg.query(
      `INSERT INTO bookings_synced (id, status, last_write_id) VALUES
         ($1, 'cancelled', $2), ($3, 'scheduled', NULL), ($4, 'scheduled', $5)`,
      [booking(1), write(1), booking(2), booking(3), write(99)],
    );
    expect(await waiting()).toEqual([booking(2), booking(3)]);
    await pg.query("UPDATE bookings_synced SET status = 'cancelled', last_write_id = $2 WHERE id = $1", [
      booking(2),
      write(2),
    ]);
    expect(await waiting()).toEqual([booking(3)]);
    // The merged view shows the waiting write over the synced row until it settles.
    const { rows } = await pg.query<{ status: string; pending_write_id: string | null }>(
      'SELECT status, pending_write_id FROM bookings WHERE id = $1',
      [booking(3)],
    );
    expect(rows).toEqual([{ status: 'cancelled', pending_write_id: write(3) }]);
  });
});
