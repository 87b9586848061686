// Refusals of GET/DELETE /v1/shape: 400 with readable messages, 401 without the secret,
// 409 for a handle that is not (or no longer) the shape's, DELETE only when enabled.
import { FetchError, ShapeStream } from '@electric-sql/client';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineShape } from '../../../server/shape-service/shape-definition.ts';
import { getShape, type RunningShapes, readToUpToDate, SECRET, shapeUrl, startShapes } from './support.ts';

let s: RunningShapes;

beforeAll(async () => {
  s = await startShapes();
  await s.db.query('CREATE TABLE items (id int PRIMARY KEY, title text NOT NULL, owner uuid)');
  await s.db.query(`INSERT INTO items VALUES (1, 'one', NULL)`);
  await s.db.query('CREATE TABLE nothing_here ()');
});
afterAll(() => s.stop());

const errorsOf = (body: unknown) => (body as { errors: Record<string, string[]> }).errors;

describe('400: what a request gets wrong, in words', () => {
  it.each([
    [{ table: 'nope' }, 'table', /Table "public"\."nope" does not exist/],
    [{ table: 'a.b.c' }, 'table', /too many dots/],
    [{ table: 'items', where: 'id IN (SELECT 1)' }, 'where', /subqueries are not supported/],
    // Postgres judges types and values once the clause has been read.
    [{ table: 'items', where: "title = 'x' AND id" }, 'where', /argument of AND must be type boolean/],
    [
      { table: 'items', where: 'owner = $1', 'params[1]': 'not-a-uuid' },
      'where',
      /invalid input syntax for type uuid/,
    ],
    [{ table: 'items', where: 'id = 1', 'params[1]': '5' }, 'params', /not used/],
    [{ table: 'items', columns: 'title' }, 'columns', /must include the primary key/],
    [{ table: 'items', columns: 'id,missing' }, 'columns', /unknown column/],
    [{ table: 'items', replica: 'partial' }, 'replica', /default" or "full/],
    // Once answered 503 with retry-after for ever: the snapshot's SELECT had no columns.
    [{ table: 'nothing_here' }, 'table', /Table "public"\."nothing_here" has no columns to sync/],
  ])('%j → errors.%s', async (params, field, message) => {
    const r = await getShape(s.url, { offset: '-1', ...params });
    expect(r.status).toBe(400);
    expect((r.body as { message: string }).message).toBe('Invalid request');
    expect(errorsOf(r.body)[field]?.join(' ')).toMatch(message);
    expect(r.headers.get('cache-control')).toBe('no-store');
  });

  // Worded as Electric words them (its parser wraps the same Postgres parser): a syntax error
  // located from the start of the `SELECT 1 WHERE ` it parses, anything else from the clause's.
  it.each([
    ['1 x 1', 'At location 17: syntax error at or near "x"'],
    ['id = ', 'At location 20: syntax error at end of input'],
    [`title = 'x`, `At location 23: unterminated quoted string at or near "'x"`],
    ['id = 1; DROP TABLE items', 'unescaped ";" causing statement split'],
    ['id = 1 ORDER BY id', 'malformed query ending with SQL clauses'],
    ['nonsense = 1', 'At location 0: unknown reference nonsense'],
    [`id = 1 AND "Title" = 'x'`, 'At location 11: unknown reference "Title"'],
    ['now() > 0', 'At location 0: unknown or unsupported function now/0'],
    [`title ~ 'x'`, 'At location 6: unknown binary operator "~"'],
    ['id::regclass = 1', 'At location 4: unsupported type regclass'],
    ['id = $1', 'At location 5: parameter $1 was not provided'],
  ])('where=%s → %s', async (where, message) => {
    const r = await getShape(s.url, { table: 'items', offset: '-1', where });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ message: 'Invalid request', errors: { where: [message] } });
  });

  it('reaches the Electric client as the FetchError Electric would give it', async () => {
    let error: unknown;
    const stream = new ShapeStream({
      url: `${s.url}/v1/shape`,
      params: { secret: SECRET, table: 'items', where: '1 x 1' },
      onError: (e) => {
        error = e;
      },
    });
    await expect(new Promise((_, reject) => stream.subscribe(() => {}, reject))).rejects.toThrow(FetchError);
    expect(error).toBeInstanceOf(FetchError);
    expect((error as FetchError).status).toBe(400);
    expect((error as FetchError).json).toStrictEqual({
      message: 'Invalid request',
      errors: { where: ['At location 17: syntax error at or near "x"'] },
    });
  });

  it.each([
    [{ offset: 'banana' }, 'offset', /invalid format/],
    [{}, 'offset', /blank/],
    [{ offset: '12_3' }, 'handle', /can't be blank when offset != -1/],
    [{ offset: '-1', live: 'true' }, 'live', /can't be true when offset == -1/],
    [{ offset: '0_inf', handle: 'h', live_sse: 'true' }, 'live_sse', /unless live is also true/],
  ])('%j → errors.%s', async (params, field, message) => {
    const r = await getShape(s.url, { table: 'items', ...params });
    expect(r.status).toBe(400);
    expect(errorsOf(r.body)[field]?.join(' ')).toMatch(message);
  });
});

