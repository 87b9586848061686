// Helpers for the shape tests: the embedded shape service on its own fresh database and port,
// exactly as `npm run shapes` serves it, and small probes of its HTTP API.
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import {
  createShapeService,
  type ShapeService,
  type ShapeServiceOptions,
} from '../../../server/shape-service/embedded.ts';
import { dropInactiveSlots, freshDatabase, silentLog } from '../helpers.ts';

export const SECRET = 'test-secret';

export interface RunningShapes {
  readonly url: string;
  readonly databaseUrl: string;
  /** A plain pool on the same database, for writing test data. */
  readonly db: pg.Pool;
  readonly service: ShapeService;
  readonly storageDir: string;
  /** Stops the HTTP server and the service; keeps the database, its slot and the kept shapes. */
  stopService(): Promise<void>;
  /** Stops everything and drops the slot the service kept (slots are few, and hold WAL). */
  stop(): Promise<void>;
}

/**
 * The service on a fresh database (or `databaseUrl`), keeping its shapes in a fresh folder (or
 * `storageDir`: the same folder again is a restart that resumes).
 */
export async function startShapes(
  options: Partial<ShapeServiceOptions> & { databaseUrl?: string; port?: number } = {},
): Promise<RunningShapes> {
  const databaseUrl = options.databaseUrl ?? (await freshDatabase());
  const storageDir = options.storageDir ?? mkdtempSync(path.join(os.tmpdir(), 'shapes-it-'));
  const service = createShapeService({
    log: silentLog,
    secret: SECRET,
    allowDelete: true,
    ...options,
    databaseUrl,
    storageDir,
  });
  const server = http.createServer((req, res) =>
    service.handle(req, res, () => {
      res.statusCode = 404;
      res.end();
    }),
  );
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const db = new pg.Pool({ connectionString: databaseUrl, max: 12 });
  let serviceStopped = false;
  const stopService = async () => {
    if (serviceStopped) return;
    serviceStopped = true;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await service.stop();
  };
  return {
    url,
    databaseUrl,
    db,
    service,
    storageDir,
    stopService,
    async stop() {
      await stopService();
      await dropInactiveSlots(databaseUrl);
      await db.end();
    },
  };
}

/** The raw shape URL for `params` (secret included unless given as null). */
export function shapeUrl(base: string, params: Record<string, string | null | undefined>): string {
  const url = new URL('/v1/shape', base);
  const all: Record<string, string | null | undefined> = { secret: SECRET, ...params };
  for (const [k, v] of Object.entries(all)) if (v !== null && v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

export interface ShapeResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
  readonly messages: Record<string, unknown>[];
}

export async function getShape(
  base: string,
  params: Record<string, string | null | undefined>,
): Promise<ShapeResponse> {
  const res = await fetch(shapeUrl(base, params));
  const text = await res.text();
  const body: unknown = text ? JSON.parse(text) : null;
  return { status: res.status, headers: res.headers, body, messages: Array.isArray(body) ? body : [] };
}

/** Follows a shape from -1 to its first up-to-date, like a client would, returning every message. */
export async function readToUpToDate(
  base: string,
  params: Record<string, string>,
): Promise<{ handle: string; offset: string; messages: Record<string, unknown>[] }> {
  let handle: string | undefined;
  let offset = '-1';
  const messages: Record<string, unknown>[] = [];
  for (let i = 0; i < 1000; i++) {
    const r = await getShape(base, { ...params, offset, handle });
    if (r.status !== 200) throw new Error(`status ${r.status}: ${JSON.stringify(r.body)}`);
    handle = r.headers.get('electric-handle') ?? undefined;
    offset = r.headers.get('electric-offset') ?? offset;
    messages.push(...r.messages);
    if (r.headers.has('electric-up-to-date')) return { handle: handle as string, offset, messages };
  }
  throw new Error('never up to date');
}

export const isChange = (m: Record<string, unknown>) => 'key' in m;
export const headersOf = (m: Record<string, unknown>) => m.headers as Record<string, unknown>;

/** Polls until `probe` returns something truthy. */
export async function until<T>(probe: () => T | Promise<T>, ms = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`gave up after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
