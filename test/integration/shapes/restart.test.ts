// The service restarted under its clients. Shape logs are kept on disk and the slot outlives
// the process, so a client that was live before the restart continues from its offset: no
// 409, no new snapshot, and every change — including those made while the service was down.
// A restart that cannot resume (the slot is gone, the table changed) still answers 409, and
// the clients refetch.
import { Shape, ShapeStream } from '@electric-sql/client';
import { Shape as Shape10, ShapeStream as ShapeStream10 } from 'electric-client-1-0';
import { afterEach, expect, it } from 'vitest';
import { freePort } from '../free-port.ts';
import { type RunningShapes, SECRET, startShapes, until } from './support.ts';

type Row = Record<string, unknown>;

let aborter = new AbortController();
let current: RunningShapes | null = null;
afterEach(async () => {
  aborter.abort();
  aborter = new AbortController();
  await current?.stop();
  current = null;
});

/** Every shape request the clients make, by offset, through a counting fetch. */
function countingFetch() {
  const offsets: string[] = [];
  const statuses: number[] = [];
  const fetchClient: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    offsets.push(url.searchParams.get('offset') ?? '');
    const res = await fetch(input, init);
    statuses.push(res.status);
    return res;
  };
  return { offsets, statuses, fetchClient };
}

async function serviceWith(rows: number): Promise<{ first: RunningShapes; port: number }> {
  const port = await freePort();
  const first = await startShapes({ port });
  current = first;
  await first.db.query('CREATE TABLE items (id int PRIMARY KEY, title text NOT NULL)');
  await first.db.query(`INSERT INTO items SELECT g, 'row ' || g FROM generate_series(1, ${rows}) g`);
  return { first, port };
}

/**
 * The same service again: same port, same database, same folder of kept shapes; `whileDown`
 * runs between the stop and the start.
 */
async function restart(
  previous: RunningShapes,
  port: number,
  whileDown: () => Promise<unknown> = async () => {},
): Promise<RunningShapes> {
  await previous.stopService();
  await whileDown();
  const next = await startShapes({
    port,
    databaseUrl: previous.databaseUrl,
    storageDir: previous.storageDir,
  });
  await previous.db.end();
  current = next;
  return next;
}

const streamOptions = (s: RunningShapes, fetchClient?: typeof fetch) => ({
  url: `${s.url}/v1/shape`,
  params: { table: 'items', secret: SECRET },
  signal: aborter.signal,
  fetchClient,
  // How soon to retry while the server is away (a client setting, not a change to it).
  backoffOptions: { initialDelay: 50, maxDelay: 200, multiplier: 1.5 },
});

it('a live client of a 10,000-row shape continues after a restart without a new snapshot', async () => {
  const { first, port } = await serviceWith(10_000);
  const requests = countingFetch();
  const shape = new Shape(new ShapeStream(streamOptions(first, requests.fetchClient)));
  await shape.rows;
  expect(shape.currentRows).toHaveLength(10_000);
  await first.db.query(`UPDATE items SET title = 'before the restart' WHERE id = 1`);
  await until(() => shape.currentRows.find((r) => r.id === 1)?.title === 'before the restart');

  const second = await restart(first, port);
  await second.db.query(`UPDATE items SET title = 'after the restart' WHERE id = 2`);
  await until(() => shape.currentRows.find((r) => r.id === 2)?.title === 'after the restart');

  expect(requests.offsets.filter((o) => o === '-1')).toHaveLength(1);
  expect(requests.statuses).not.toContain(409);
  expect(shape.currentRows).toHaveLength(10_000);
});

it('loses nothing made while the service was down, for both client lines', async () => {
  const { first, port } = await serviceWith(10);
  const requests = countingFetch();
  const shapes = [
    new Shape(new ShapeStream(streamOptions(first, requests.fetchClient))),
    new Shape10(new ShapeStream10(streamOptions(first, requests.fetchClient))),
  ] as unknown as { currentRows: Row[]; rows: Promise<Row[]> }[];
  const holdAll = async () => {
    const { rows } = await (current as RunningShapes).db.query<Row>('SELECT * FROM items ORDER BY id');
    const want = JSON.stringify(rows);
    return shapes.every(
      (sh) => JSON.stringify([...sh.currentRows].sort((a, b) => Number(a.id) - Number(b.id))) === want,
    );
  };
  await Promise.all(shapes.map((sh) => sh.rows));

  const second = await restart(first, port, async () => {
    const { rows: slots } = await first.db.query(
      'SELECT active FROM pg_replication_slots WHERE database = current_database()',
    );
    expect(slots).toEqual([{ active: false }]); // kept for the next start
    await first.db.query(`UPDATE items SET title = 'while it was down' WHERE id = 2`);
    await first.db.query('DELETE FROM items WHERE id = 3');
    await first.db.query(`INSERT INTO items VALUES (11, 'inserted while down')`);
  });
  await until(holdAll);
  await second.db.query(`UPDATE items SET title = 'after the restart' WHERE id = 4`);
  await until(holdAll);
  expect(requests.offsets.filter((o) => o === '-1')).toHaveLength(2); // one per client, at the start
  expect(requests.statuses).not.toContain(409);
});

it('answers 409 after a restart that cannot resume: the slot was lost', async () => {
  const { first, port } = await serviceWith(10);
  const requests = countingFetch();
  const shape = new Shape(new ShapeStream(streamOptions(first, requests.fetchClient)));
  await shape.rows;
  await restart(first, port, async () => {
    await first.db.query(
      'SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = current_database()',
    );
    await first.db.query(`UPDATE items SET title = 'after the slot was lost' WHERE id = 5`);
  });
  await until(() => shape.currentRows.find((r) => r.id === 5)?.title === 'after the slot was lost');
  expect(requests.statuses).toContain(409);
  expect(requests.offsets.filter((o) => o === '-1').length).toBeGreaterThanOrEqual(2);
});

it('answers 409 after a restart that cannot resume: the table changed while it was down', async () => {
  const { first, port } = await serviceWith(10);
  const requests = countingFetch();
  const shape = new Shape(new ShapeStream(streamOptions(first, requests.fetchClient)));
  await shape.rows;
  await restart(first, port, () =>
    first.db.query(`ALTER TABLE items ADD COLUMN note text NOT NULL DEFAULT 'new column'`),
  );
  await until(() => shape.currentRows.find((r) => r.id === 1)?.note === 'new column');
  expect(requests.statuses).toContain(409);
});

it('tells a request still waiting when the service stops to come back (503), not to refetch', async () => {
  const { first } = await serviceWith(3);
  const start = await fetch(`${first.url}/v1/shape?table=items&offset=-1&secret=${SECRET}`);
  const handle = start.headers.get('electric-handle') ?? '';
  await start.arrayBuffer();
  const live = fetch(
    `${first.url}/v1/shape?table=items&offset=0_inf&handle=${handle}&live=true&secret=${SECRET}`,
  );
  await until(() => first.service.parkedPolls() === 1);
  await first.service.stop();
  const res = await live;
  expect(res.status).toBe(503);
  expect(res.headers.get('retry-after')).toBeTruthy();
});