describe('a table dropped while its shape is being defined', () => {
  it('is a table that does not exist (400), not an empty snapshot retried for ever', async () => {
    await s.db.query('CREATE TABLE going (id int PRIMARY KEY)');
    // The catalog is read in two queries; the table goes between them.
    let queries = 0;
    const racing = {
      query: async (text: string, values?: unknown[]) => {
        const result = await s.db.query(text, values);
        if (++queries === 1) await s.db.query('DROP TABLE going');
        return result;
      },
    } as unknown as pg.Pool;
    expect(await defineShape(racing, { table: 'going' })).toEqual({
      ok: false,
      errors: { table: [expect.stringMatching(/^Table "public"\."going" does not exist/)] },
    });
  });
});

describe('401: the secret', () => {
  it('refuses /v1/shape without the secret, or with a wrong one', async () => {
    for (const secret of [null, 'wrong']) {
      const r = await getShape(s.url, { table: 'items', offset: '-1', secret });
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ message: 'Unauthorized - Invalid API secret' });
    }
  });

  it('accepts api_secret too, as Electric does, and leaves /v1/health and OPTIONS open', async () => {
    const r = await getShape(s.url, { table: 'items', offset: '-1', secret: null, api_secret: SECRET });
    expect(r.status).toBe(200);
    const health = await fetch(new URL('/v1/health', s.url));
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'active' });
    const options = await fetch(new URL('/v1/shape', s.url), {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-headers': 'if-none-match, x-other' },
    });
    expect(options.status).toBe(204);
    expect(options.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(options.headers.get('access-control-allow-headers')).toBe('if-none-match');
  });
});

describe('409: a handle that is not the shape', () => {
  it('answers an unknown handle with must-refetch and the current handle', async () => {
    const { handle } = await readToUpToDate(s.url, { table: 'items' });
    const r = await getShape(s.url, { table: 'items', offset: '0_inf', handle: 'made-up-handle' });
    expect(r.status).toBe(409);
    expect(r.body).toEqual([{ headers: { control: 'must-refetch' } }]);
    expect(r.headers.get('electric-handle')).toBe(handle);
  });

  it('DELETE retires a shape: its handle then gets 409 and a new one', async () => {
    const { handle, offset } = await readToUpToDate(s.url, { table: 'items' });
    const del = await fetch(shapeUrl(s.url, { table: 'items' }), { method: 'DELETE' });
    expect(del.status).toBe(202);
    const r = await getShape(s.url, { table: 'items', offset, handle });
    expect(r.status).toBe(409);
    expect(r.headers.get('electric-handle')).not.toBe(handle);
    expect(await fetch(shapeUrl(s.url, { handle }), { method: 'DELETE' }).then((x) => x.status)).toBe(404);
  });

  it('refuses DELETE unless integration testing is enabled', async () => {
    const locked = await startShapes({
      databaseUrl: s.databaseUrl,
      allowDelete: false,
      replicationName: 'shapes_locked',
    });
    try {
      const r = await fetch(shapeUrl(locked.url, { table: 'items' }), { method: 'DELETE' });
      expect(r.status).toBe(405);
      expect(await r.json()).toEqual({ message: 'DELETE not allowed' });
    } finally {
      await locked.stop();
    }
  });
});
