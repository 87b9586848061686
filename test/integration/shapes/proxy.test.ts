// ELECTRIC_URL set: the product server starts no shape service of its own, and the gatekeeper
// streams shapes from the Electric it points at — here `npm run shapes` as a separate
// process, a real server of the Electric protocol — long-poll and SSE alike.
import { ShapeStream } from '@electric-sql/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSession } from '../../../server/auth/sessions.ts';
import type { RunningServer } from '../../../server/boot.ts';
import { createPool, type Pool } from '../../../server/db/pool.ts';
import { seedDemoData } from '../../../server/demo/seed-demo.ts';
import { freshDatabase, sessionOf, startTestServer } from '../helpers.ts';
import { type ShapesProcess, spawnShapes } from './standalone-process.ts';
import { until } from './support.ts';

let electric: ShapesProcess;
let server: RunningServer;
let db: Pool;
let cookie: string;
let sam: string;
const aborter = new AbortController();

beforeAll(async () => {
  const databaseUrl = await freshDatabase();
  db = createPool(databaseUrl);
  await seedDemoData(db);
  electric = await spawnShapes({ DATABASE_URL: databaseUrl, ELECTRIC_SECRET: 'upstream-secret' });
  await electric.ready();
  server = await startTestServer({
    DATABASE_URL: databaseUrl,
    SEED_DEMO: 'false',
    ELECTRIC_URL: electric.url,
    ELECTRIC_SECRET: 'upstream-secret',
  });
  const session = await sessionOf(db, 'sam@example.com');
  if (session.role === 'customer') throw new Error('sam is staff');
  sam = session.userId;
  cookie = `session=${(await createSession(db, { role: 'fieldworker', userId: sam })).token}`;
});
afterAll(async () => {
  aborter.abort();
  await server?.stop();
  await electric?.stop();
  await db?.end();
});

it('has no embedded service of its own', async () => {
  expect((await fetch(new URL('/v1/shape?table=bookings&offset=-1', server.url))).status).toBe(404);
});

it('fixes the shape and streams it from Electric, privately', async () => {
  const res = await fetch(new URL('/api/shapes/bookings?offset=-1', server.url), { headers: { cookie } });
  expect(res.status).toBe(200);
  expect(res.headers.get('electric-handle')).toBeTruthy();
  // Electric's answer is public and kept for a week; one person's rows must not be kept at all.
  expect(res.headers.get('cache-control')).toBe('private, no-store');
  expect(res.headers.get('access-control-allow-origin')).toBeNull();
  const rows = ((await res.json()) as { key?: string; value: Record<string, unknown> }[]).filter(
    (m) => m.key,
  );
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.every((r) => r.value.fieldworker_id === sam && !('price_minor' in r.value))).toBe(true);
  for (const widening of ['where=true', 'where[]=true', 'TABLE=users']) {
    const refused = await fetch(new URL(`/api/shapes/bookings?offset=-1&${widening}`, server.url), {
      headers: { cookie },
    });
    expect(refused.status).toBe(400);
  }
});

it.each([false, true])('passes live changes through as they happen (SSE: %s)', async (liveSse) => {
  const titles = new Map<string, string>();
  const live: URL[] = [];
  const stream = new ShapeStream<{ id: string; notes: string }>({
    url: `${server.url}/api/shapes/bookings`,
    headers: { cookie },
    signal: aborter.signal,
    liveSse,
    fetchClient: (input, init) => {
      const url = new URL(String(input instanceof Request ? input.url : input));
      if (url.searchParams.get('live') === 'true') live.push(url);
      return fetch(input, init);
    },
  });
  stream.subscribe((messages) => {
    for (const m of messages)
      if ('key' in m && m.value.notes !== undefined) titles.set(m.value.id, m.value.notes);
  });
  await until(() => stream.isUpToDate);
  const { rows } = await db.query<{ id: string }>(
    'SELECT id FROM bookings WHERE fieldworker_id = $1 LIMIT 1',
    [sam],
  );
  const id = rows[0]?.id as string;
  const note = `through the proxy (${liveSse ? 'sse' : 'long-poll'})`;
  await db.query('UPDATE bookings SET notes = $1 WHERE id = $2', [note, id]);
  await until(() => titles.get(id) === note);
  // It came the way asked for: with SSE, no request fell back to long-polling.
  expect(live.length).toBeGreaterThan(0);
  expect(live.every((u) => (u.searchParams.get('live_sse') === 'true') === liveSse)).toBe(true);
});
