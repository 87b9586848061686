// The service restarted under its clients: shape logs live in memory, so every handle from
// before is unknown afterwards; clients get 409, refetch, and end up with every change —
// including those made while the service was down.
import { Shape, ShapeStream } from '@electric-sql/client';
import { Shape as Shape10, ShapeStream as ShapeStream10 } from 'electric-client-1-0';
import { afterAll, expect, it } from 'vitest';
import { freePort } from '../free-port.ts';
import { type RunningShapes, SECRET, startShapes, until } from './support.ts';

const aborter = new AbortController();
let current: RunningShapes | null = null;
afterAll(async () => {
  aborter.abort();
  await current?.stop();
});

type Row = Record<string, unknown>;

it('loses nothing across a restart, for both client lines', async () => {
  const port = await freePort();
  const first = await startShapes({ port });
  current = first;
  await first.db.query('CREATE TABLE items (id int PRIMARY KEY, title text NOT NULL)');
  await first.db.query(`INSERT INTO items SELECT g, 'row ' || g FROM generate_series(1, 10) g`);

  const options = {
    url: `${first.url}/v1/shape`,
    params: { table: 'items', secret: SECRET },
    signal: aborter.signal,
    // How soon to retry while the server is away (a client setting, not a change to it).
    backoffOptions: { initialDelay: 50, maxDelay: 200, multiplier: 1.5 },
  };
  const shapes = [
    new Shape(new ShapeStream(options)),
    new Shape10(new ShapeStream10(options)),
  ] as unknown as {
    currentRows: Row[];
    rows: Promise<Row[]>;
  }[];
  const holdAll = async () => {
    const { rows } = await (current as RunningShapes).db.query<Row>('SELECT * FROM items ORDER BY id');
    const want = JSON.stringify(rows);
    return shapes.every(
      (sh) => JSON.stringify([...sh.currentRows].sort((a, b) => Number(a.id) - Number(b.id))) === want,
    );
  };
  await Promise.all(shapes.map((sh) => sh.rows));
  await first.db.query(`UPDATE items SET title = 'before the restart' WHERE id = 1`);
  await until(holdAll);

  await first.stopService();
  const { rows: slots } = await first.db.query('SELECT 1 FROM pg_replication_slots');
  expect(slots).toHaveLength(0); // the slot went with the service
  await first.db.query(`UPDATE items SET title = 'while it was down' WHERE id = 2`);
  await first.db.query('DELETE FROM items WHERE id = 3');
  await first.db.query(`INSERT INTO items VALUES (11, 'inserted while down')`);

  const second = await startShapes({ port, databaseUrl: first.databaseUrl });
  await first.db.end();
  current = second;
  await second.db.query(`UPDATE items SET title = 'after the restart' WHERE id = 4`);
  await until(holdAll);
});
