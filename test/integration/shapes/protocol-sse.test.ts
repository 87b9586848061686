// live_sse on the wire: one `data:` event per message, an up-to-date after each
// transaction, keep-alive comments while nothing happens, and the stream's headers.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningShapes, readToUpToDate, shapeUrl, startShapes, until } from './support.ts';

let s: RunningShapes;
beforeAll(async () => {
  s = await startShapes({ timings: { keepaliveMs: 150, sseTimeoutMs: 5_000 } });
  await s.db.query('CREATE TABLE items (id int PRIMARY KEY, title text)');
  await s.db.query(`INSERT INTO items VALUES (1, 'one')`);
});
afterAll(() => s.stop());

it('streams changes as server-sent events, with keep-alives in between', async () => {
  const { handle, offset } = await readToUpToDate(s.url, { table: 'items' });
  const aborter = new AbortController();
  const res = await fetch(
    shapeUrl(s.url, { table: 'items', handle, offset, live: 'true', live_sse: 'true' }),
    {
      headers: { accept: 'text/event-stream' },
      signal: aborter.signal,
    },
  );
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/event-stream');
  expect(res.headers.get('cache-control')).toBe('public, max-age=4');
  expect(res.headers.get('electric-handle')).toBe(handle);
  expect(res.headers.get('electric-cursor')).toMatch(/^\d+$/);
  let text = '';
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      text += decoder.decode(value, { stream: true });
    }
  })();
  await until(() => text.includes(': keep-alive\n\n'));
  await s.db.query(`INSERT INTO items VALUES (2, 'two'), (3, 'three')`);
  await until(() => (text.match(/^data: /gm) ?? []).length >= 3);
  const events = text
    .split('\n\n')
    .filter((e) => e.startsWith('data: '))
    .map((e) => JSON.parse(e.slice('data: '.length)) as { key?: string; headers: Record<string, unknown> });
  expect(events.map((e) => e.key ?? e.headers.control)).toEqual([
    '"public"."items"/"2"',
    '"public"."items"/"3"',
    'up-to-date',
  ]);
  expect(BigInt(events[2]?.headers.global_last_seen_lsn as string)).toBeGreaterThanOrEqual(
    BigInt(events[1]?.headers.lsn as string),
  );
  aborter.abort();
});
