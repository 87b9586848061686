// The replication slot is acknowledged as shapes catch up (and while nothing we publish
// changes), so Postgres can recycle WAL; stopping the service keeps the slot and publication,
// for the next start to resume.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningShapes, readToUpToDate, startShapes, until } from './support.ts';

let s: RunningShapes;
beforeAll(async () => {
  s = await startShapes({ pingMs: 100 });
  await s.db.query('CREATE TABLE items (id int PRIMARY KEY, title text)');
  await s.db.query('CREATE TABLE unshaped (id serial PRIMARY KEY, v int)');
});
afterAll(() => s.stop());

const acknowledgedPast = async (lsn: string) => {
  const { rows } = await s.db.query<{ ok: boolean }>(
    'SELECT confirmed_flush_lsn >= $1::pg_lsn AS ok FROM pg_replication_slots WHERE slot_name = $2',
    [lsn, s.service.replication.slotName],
  );
  return rows[0]?.ok === true;
};
const walNow = async () =>
  (await s.db.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]?.lsn as string;

it('acknowledges what the shapes hold, busy or idle, and keeps its slot on stop', async () => {
  await readToUpToDate(s.url, { table: 'items' });
  await s.db.query(`INSERT INTO items SELECT g, 'x' FROM generate_series(1, 2000) g`);
  const afterWrites = await walNow();
  await until(() => acknowledgedPast(afterWrites));

  // Only tables no shape reads change: the slot still moves on.
  for (let i = 0; i < 20; i++) await s.db.query('INSERT INTO unshaped (v) VALUES ($1)', [i]);
  const afterIdle = await walNow();
  await until(() => acknowledgedPast(afterIdle));

  const slot = s.service.replication.slotName;
  await s.stopService();
  const { rows } = await s.db.query('SELECT active FROM pg_replication_slots WHERE slot_name = $1', [slot]);
  expect(rows).toEqual([{ active: false }]);
  const { rows: pubs } = await s.db.query('SELECT 1 FROM pg_publication WHERE pubname = $1', [slot]);
  expect(pubs).toHaveLength(1);
});
