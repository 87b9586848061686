// Live changes over GET /v1/shape: the messages Electric writes for inserts, updates and
// deletes, whole transactions, replica=full, long-poll timeouts and the advancing global LSN.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getShape, headersOf, isChange, type RunningShapes, readToUpToDate, startShapes } from './support.ts';

let s: RunningShapes;

beforeAll(async () => {
  s = await startShapes({ timings: { longPollMs: 400 }, pingMs: 100 });
  await s.db.query(
    'CREATE TABLE items (id int PRIMARY KEY, title text NOT NULL, done boolean NOT NULL DEFAULT false, owner text)',
  );
  await s.db.query(`INSERT INTO items VALUES (1, 'one', false, 'ann'), (2, 'two', false, 'bob')`);
  await s.db.query('CREATE TABLE other (id serial PRIMARY KEY, v int)');
});
afterAll(() => s.stop());

/** Follows `params` to up-to-date, then returns a function that long-polls for the next change. */
async function follow(params: Record<string, string>) {
  const start = await readToUpToDate(s.url, params);
  let handle = start.handle;
  let offset = start.offset;
  let cursor: string | undefined;
  return async () => {
    const r = await getShape(s.url, { ...params, handle, offset, live: 'true', cursor });
    handle = r.headers.get('electric-handle') ?? handle;
    offset = r.headers.get('electric-offset') ?? offset;
    cursor = r.headers.get('electric-cursor') ?? undefined;
    return r;
  };
}

/** Runs `sql` in one transaction and returns its xid as clients match it. */
async function write(...statements: string[]): Promise<string> {
  const client = await s.db.connect();
  try {
    await client.query('BEGIN');
    for (const sql of statements) await client.query(sql);
    const { rows } = await client.query<{ txid: string }>('SELECT pg_current_xact_id()::xid::text AS txid');
    await client.query('COMMIT');
    return rows[0]?.txid as string;
  } finally {
    client.release();
  }
}

