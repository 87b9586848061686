// GET /api/shapes/:name on the product server: who may sync what, with the shape fixed by
// the server — rows, columns, refusals — and a booking moving between fieldworkers' shapes.
import { ShapeStream } from '@electric-sql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../../server/auth/sessions.ts';
import type { RunningServer } from '../../../server/boot.ts';
import { sessionOf, startTestServer } from '../helpers.ts';
import { until } from './support.ts';

let server: RunningServer;
const cookies: Record<string, string> = {};
const aborter = new AbortController();

beforeAll(async () => {
  server = await startTestServer();
  for (const email of ['admin@example.com', 'sam@example.com', 'alex@example.com', 'jordan@example.com']) {
    const session = await sessionOf(server.pool, email);
    const subject =
      session.role === 'customer'
        ? { role: session.role, customerId: session.customerId }
        : { role: session.role, userId: session.userId };
    cookies[email] = `session=${(await createSession(server.pool, subject)).token}`;
  }
});
afterAll(async () => {
  aborter.abort();
  await server.stop();
});

async function get(name: string, who: string | null, params: Record<string, string> = { offset: '-1' }) {
  const url = new URL(`/api/shapes/${name}`, server.url);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const res = await fetch(url, { headers: who ? { cookie: cookies[who] as string } : {} });
  const body: unknown = await res.json();
  return { res, body, rows: Array.isArray(body) ? body.filter((m) => 'key' in m).map((m) => m.value) : [] };
}

const userId = async (email: string) => {
  const s = await sessionOf(server.pool, email);
  return s.role === 'customer' ? '' : s.userId;
};

describe('who may sync what', () => {
  it('refuses a signed-out request (401), a customer (403) and an unknown shape (404)', async () => {
    expect((await get('bookings', null)).res.status).toBe(401);
    const customer = await get('bookings', 'jordan@example.com');
    expect(customer.res.status).toBe(403);
    expect((customer.body as { message: string }).message).toMatch(/cannot sync/);
    expect((await get('sessions', 'admin@example.com')).res.status).toBe(404);
    expect((await get('users', 'sam@example.com')).res.status).toBe(403);
  });

  it('gives the admin every booking, with prices and fees', async () => {
    const { res, rows } = await get('bookings', 'admin@example.com');
    expect(res.status).toBe(200);
    const { rows: all } = await server.pool.query('SELECT count(*)::int AS n FROM bookings');
    expect(rows).toHaveLength(all[0].n);
    expect(Object.keys(rows[0])).toEqual(
      expect.arrayContaining(['price_minor', 'cancel_fee_minor', 'notes']),
    );
  });

  it('gives a fieldworker only their own bookings, without prices or fees', async () => {
    const sam = await userId('sam@example.com');
    const { res, rows } = await get('bookings', 'sam@example.com');
    expect(res.status).toBe(200);
    const { rows: mine } = await server.pool.query('SELECT id FROM bookings WHERE fieldworker_id = $1', [
      sam,
    ]);
    expect(mine.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.id).sort()).toEqual(mine.map((r) => r.id).sort());
    for (const r of rows) {
      expect(r.fieldworker_id).toBe(sam);
      for (const hidden of [
        'price_minor',
        'currency',
        'cancel_fee_minor',
        'cancel_fee_name',
        'cancelled_by_user_id',
      ]) {
        expect(r).not.toHaveProperty(hidden);
      }
    }
  });

  it('never sends password hashes, and only a person’s own notifications', async () => {
    const users = await get('users', 'admin@example.com');
    expect(users.rows.length).toBeGreaterThan(0);
    for (const u of users.rows) expect(u).not.toHaveProperty('password_hash');
    const sam = await userId('sam@example.com');
    const alex = await userId('alex@example.com');
    await server.pool.query(
      `INSERT INTO notifications (user_id, kind, title, body) VALUES ($1, 'test', 'for sam', ''), ($2, 'test', 'for alex', '')`,
      [sam, alex],
    );
    const notes = await get('notifications', 'sam@example.com');
    expect(notes.rows.length).toBeGreaterThan(0);
    expect(notes.rows.every((n) => n.user_id === sam)).toBe(true);
    const services = await get('services', 'sam@example.com');
    expect(services.rows.length).toBeGreaterThan(0);
    expect(services.rows[0]).not.toHaveProperty('price_minor');
  });

  it.each([
    ['table', 'users'],
    ['where', 'true'],
    ['columns', 'id,price_minor'],
    ['params[1]', 'someone-else'],
    ['params', '{"1":"x"}'],
    ['replica', 'full'],
    ['subset__where', 'true'],
    ['log', 'changes_only'],
    // The same parameters as other readers of a query string could take them: arrays and
    // nested keys (Electric's Phoenix parser reads `where[]=x` as `where`), any case, spaces.
    ['where[]', 'true'],
    ['table[]', 'users'],
    ['columns[]', 'price_minor'],
    ['params[1][x]', 'someone-else'],
    ['params[]', 'someone-else'],
    ['WHERE', 'true'],
    ['Table', 'users'],
    ['COLUMNS', 'id,price_minor'],
    ['Params[1]', 'someone-else'],
    ['REPLICA', 'full'],
    ['Subset__Where', 'true'],
    [' where ', 'true'],
    ['LOG', 'changes_only'],
    ['log[]', 'changes_only'],
  ])('refuses a request that sets %j (400)', async (key, value) => {
    const { res, body } = await get('bookings', 'sam@example.com', { offset: '-1', [key]: value });
    expect(res.status).toBe(400);
    expect((body as { message: string }).message).toMatch(/cannot be set here|can only be/);
  });

  it.each([
    'offset=-1&wh%65re=true',
    'offset=-1&where%5B%5D=true',
    'offset=-1&%57HERE=true',
    'offset=-1&log=full&log=changes_only',
  ])('refuses the encoded or repeated form %s (400)', async (query) => {
    const res = await fetch(new URL(`/api/shapes/bookings?${query}`, server.url), {
      headers: { cookie: cookies['sam@example.com'] as string },
    });
    expect(res.status).toBe(400);
  });

  it('lets through what the official client adds on its own', async () => {
    const { res } = await get('bookings', 'sam@example.com', {
      offset: '-1',
      log: 'full',
      expired_handle: 'x',
      cursor: '1',
    });
    expect(res.status).toBe(200);
  });

  it('varies by cookie, and keeps the raw endpoint closed', async () => {
    const { res } = await get('bookings', 'admin@example.com');
    expect(res.status).toBe(200);
    expect(res.headers.get('vary')).toMatch(/cookie/i);
    const raw = await fetch(new URL('/v1/shape?table=bookings&offset=-1', server.url));
    expect(raw.status).toBe(401);
  });
});

