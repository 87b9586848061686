// GET /v1/shape from -1 to up-to-date: the headers and messages of a snapshot, as Electric writes them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getShape, headersOf, isChange, type RunningShapes, readToUpToDate, startShapes } from './support.ts';

let s: RunningShapes;

beforeAll(async () => {
  s = await startShapes({ timings: { longPollMs: 500 } });
  await s.db.query(`CREATE TABLE items (id int PRIMARY KEY, title text NOT NULL, done boolean NOT NULL DEFAULT false,
    n numeric(10,2), tags text[], meta jsonb, at timestamptz, code char(4), slash text)`);
  await s.db.query(`INSERT INTO items VALUES
    (1, 'one', true, 1.50, '{a,b}', '{"x": 1}', '2025-03-01 10:00:00+02', 'ab', 'a/b'),
    (2, 'two', false, NULL, NULL, NULL, NULL, NULL, NULL)`);
  await s.db.query(
    'CREATE SCHEMA "Other"; CREATE TABLE "Other"."Mixed Case" ("Id" int PRIMARY KEY, "Value" text)',
  );
  await s.db.query(`INSERT INTO "Other"."Mixed Case" VALUES (7, 'seven')`);
});
afterAll(() => s.stop());

describe('the initial snapshot', () => {
  it('answers offset=-1 with the rows as insert messages, a snapshot-end, and the protocol headers', async () => {
    const r = await getShape(s.url, { table: 'items', offset: '-1' });
    expect(r.status).toBe(200);
    const handle = r.headers.get('electric-handle');
    expect(handle).toMatch(/^[0-9a-f]{8}-\d+[0-9a-f]{6}$/);
    expect(r.headers.get('electric-offset')).toBe('0_0');
    expect(r.headers.has('electric-up-to-date')).toBe(false);
    expect(r.headers.get('cache-control')).toBe(
      'public, max-age=604800, s-maxage=3600, stale-while-revalidate=2629746',
    );
    expect(r.headers.get('access-control-expose-headers')).toContain('electric-handle');
    const schema = JSON.parse(r.headers.get('electric-schema') ?? '{}');
    expect(schema).toEqual({
      id: { type: 'int4', pk_index: 0, not_null: true },
      title: { type: 'text', not_null: true },
      done: { type: 'bool', not_null: true },
      n: { type: 'numeric', precision: 10, scale: 2 },
      tags: { type: 'text', dims: 1 },
      meta: { type: 'jsonb' },
      at: { type: 'timestamptz' },
      code: { type: 'bpchar', length: 4 },
      slash: { type: 'text' },
    });
    const rows = r.messages.filter(isChange);
    expect(rows).toHaveLength(2);
    const one = rows.find((m) => (m.value as Record<string, unknown>).id === '1');
    expect(one).toEqual({
      key: '"public"."items"/"1"',
      value: {
        id: '1',
        title: 'one',
        done: 't',
        n: '1.50',
        tags: '{a,b}',
        meta: '{"x": 1}',
        at: '2025-03-01 08:00:00+00',
        code: 'ab  ',
        slash: 'a/b',
      },
      headers: { operation: 'insert', relation: ['public', 'items'] },
    });
    const end = r.messages.at(-1) as Record<string, unknown>;
    expect(headersOf(end).control).toBe('snapshot-end');
    expect(headersOf(end).xmin).toMatch(/^\d+$/);
    expect(headersOf(end).xmax).toMatch(/^\d+$/);
    expect(Array.isArray(headersOf(end).xip_list)).toBe(true);
  });

  it('continues past the last chunk to the log (0_inf), with an up-to-date carrying a decimal global_last_seen_lsn', async () => {
    const { messages, offset } = await readToUpToDate(s.url, { table: 'items' });
    expect(offset).toBe('0_inf');
    const last = messages.at(-1) as Record<string, unknown>;
    expect(headersOf(last).control).toBe('up-to-date');
    expect(headersOf(last).global_last_seen_lsn).toMatch(/^[1-9]\d*$/);
  });

  it('gives every request for the same definition the same handle, and another definition another', async () => {
    const a = await getShape(s.url, { table: 'items', offset: '-1' });
    const b = await getShape(s.url, { table: 'public.items', offset: '-1' });
    const c = await getShape(s.url, { table: 'items', offset: '-1', where: 'done' });
    expect(a.headers.get('electric-handle')).toBe(b.headers.get('electric-handle'));
    expect(c.headers.get('electric-handle')).not.toBe(a.headers.get('electric-handle'));
    expect(c.messages.filter(isChange).map((m) => (m.value as { id: string }).id)).toEqual(['1']);
  });

  it('takes quoted schema and table names, and a column list with quoted names', async () => {
    const r = await getShape(s.url, { table: '"Other"."Mixed Case"', offset: '-1', columns: '"Id"' });
    expect(r.status).toBe(200);
    expect(r.messages.filter(isChange)).toEqual([
      {
        key: '"Other"."Mixed Case"/"7"',
        value: { Id: '7' },
        headers: { operation: 'insert', relation: ['Other', 'Mixed Case'] },
      },
    ]);
  });

  it('takes where with params, in both forms Electric accepts', async () => {
    const a = await getShape(s.url, {
      table: 'items',
      offset: '-1',
      where: 'title = $1 OR id = $2',
      'params[1]': 'two',
      'params[2]': '1',
    });
    const b = await getShape(s.url, {
      table: 'items',
      offset: '-1',
      where: 'title = $1 OR id = $2',
      params: JSON.stringify({ 1: 'two', 2: '1' }),
    });
    expect(a.messages.filter(isChange)).toHaveLength(2);
    expect(b.headers.get('electric-handle')).toBe(a.headers.get('electric-handle'));
  });

  it('answers offset=now with just an up-to-date at the end of the shape', async () => {
    const r = await getShape(s.url, { table: 'items', offset: 'now' });
    expect(r.status).toBe(200);
    expect(r.headers.has('electric-up-to-date')).toBe(true);
    expect(r.messages).toHaveLength(1);
    expect(headersOf(r.messages[0] as Record<string, unknown>).control).toBe('up-to-date');
  });

  it('serves a large snapshot in chunks', async () => {
    await s.db.query(`CREATE TABLE big (id int PRIMARY KEY, pad text)`);
    await s.db.query(`INSERT INTO big SELECT g, repeat('x', 100) FROM generate_series(1, 3000) g`);
    const small = await startShapes({
      databaseUrl: s.databaseUrl,
      chunkBytes: 64 * 1024,
      replicationName: 'shapes_chunked',
    });
    try {
      const offsets: string[] = [];
      let offset = '-1';
      let handle: string | undefined;
      let rows = 0;
      for (;;) {
        const r = await getShape(small.url, { table: 'big', offset, handle });
        offset = r.headers.get('electric-offset') as string;
        handle = r.headers.get('electric-handle') as string;
        offsets.push(offset);
        rows += r.messages.filter(isChange).length;
        if (r.headers.has('electric-up-to-date')) break;
      }
      expect(rows).toBe(3000);
      expect(offsets.length).toBeGreaterThan(3);
      expect(offsets.slice(0, 3)).toEqual(['0_0', '0_1', '0_2']);
      expect(offsets.at(-1)).toBe('0_inf');
    } finally {
      await small.stop();
    }
  });
});
