// Subset snapshots and log=changes_only, as Electric serves them: GET with subset__*, POST
// with the subset in a JSON body, errors nested under `subset`, and the official client
// loading on demand (requestSnapshot / fetchSnapshot) on a changes-only stream.
import { ShapeStream } from '@electric-sql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getShape, headersOf, type RunningShapes, SECRET, shapeUrl, startShapes, until } from './support.ts';

let s: RunningShapes;
const aborter = new AbortController();

beforeAll(async () => {
  s = await startShapes();
  await s.db.query(
    'CREATE TABLE items (id int PRIMARY KEY, title text NOT NULL, n int NOT NULL, secret text)',
  );
  await s.db.query(`INSERT INTO items SELECT g, (ARRAY['apple','avocado','banana'])[1 + g % 3] || ' ' || g, g % 5, 'hidden'
    FROM generate_series(1, 30) g`);
});
afterAll(async () => {
  aborter.abort();
  await s.stop();
});

const shape = { table: 'items', where: 'n > 0', columns: 'id,title,n' };
const ids = (data: { value: { id: string } }[]) => data.map((m) => Number(m.value.id));
/** What Postgres says the subset holds. */
const expected = async (sql: string, params: unknown[]) =>
  (await s.db.query<{ id: number }>(sql, params)).rows.map((r) => r.id);

describe('a subset snapshot', () => {
  it('answers GET subset__* with metadata and the matching rows of the shape, ordered and limited', async () => {
    const r = await getShape(s.url, {
      ...shape,
      offset: '-1',
      subset__where: 'title LIKE $1',
      subset__params: JSON.stringify({ 1: 'a%' }),
      subset__order_by: 'id DESC',
      subset__limit: '4',
      subset__offset: '1',
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('electric-snapshot')).toBe('true');
    expect(r.headers.get('electric-handle')).toBeTruthy();
    expect(r.headers.get('electric-offset')).toBe('0_0');
    expect(JSON.parse(r.headers.get('electric-schema') ?? '{}')).toHaveProperty('title');
    const body = r.body as {
      metadata: Record<string, unknown>;
      data: { value: { id: string }; headers: object }[];
    };
    expect(body.metadata).toEqual({
      xmin: expect.stringMatching(/^\d+$/),
      xmax: expect.stringMatching(/^\d+$/),
      xip_list: expect.any(Array),
      database_lsn: expect.stringMatching(/^\d+$/),
      snapshot_mark: expect.any(Number),
    });
    expect(ids(body.data)).toEqual(
      await expected(
        "SELECT id FROM items WHERE n > 0 AND title LIKE 'a%' ORDER BY id DESC LIMIT 4 OFFSET 1",
        [],
      ),
    );
    expect(body.data[0]).toEqual({
      key: expect.stringMatching(/^"public"\."items"\/"\d+"$/),
      value: { id: expect.any(String), title: expect.any(String), n: expect.any(String) },
      headers: {
        operation: 'insert',
        relation: ['public', 'items'],
        snapshot_mark: body.metadata.snapshot_mark,
      },
    });
  });

  it('answers POST with the subset in a JSON body the same way', async () => {
    const url = shapeUrl(s.url, { ...shape, offset: '-1' });
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ where: 'n = $1', params: { 1: 2 }, order_by: 'title', limit: 3 }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { value: { id: string } }[] };
    expect(ids(body.data)).toEqual(
      await expected('SELECT id FROM items WHERE n = 2 ORDER BY title LIMIT 3', []),
    );
  });

  it.each([
    [{ subset__limit: '3' }, { order_by: ['order_by is required when limit or offset is present'] }],
    [{ subset__limit: '0', subset__order_by: 'id' }, { limit: ['must be greater than 0'] }],
    [{ subset__offset: 'x', subset__order_by: 'id' }, { offset: ['is invalid'] }],
    [{ subset__where: 'nope = 1' }, { where: ['At location 0: unknown reference nope'] }],
    // A column the shape leaves out cannot be used to probe it.
    [{ subset__where: "secret = 'hidden'" }, { where: ['At location 0: unknown reference secret'] }],
    [{ subset__order_by: 'secret' }, { order_by: ['At location 0: unknown reference secret'] }],
    [{ subset__order_by: 'id; DROP TABLE items' }, { order_by: ['unescaped ";" causing statement split'] }],
    [
      { subset__order_by: '(SELECT 1)' },
      { order_by: [expect.stringContaining('subqueries are not supported')] },
    ],
    [{ subset__where: 'id = $1' }, { where: ['At location 5: parameter $1 was not provided'] }],
    [
      { subset__where: 'id = $1', subset__params: '{"1":"x"}' },
      { where: [expect.stringContaining('integer')] },
    ],
  ])('refuses %j, saying why under "subset"', async (subset, errors) => {
    const r = await getShape(s.url, { ...shape, offset: '-1', ...subset });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ message: 'Invalid request', errors: { subset: errors } });
  });

  it('refuses a body that is not a JSON object, in a sentence', async () => {
    const url = shapeUrl(s.url, { ...shape, offset: '-1' });
    for (const body of ['[1]', '{nope']) {
      const res = await fetch(url, { method: 'POST', body });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(/JSON/);
    }
  });

  it('refuses a body over 1 MB with 413, and still serves the next request', async () => {
    const url = shapeUrl(s.url, { ...shape, offset: '-1' });
    const where = `id IN (${Array.from({ length: 200_000 }, (_, i) => i).join(',')})`;
    const res = await fetch(url, { method: 'POST', body: JSON.stringify({ where }) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { message: string }).message).toMatch(/larger than 1048576 bytes/);
    expect((await getShape(s.url, { ...shape, offset: '-1' })).status).toBe(200);
  });
});

describe('the official client loading on demand', () => {
  it('requestSnapshot on a changes-only stream injects the subset, then follows its changes', async () => {
    const stream = new ShapeStream<{ id: number; title: string }>({
      url: `${s.url}/v1/shape`,
      params: { ...shape, columns: ['id', 'title', 'n'], secret: SECRET },
      log: 'changes_only',
      signal: aborter.signal,
    });
    const rows = new Map<number, string>();
    const controls: string[] = [];
    stream.subscribe((messages) => {
      for (const m of messages) {
        const h = headersOf(m as never);
        if (typeof h.control === 'string') controls.push(h.control);
        if ('key' in m && 'value' in m) {
          if (h.operation === 'delete') rows.delete(m.value.id);
          else rows.set(m.value.id, String((m.value as { title?: string }).title ?? rows.get(m.value.id)));
        }
      }
    });
    await until(() => controls.includes('up-to-date'));
    expect(rows.size).toBe(0); // changes only: no snapshot

    const { data } = await stream.requestSnapshot({ where: "title LIKE 'banana%'", orderBy: 'id', limit: 3 });
    const want = await expected(
      "SELECT id FROM items WHERE n > 0 AND title LIKE 'banana%' ORDER BY id LIMIT 3",
      [],
    );
    expect(data.map((m) => m.value.id)).toEqual(want);
    await until(() => want.every((id) => rows.has(id)));

    await s.db.query(`UPDATE items SET title = 'banana, changed' WHERE id = $1`, [want[0]]);
    await until(() => rows.get(want[0] as number) === 'banana, changed');

    const viaPost = await stream.fetchSnapshot({
      where: 'id = $1',
      params: { 1: want[1] as number },
      method: 'POST',
    });
    expect(viaPost.data.map((m) => m.value.id)).toEqual([want[1]]);
  });
});
