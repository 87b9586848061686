// One scenario, run by each Electric client line the apps may meet (1.5 and the 1.0 that
// pglite-sync brings), long-poll or SSE: the client, unmodified, follows a shape through its
// snapshot and live inserts, updates, deletes and a many-row transaction, and always ends up
// holding exactly what the table holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningShapes, SECRET, startShapes, until } from './support.ts';

type Row = Record<string, unknown>;
type Message = { key?: string; headers: Record<string, unknown> };

// biome-ignore lint/suspicious/noExplicitAny: the two client lines type their options and streams differently
type Loose = any;

/** The parts of ShapeStream and Shape both client lines share. */
export interface ClientLine {
  ShapeStream: new (
    options: Loose,
  ) => {
    subscribe(cb: (messages: Message[]) => void, onError?: (e: Error) => void): () => void;
    readonly isUpToDate: boolean;
  };
  Shape: new (stream: Loose) => { readonly currentRows: Row[]; readonly rows: Promise<Row[]> };
}

export function clientScenario(label: string, lib: ClientLine, mode: { sse: boolean }): void {
  describe(`${label}, ${mode.sse ? 'SSE' : 'long-poll'}`, () => {
    let s: RunningShapes;
    const aborter = new AbortController();
    const errors: Error[] = [];
    /** Every live request the clients made: long-polls, or SSE streams in SSE mode. */
    const live: URL[] = [];
    const recordingFetch = (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
      const url = new URL(String(input instanceof Request ? input.url : input));
      if (url.searchParams.get('live') === 'true') live.push(url);
      return fetch(input, init);
    };

    beforeAll(async () => {
      s = await startShapes({ pingMs: 200 });
      await s.db.query(
        'CREATE TABLE items (id int PRIMARY KEY, title text NOT NULL, done boolean NOT NULL, owner text)',
      );
      await s.db.query(
        `INSERT INTO items SELECT g, 'item ' || g, g % 2 = 0, 'ann' FROM generate_series(1, 50) g`,
      );
    });
    afterAll(async () => {
      aborter.abort();
      await s.stop();
    });

    const open = (params: Record<string, string>) => {
      const stream = new lib.ShapeStream({
        url: `${s.url}/v1/shape`,
        params: { secret: SECRET, ...params },
        signal: aborter.signal,
        fetchClient: recordingFetch,
        ...(mode.sse ? { liveSse: true, experimentalLiveSse: true } : {}),
        onError: (e: Error) => {
          errors.push(e);
        },
      });
      return { stream, shape: new lib.Shape(stream) };
    };
    const table = async (where = 'true') =>
      (await s.db.query<Row>(`SELECT id, title, done, owner FROM items WHERE ${where} ORDER BY id`)).rows;
    const sorted = (rows: Row[]) =>
      [...rows]
        .map(({ id, title, done, owner }) => ({ id, title, done, owner }))
        .sort((a, b) => Number(a.id) - Number(b.id));
    const matches = async (shape: { currentRows: Row[] }, where?: string) =>
      JSON.stringify(sorted(shape.currentRows)) === JSON.stringify(await table(where));

    it('holds the snapshot, then every live insert, update and delete', async () => {
      const { stream, shape } = open({ table: 'items' });
      expect(sorted(await shape.rows)).toEqual(await table());
      await until(() => stream.isUpToDate);
      await s.db.query(`INSERT INTO items VALUES (51, 'new', false, 'bob')`);
      await until(() => matches(shape));
      await s.db.query(`UPDATE items SET title = 'renamed', done = true WHERE id = 3`);
      await until(() => matches(shape));
      await s.db.query('DELETE FROM items WHERE id IN (4, 5)');
      await until(() => matches(shape));
      expect(shape.currentRows.find((r) => r.id === 3)).toMatchObject({ title: 'renamed', done: true });
      expect(errors).toEqual([]);
      // The changes came the way asked for: in SSE mode no request fell back to long-polling.
      const sse = (u: URL) =>
        u.searchParams.get('live_sse') === 'true' || u.searchParams.get('experimental_live_sse') === 'true';
      expect(live.length).toBeGreaterThan(0);
      expect(live.every((u) => sse(u) === mode.sse)).toBe(true);
    });

    it('receives a many-row transaction whole, in one batch', async () => {
      const { stream, shape } = open({ table: 'items', columns: 'id,title,done,owner', where: 'id > 0' });
      await shape.rows;
      await until(() => stream.isUpToDate);
      const batches: number[] = [];
      stream.subscribe((messages) => {
        const n = messages.filter((m) => m.key && m.headers.operation === 'insert').length;
        if (n > 0) batches.push(n);
      });
      await s.db.query(
        `INSERT INTO items SELECT g, 'bulk ' || g, false, 'cy' FROM generate_series(1000, 1499) g`,
      );
      await until(() => batches.reduce((a, b) => a + b, 0) >= 500);
      expect(batches).toEqual([500]);
      await until(() => matches(shape, 'id > 0'));
    });

    it('moves rows in and out of a where clause', async () => {
      const { shape } = open({ table: 'items', where: 'owner = $1', 'params[1]': 'ann' });
      expect(sorted(await shape.rows)).toEqual(await table("owner = 'ann'"));
      await s.db.query(`UPDATE items SET owner = 'bob' WHERE id = 10`);
      await s.db.query(`UPDATE items SET owner = 'ann' WHERE id = 1000`);
      await until(() => matches(shape, "owner = 'ann'"));
      expect(shape.currentRows.some((r) => r.id === 10)).toBe(false);
      expect(shape.currentRows.some((r) => r.id === 1000)).toBe(true);
    });
  });
}
