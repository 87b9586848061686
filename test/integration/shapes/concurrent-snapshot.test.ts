// The snapshot joined to the stream: 500 updates racing a snapshot (and one transaction open
// across it) leave the replica equal to the server, key by key and value by value.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isVisibleInSnapshot } from '../../../server/shape-service/snapshot.ts';
import { copyTableDefinition, createReplica, type Replica, sameRows } from './pglite.ts';
import { getShape, type RunningShapes, SECRET, startShapes, until } from './support.ts';

let s: RunningShapes;
let replica: Replica;

beforeAll(async () => {
  s = await startShapes();
  await s.db.query('CREATE TABLE counters (id int PRIMARY KEY, v int NOT NULL, note text)');
  await s.db.query(`INSERT INTO counters SELECT g, 0, repeat('n', 50) FROM generate_series(1, 5000) g`);
  replica = await createReplica();
  await copyTableDefinition(s.db, replica, 'counters');
});
afterAll(async () => {
  await replica?.close();
  await s?.stop();
});

it('misses nothing and doubles nothing', async () => {
  // Another shape on the table first: the table joins the publication before the race.
  expect((await getShape(s.url, { table: 'counters', where: 'id < 0', offset: '-1' })).status).toBe(200);

  // A transaction that is open when the snapshot is taken and commits after it.
  const open = await s.db.connect();
  await open.query('BEGIN');
  await open.query('UPDATE counters SET v = v + 1000 WHERE id = 1');
  const { rows } = await open.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid');

  // Half the writes start before the snapshot, half once it has begun; 12 connections run them.
  const write = async (i: number) => {
    const id = 2 + ((i * 7919) % 4_900);
    if (i % 50 === 0) await s.db.query('DELETE FROM counters WHERE id = $1', [id]);
    else if (i % 50 === 1) await s.db.query(`INSERT INTO counters VALUES ($1, $2, 'new')`, [100_000 + i, i]);
    else await s.db.query('UPDATE counters SET v = v + 1, note = $2 WHERE id = $1', [id, `u${i}`]);
  };
  const before = Array.from({ length: 250 }, (_, i) => write(i));

  const sub = await replica.electric.syncShapeToTable({
    shape: { url: `${s.url}/v1/shape`, params: { table: 'counters', secret: SECRET } },
    table: 'counters',
    primaryKey: ['id'],
    shapeKey: null,
  });
  try {
    const shape = await until(() => s.service.cache.shapes().find((x) => x.definition.where === null));
    const info = await until(() => shape.snapshotInfo);
    // It had begun before the snapshot, and the snapshot cannot see it: it must come by the stream.
    expect(isVisibleInSnapshot(Number(rows[0]?.xid), info)).toBe(false);
    const after = Array.from({ length: 250 }, (_, i) => write(250 + i));
    await open.query('COMMIT');
    await Promise.all([...before, ...after]);
    await until(() => sameRows(s.db, replica, 'counters'), 30_000);
    const { rows: one } = await replica.query<{ v: number }>('SELECT v FROM counters WHERE id = 1');
    expect(one[0]?.v).toBe(1000);
  } finally {
    await open.query('ROLLBACK').catch(() => {}); // a no-op after COMMIT; ends it if a check failed
    open.release();
    sub.unsubscribe();
  }
});
