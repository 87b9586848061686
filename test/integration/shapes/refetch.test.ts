// When a shape cannot go on — its table truncated, its columns changed, its handle stale —
// the server answers 409 with a new handle, and both client lines start over and catch up.
import { Shape, ShapeStream } from '@electric-sql/client';
import { Shape as Shape10, ShapeStream as ShapeStream10 } from 'electric-client-1-0';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientLine } from './client-scenario.ts';
import {
  getShape,
  type RunningShapes,
  readToUpToDate,
  SECRET,
  shapeUrl,
  startShapes,
  until,
} from './support.ts';

let s: RunningShapes;
const aborter = new AbortController();

beforeAll(async () => {
  s = await startShapes({ timings: { longPollMs: 1000 } });
});
afterAll(async () => {
  aborter.abort();
  await s.stop();
});

type Row = Record<string, unknown>;
const clients: [string, ClientLine][] = [
  ['1.5', { ShapeStream, Shape }],
  ['1.0', { ShapeStream: ShapeStream10, Shape: Shape10 }],
];

function follow(lib: ClientLine, table: string) {
  const messages: { headers: Record<string, unknown> }[] = [];
  const stream = new lib.ShapeStream({
    url: `${s.url}/v1/shape`,
    params: { table, secret: SECRET },
    signal: aborter.signal,
  });
  stream.subscribe((batch) => {
    messages.push(...batch);
  });
  const shape = new lib.Shape(stream);
  const refetches = () => messages.filter((m) => m.headers.control === 'must-refetch').length;
  return { shape, refetches };
}

async function holds(shape: { currentRows: Row[] }, table: string): Promise<boolean> {
  const { rows } = await s.db.query<Row>(`SELECT * FROM ${table} ORDER BY id`);
  const mine = [...shape.currentRows].sort((a, b) => Number(a.id) - Number(b.id));
  return JSON.stringify(mine) === JSON.stringify(rows);
}

describe.each(clients)('client %s', (version, line) => {
  const table = `t${version.replace('.', '_')}`;

  beforeAll(async () => {
    await s.db.query(`CREATE TABLE ${table} (id int PRIMARY KEY, title text NOT NULL)`);
    await s.db.query(`INSERT INTO ${table} SELECT g, 'row ' || g FROM generate_series(1, 20) g`);
  });

  it('starts over after a TRUNCATE', async () => {
    const { shape, refetches } = follow(line, table);
    await shape.rows;
    const before = await readToUpToDate(s.url, { table });
    await s.db.query(`TRUNCATE ${table}`);
    await s.db.query(`INSERT INTO ${table} VALUES (100, 'after the truncate')`);
    await until(() => refetches() > 0);
    await until(() => holds(shape, table));
    const stale = await getShape(s.url, { table, offset: before.offset, handle: before.handle });
    expect(stale.status).toBe(409);
    expect(stale.headers.get('electric-handle')).not.toBe(before.handle);
  });

  it('starts over when its shape is deleted (a stale handle)', async () => {
    const { shape, refetches } = follow(line, table);
    await shape.rows;
    expect((await fetch(shapeUrl(s.url, { table }), { method: 'DELETE' })).status).toBe(202);
    await s.db.query(`INSERT INTO ${table} VALUES (101, 'after the delete')`);
    await until(() => refetches() > 0);
    await until(() => holds(shape, table));
  });

  it('starts over when the table gains a column', async () => {
    const { shape, refetches } = follow(line, table);
    await shape.rows;
    await s.db.query(`ALTER TABLE ${table} ADD COLUMN extra text`);
    await s.db.query(`INSERT INTO ${table} VALUES (102, 'with extra', 'x')`);
    await until(() => refetches() > 0);
    await until(() => holds(shape, table));
    expect(shape.currentRows.find((r) => r.id === 102)).toMatchObject({ extra: 'x' });
  });
});
