// Where responses end, as Electric ends them: snapshot chunks labelled 0_0, 0_1, …; an offset
// past the last chunk served from the log; a transaction larger than the chunk threshold split
// across responses (and still applied whole by the official client); an offset a little ahead
// of the stream answered once the stream gets there, and refused only after a grace period.
import { ShapeStream } from '@electric-sql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getShape,
  headersOf,
  isChange,
  type RunningShapes,
  readToUpToDate,
  SECRET,
  startShapes,
} from './support.ts';

const THRESHOLD = 10 * 1024;
let s: RunningShapes;
const aborter = new AbortController();

beforeAll(async () => {
  s = await startShapes({ chunkBytes: THRESHOLD, timings: { longPollMs: 1000 } });
  await s.db.query('CREATE TABLE items (id int PRIMARY KEY, pad text NOT NULL)');
  await s.db.query(`INSERT INTO items SELECT g, repeat('s', 200) FROM generate_series(1, 150) g`);
});
afterAll(async () => {
  aborter.abort();
  await s.stop();
});

const ids = (messages: Record<string, unknown>[]) =>
  messages.filter(isChange).map((m) => Number((m.value as { id: string }).id));

describe('snapshot chunks', () => {
  it('labels them 0_0, 0_1, … and continues past the last one into the log', async () => {
    const offsets: string[] = [];
    let offset = '-1';
    let handle: string | undefined;
    const seen: number[] = [];
    for (;;) {
      const r = await getShape(s.url, { table: 'items', offset, handle });
      expect(r.status).toBe(200);
      offset = r.headers.get('electric-offset') as string;
      handle = r.headers.get('electric-handle') as string;
      offsets.push(offset);
      seen.push(...ids(r.messages));
      if (r.headers.has('electric-up-to-date')) break;
    }
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
    const chunks = offsets.slice(0, -1);
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks).toEqual(chunks.map((_, i) => `0_${i}`));
    expect(offsets.at(-1)).toBe('0_inf');
  });

  it('answers an offset past the last chunk with the log, not an error', async () => {
    const { handle } = await readToUpToDate(s.url, { table: 'items' });
    await s.db.query(`UPDATE items SET pad = 'changed' WHERE id = 7`);
    const r = await waitForChange(handle, '0_99');
    expect(r.status).toBe(200);
    expect(r.headers.has('electric-up-to-date')).toBe(true);
    expect(r.messages.filter(isChange).map((m) => headersOf(m).operation)).toContain('update');
  });
});

/** The log from `offset`, asked again until the change has reached it. */
async function waitForChange(handle: string, offset: string) {
  for (let i = 0; i < 100; i++) {
    const r = await getShape(s.url, { table: 'items', offset, handle });
    if (r.messages.some(isChange)) return r;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error('the change never arrived');
}

describe('a transaction larger than a chunk', () => {
  it('comes in several responses, each near the threshold, only the last up to date', async () => {
    const { handle, offset: start } = await readToUpToDate(s.url, { table: 'items' });
    // ~35 kB in one transaction, over three times the threshold.
    await s.db.query(`INSERT INTO items SELECT g, repeat('t', 300) FROM generate_series(1001, 1100) g`);
    let offset = start;
    const sizes: number[] = [];
    const ends: string[] = [];
    const got: number[] = [];
    for (;;) {
      const r = await getShape(s.url, { table: 'items', offset, handle, live: 'true' });
      expect(r.status).toBe(200);
      offset = r.headers.get('electric-offset') as string;
      if (r.messages.some(isChange)) {
        sizes.push(JSON.stringify(r.body).length);
        ends.push(offset);
        got.push(...ids(r.messages));
      }
      if (r.headers.has('electric-up-to-date') && got.length > 0) break;
      if (!r.headers.has('electric-up-to-date')) {
        // Cut inside the transaction: never right after its first operation.
        expect(offset).toMatch(/^\d+_[1-9]\d*$/);
      }
    }
    expect(got).toEqual(Array.from({ length: 100 }, (_, i) => 1001 + i));
    expect(sizes.length).toBeGreaterThanOrEqual(3);
    const oneMessage = 1000;
    for (const size of sizes) expect(size).toBeLessThan(THRESHOLD + oneMessage);
    // Every response but the last ends inside the same transaction.
    const lsns = new Set(ends.map((e) => e.split('_')[0]));
    expect(lsns.size).toBe(1);
  });

  it('reaches the official client whole: no up-to-date in the middle of it', async () => {
    const stream = new ShapeStream({
      url: `${s.url}/v1/shape`,
      params: { table: 'items', secret: SECRET },
      signal: aborter.signal,
    });
    let inserted = 0;
    const countsAtUpToDate: number[] = [];
    stream.subscribe((messages) => {
      for (const m of messages as unknown as Record<string, unknown>[]) {
        if (isChange(m) && (ids([m])[0] ?? 0) > 2000) inserted++;
        if (headersOf(m).control === 'up-to-date') countsAtUpToDate.push(inserted);
      }
    });
    while (countsAtUpToDate.length === 0) await new Promise((done) => setTimeout(done, 20));
    await s.db.query(`INSERT INTO items SELECT g, repeat('u', 300) FROM generate_series(2001, 2100) g`);
    for (let i = 0; i < 200 && inserted < 100; i++) await new Promise((done) => setTimeout(done, 25));
    await new Promise((done) => setTimeout(done, 100));
    expect(inserted).toBe(100);
    expect(countsAtUpToDate.filter((n) => n !== 0 && n !== 100)).toEqual([]);
    expect(countsAtUpToDate.at(-1)).toBe(100);
  });
});

describe('an offset ahead of the stream', () => {
  it('is answered once the stream reaches it', async () => {
    const { handle } = await readToUpToDate(s.url, { table: 'items' });
    const { rows } = await s.db.query<{ lsn: string }>(`SELECT (pg_current_wal_lsn() - '0/0')::text AS lsn`);
    const ahead = `${BigInt(rows[0]?.lsn ?? '0') + 1n}_0`;
    const answer = getShape(s.url, { table: 'items', offset: ahead, handle });
    await new Promise((done) => setTimeout(done, 50));
    await s.db.query(`INSERT INTO items VALUES (3001, 'after')`);
    const r = await answer;
    expect(r.status).toBe(200);
    expect(ids(r.messages)).toEqual([3001]);
  });

  it('is refused after half a long poll when the stream never gets there', async () => {
    const { handle } = await readToUpToDate(s.url, { table: 'items' });
    const started = performance.now();
    const r = await getShape(s.url, { table: 'items', offset: '99999999999999_0', handle });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      message: 'Invalid request',
      errors: { offset: ['out of bounds for this shape'] },
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(450);
  });
});