describe('after sign-out, nothing of a person’s rows stays in the browser', () => {
  // One person's rows must not outlive their session in the browser's HTTP cache (a shared
  // computer, the next person at it): every gatekeeper answer forbids storing it at all.
  const NOT_STORED = 'private, no-store';

  it('marks every answer of a followed shape no-store: snapshot, live, catch-up, 409, SSE', async () => {
    const seen: string[] = [];
    const aborter2 = new AbortController();
    const stream = new ShapeStream<{ id: string; notes: string }>({
      url: `${server.url}/api/shapes/bookings`,
      headers: { cookie: cookies['sam@example.com'] as string },
      signal: aborter2.signal,
      fetchClient: async (input, init) => {
        const res = await fetch(input, init);
        const live = new URL(String(input instanceof Request ? input.url : input)).searchParams.get('live');
        seen.push(
          `${live === 'true' ? 'live' : 'initial'} ${res.status} ${res.headers.get('cache-control')}`,
        );
        return res;
      },
    });
    const notes = new Map<string, string>();
    stream.subscribe((messages) => {
      for (const m of messages) if ('key' in m) notes.set(m.value.id, m.value.notes);
    });
    try {
      await until(() => stream.isUpToDate);
      const sam = await userId('sam@example.com');
      const { rows } = await server.pool.query<{ id: string }>(
        'SELECT id FROM bookings WHERE fieldworker_id = $1 LIMIT 1',
        [sam],
      );
      const id = rows[0]?.id as string;
      await server.pool.query(`UPDATE bookings SET notes = 'kept private' WHERE id = $1`, [id]);
      await until(() => notes.get(id) === 'kept private');
      await until(() => seen.some((s) => s.startsWith('live 200')));
    } finally {
      aborter2.abort();
    }
    expect(seen.length).toBeGreaterThan(1);
    for (const s of seen) expect(s).toMatch(/ private, no-store$/);

    const first = await get('bookings', 'sam@example.com');
    const handle = first.res.headers.get('electric-handle') as string;
    const offset = first.res.headers.get('electric-offset') as string;
    const catchUp = await get('bookings', 'sam@example.com', { offset, handle });
    const stale = await get('bookings', 'sam@example.com', { offset, handle: 'not-this-one' });
    expect([first.res.status, catchUp.res.status, stale.res.status]).toEqual([200, 200, 409]);
    for (const r of [first.res, catchUp.res, stale.res])
      expect(r.headers.get('cache-control')).toBe(NOT_STORED);

    const sseAborter = new AbortController();
    const url = new URL('/api/shapes/bookings', server.url);
    for (const [k, v] of Object.entries({
      offset: catchUp.res.headers.get('electric-offset') as string,
      handle,
      live: 'true',
      live_sse: 'true',
    }))
      url.searchParams.set(k, v);
    const sse = await fetch(url, {
      headers: { cookie: cookies['sam@example.com'] as string },
      signal: sseAborter.signal,
    });
    sseAborter.abort();
    expect(sse.headers.get('content-type')).toMatch(/event-stream/);
    expect(sse.headers.get('cache-control')).toBe(NOT_STORED);
  });

  it('marks refusals no-store too', async () => {
    for (const r of [await get('bookings', null), await get('users', 'sam@example.com')]) {
      expect(r.res.headers.get('cache-control')).toMatch(/no-store/);
    }
  });
});

describe('a booking reassigned from one fieldworker to another', () => {
  it('leaves the first one’s shape and enters the second one’s', async () => {
    const [sam, alex] = [await userId('sam@example.com'), await userId('alex@example.com')];
    const follow = (who: string) => {
      const ids = new Set<string>();
      const stream = new ShapeStream<{ id: string }>({
        url: `${server.url}/api/shapes/bookings`,
        headers: { cookie: cookies[who] as string },
        signal: aborter.signal,
      });
      stream.subscribe((messages) => {
        for (const m of messages) {
          if (!('key' in m)) continue;
          if (m.headers.operation === 'delete') ids.delete(m.value.id);
          else ids.add(m.value.id);
        }
      });
      return { stream, ids };
    };
    const a = follow('sam@example.com');
    const b = follow('alex@example.com');
    await until(() => a.stream.isUpToDate && b.stream.isUpToDate);
    const { rows } = await server.pool.query<{ id: string }>(
      'SELECT id FROM bookings WHERE fieldworker_id = $1 ORDER BY starts_at LIMIT 1',
      [sam],
    );
    const id = rows[0]?.id as string;
    expect(a.ids.has(id)).toBe(true);
    expect(b.ids.has(id)).toBe(false);
    await server.pool.query('UPDATE bookings SET fieldworker_id = $1 WHERE id = $2', [alex, id]);
    await until(() => !a.ids.has(id) && b.ids.has(id));
  });
});
