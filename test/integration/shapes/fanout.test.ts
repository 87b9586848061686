// One shape, 100 live clients: one change reaches every one of them, and clients that leave
// leave nothing parked behind.
import { ShapeStream } from '@electric-sql/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningShapes, SECRET, startShapes, until } from './support.ts';

let s: RunningShapes;
let aborter = new AbortController();
beforeAll(async () => {
  s = await startShapes();
  await s.db.query('CREATE TABLE items (id int PRIMARY KEY, title text)');
  await s.db.query(`INSERT INTO items VALUES (1, 'one')`);
});
afterAll(async () => {
  aborter.abort();
  await s.stop();
});

it('delivers a change to 100 live clients of one shape', async () => {
  const got = new Set<number>();
  const streams = Array.from({ length: 100 }, (_, i) => {
    const stream = new ShapeStream({
      url: `${s.url}/v1/shape`,
      params: { table: 'items', secret: SECRET },
      signal: aborter.signal,
    });
    stream.subscribe((messages) => {
      if (messages.some((m) => 'key' in m && m.key === '"public"."items"/"2"')) got.add(i);
    });
    return stream;
  });
  await until(() => streams.every((st) => st.isUpToDate));
  expect(s.service.cache.size).toBe(1);
  await s.db.query(`INSERT INTO items VALUES (2, 'two')`);
  await until(() => got.size === 100);
  await until(() => s.service.parkedPolls() === 100); // each parked again for the next change

  aborter.abort();
  aborter = new AbortController();
  await until(() => s.service.parkedPolls() === 0);
});