describe('live changes', () => {
  it('answers a waiting long-poll with an insert as soon as it commits', async () => {
    const next = await follow({ table: 'items' });
    const waiting = next();
    const txid = await write(`INSERT INTO items VALUES (3, 'three', false, 'ann')`);
    const r = await waiting;
    expect(r.status).toBe(200);
    expect(r.headers.has('electric-up-to-date')).toBe(true);
    expect(r.headers.get('electric-cursor')).toMatch(/^\d+$/);
    expect(r.headers.has('electric-schema')).toBe(false);
    expect(r.headers.get('cache-control')).toBe('public, max-age=5, stale-while-revalidate=5');
    const [insert, done] = r.messages as [Record<string, unknown>, Record<string, unknown>];
    expect(insert).toMatchObject({
      key: '"public"."items"/"3"',
      value: { id: '3', title: 'three', done: 'f', owner: 'ann' },
      headers: {
        operation: 'insert',
        relation: ['public', 'items'],
        txids: [Number(txid)],
        op_position: 0,
        last: true,
      },
    });
    expect(headersOf(insert).lsn).toMatch(/^[1-9]\d*$/);
    expect(r.headers.get('electric-offset')).toBe(`${headersOf(insert).lsn}_0`);
    expect(headersOf(done).control).toBe('up-to-date');
    expect(BigInt(headersOf(done).global_last_seen_lsn as string)).toBeGreaterThanOrEqual(
      BigInt(headersOf(insert).lsn as string),
    );
  });

  it('sends updates with the primary key and the changed columns, deletes with the primary key', async () => {
    const next = await follow({ table: 'items' });
    const waiting = next();
    await write(`UPDATE items SET title = 'ONE' WHERE id = 1`, 'DELETE FROM items WHERE id = 2');
    const r = await waiting;
    const changes = r.messages.filter(isChange);
    expect(changes).toEqual([
      expect.objectContaining({
        value: { id: '1', title: 'ONE' },
        headers: expect.objectContaining({ operation: 'update', op_position: 0 }),
      }),
      expect.objectContaining({
        value: { id: '2' },
        headers: expect.objectContaining({ operation: 'delete', op_position: 2, last: true }),
      }),
    ]);
    expect(headersOf(changes[0] as Record<string, unknown>).last).toBeUndefined();
  });

  it('with replica=full sends whole rows and the old values of what changed', async () => {
    const next = await follow({ table: 'items', replica: 'full' });
    const waiting = next();
    await write(`UPDATE items SET owner = 'cy' WHERE id = 1`, 'DELETE FROM items WHERE id = 3');
    const [update, remove] = (await waiting).messages.filter(isChange) as Record<string, unknown>[];
    expect(update).toMatchObject({
      value: { id: '1', title: 'ONE', done: 'f', owner: 'cy' },
      old_value: { owner: 'ann' },
    });
    expect(remove).toMatchObject({ value: { id: '3', title: 'three', done: 'f', owner: 'ann' } });
  });

  it('delivers a many-row transaction in one response, under one lsn, in order', async () => {
    const next = await follow({ table: 'items' });
    const waiting = next();
    await write(`INSERT INTO items SELECT g, 'bulk ' || g, false, NULL FROM generate_series(100, 399) g`);
    const changes = (await waiting).messages.filter(isChange);
    expect(changes).toHaveLength(300);
    expect(new Set(changes.map((m) => headersOf(m).lsn)).size).toBe(1);
    expect(changes.map((m) => headersOf(m).op_position)).toEqual(changes.map((_, i) => i * 2));
    expect(changes.filter((m) => headersOf(m).last)).toHaveLength(1);
  });

  it('moves rows in and out of a where clause as inserts and deletes', async () => {
    const next = await follow({ table: 'items', where: 'owner = $1', 'params[1]': 'cy' });
    const waiting = next();
    await write(
      `UPDATE items SET owner = 'dee' WHERE id = 1`,
      `UPDATE items SET owner = 'cy' WHERE id = 100`,
    );
    const changes = (await waiting).messages.filter(isChange);
    expect(changes.map((m) => [headersOf(m).operation, m.key])).toEqual([
      ['delete', '"public"."items"/"1"'],
      ['insert', '"public"."items"/"100"'],
    ]);
    expect(changes[1]?.value).toEqual({ id: '100', title: 'bulk 100', done: 'f', owner: 'cy' });
  });

  it('decides where clauses Postgres must evaluate (not just equality) the same way', async () => {
    const next = await follow({
      table: 'items',
      where: "lower(title) LIKE 'bulk 1%' AND id < $1",
      'params[1]': '150',
    });
    const waiting = next();
    await write(`UPDATE items SET done = true WHERE id IN (120, 220, 160)`);
    const changes = (await waiting).messages.filter(isChange);
    expect(changes.map((m) => m.value)).toEqual([{ id: '120', done: 't' }]);
  });

  it('turns a primary key change into a delete and an insert', async () => {
    const next = await follow({ table: 'items' });
    const waiting = next();
    await write('UPDATE items SET id = 1000 WHERE id = 399');
    const changes = (await waiting).messages.filter(isChange);
    expect(changes.map((m) => [headersOf(m).operation, m.key, headersOf(m).op_position])).toEqual([
      ['delete', '"public"."items"/"399"', 0],
      ['insert', '"public"."items"/"1000"', 1],
    ]);
  });

  it('skips updates that change nothing the shape shows', async () => {
    const next = await follow({ table: 'items', columns: 'id,title' });
    const waiting = next();
    await write('UPDATE items SET done = NOT done WHERE id = 101');
    await write(`UPDATE items SET title = 'bulk 101!' WHERE id = 101`);
    const changes = (await waiting).messages.filter(isChange);
    expect(changes.map((m) => m.value)).toEqual([{ id: '101', title: 'bulk 101!' }]);
  });

  it('with log=changes_only sends no snapshot, then the changes', async () => {
    const first = await getShape(s.url, { table: 'items', log: 'changes_only', offset: '-1' });
    expect(first.messages.filter(isChange)).toEqual([]);
    const next = await follow({ table: 'items', log: 'changes_only' });
    const waiting = next();
    await write(`UPDATE items SET title = 'changed only' WHERE id = 100`);
    expect((await waiting).messages.filter(isChange).map((m) => m.value)).toEqual([
      { id: '100', title: 'changed only' },
    ]);
  });

  it('answers an idle long-poll with an up-to-date whose global_last_seen_lsn keeps advancing', async () => {
    const next = await follow({ table: 'items' });
    const first = await next();
    expect(first.messages).toHaveLength(1);
    expect(first.headers.get('electric-has-data')).toBe('false');
    const lsnOf = (r: typeof first) =>
      BigInt(headersOf(r.messages[0] as Record<string, unknown>).global_last_seen_lsn as string);
    await write('INSERT INTO other (v) VALUES (1)');
    await new Promise((r) => setTimeout(r, 300));
    const second = await next();
    expect(second.messages.filter(isChange)).toHaveLength(0);
    expect(lsnOf(second)).toBeGreaterThan(lsnOf(first));
  });
});
