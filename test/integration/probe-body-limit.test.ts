// An outside probe sent a 400 MB POST to /api/trpc with no session and the server took it
// all into memory. Bodies are now bounded before anything reads them, and so is the
// number of procedures one batched request may call.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/boot.ts';
import { DEMO_PASSWORD, DEMO_SIGN_INS } from '../../server/demo/seed-demo.ts';
import { MAX_BATCH_PROCEDURES, MAX_REQUEST_BYTES } from '../../shared/limits.ts';
import { startTestServer } from './helpers.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

interface Answer {
  readonly status: number;
  readonly body: string;
  /** How many body bytes the client got to write before the server answered. */
  readonly written: number;
}

/**
 * POSTs up to `total` bytes of JSON-ish filler in 64 KiB chunks (one buffer, reused, so the
 * client holds almost nothing), stopping as soon as the server answers. With
 * `declareLength` the size is sent up front as Content-Length, else the body is chunked.
 */
function postLarge(total: number, declareLength: boolean): Promise<Answer> {
  const { hostname, port } = new URL(server.url);
  const chunk = Buffer.alloc(64 * 1024, 'a');
  return new Promise((resolve, reject) => {
    let written = 0;
    let answered = false;
    const req = http.request({
      host: hostname === 'localhost' ? '127.0.0.1' : hostname,
      port,
      method: 'POST',
      path: '/api/trpc/auth.requestSignInLink',
      headers: {
        'content-type': 'application/json',
        ...(declareLength ? { 'content-length': String(total) } : { 'transfer-encoding': 'chunked' }),
      },
    });
    req.on('response', (res) => {
      answered = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, written }));
      res.on('error', reject);
    });
    // The server may close the connection while we are still writing: expected once it answered.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const pump = () => {
      while (!answered && written < total) {
        const piece = chunk.subarray(0, Math.min(chunk.length, total - written));
        written += piece.length;
        if (!req.write(piece)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

const rss = () => process.memoryUsage().rss;

describe('request body size', () => {
  it('refuses a body declared larger than the limit with 413, before reading it', async () => {
    const before = rss();
    const answer = await postLarge(200 * 1024 * 1024, true);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error.message).toBe(
      'This request is too large: the server accepts at most 1 MB at once.',
    );
    // The server answered long before the client could write 200 MB.
    expect(answer.written).toBeLessThan(100 * 1024 * 1024);
    expect(rss() - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('stops reading a chunked body at the limit and answers 413', async () => {
    const before = rss();
    const answer = await postLarge(200 * 1024 * 1024, false);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error.message).toMatch(/^This request is too large/);
    expect(answer.written).toBeLessThan(100 * 1024 * 1024);
    expect(rss() - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('still takes the largest legitimate input: an email template at its maximum size', async () => {
    const signIn = await fetch(`${server.url}/api/trpc/auth.staffSignIn`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: DEMO_SIGN_INS.admin, password: DEMO_PASSWORD, app: 'admin' }),
    });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] as string;
    // 50,000 characters of three UTF-8 bytes each, twice: about 300 KB of JSON.
    const filler = '€'.repeat(49_000);
    const body = JSON.stringify({
      kind: 'sign_in',
      writeId: randomUUID(),
      subject: 'Your sign-in link',
      bodyHtml: `<p>{{sign_in_link}}</p>${filler}`,
      bodyText: `{{sign_in_link}} ${filler}`,
    });
    expect(Buffer.byteLength(body)).toBeGreaterThan(250_000);
    expect(Buffer.byteLength(body)).toBeLessThan(MAX_REQUEST_BYTES);
    const saved = await fetch(`${server.url}/api/trpc/emails.saveTemplate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body,
    });
    expect(saved.status).toBe(200);
  });
});

describe('batched requests', () => {
  const batch = (count: number) => {
    const paths = Array.from({ length: count }, () => 'portal.services').join(',');
    const input = Object.fromEntries(Array.from({ length: count }, (_, i) => [i, {}]));
    return fetch(
      `${server.url}/api/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`,
    );
  };

  it(`answers a batch of up to ${MAX_BATCH_PROCEDURES} procedures`, async () => {
    const response = await batch(MAX_BATCH_PROCEDURES);
    expect(response.status).toBe(200);
    expect(await response.json()).toHaveLength(MAX_BATCH_PROCEDURES);
  });

  it('refuses a larger batch with a readable 400', async () => {
    const response = await batch(MAX_BATCH_PROCEDURES + 1);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.message).toBe(
      `One request may call at most ${MAX_BATCH_PROCEDURES} procedures; this one called ${MAX_BATCH_PROCEDURES + 1}.`,
    );
  });

  it('refuses a huge batch by POST too, without running any of it', async () => {
    const count = 500; // about 6.5 KB of URL, within Node's header limit
    const paths = Array.from({ length: count }, () => 'auth.signOut').join(',');
    const response = await fetch(`${server.url}/api/trpc/${paths}?batch=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toMatch(/^One request may call at most/);
  });
});
