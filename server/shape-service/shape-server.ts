// Answering one shape request, whoever asked: the raw API (service.ts) or the gatekeeper,
// which fixes the shape definition itself.
//
// A request walks one path: find the shape for its definition (validating a new definition
// against the database once), answer 409 if the client's handle is not that shape's, then
//   offset=-1        → the first snapshot chunk        (electric-offset 0_0)
//   offset=0_<k>     → snapshot chunk k+1 (0_<k+1>), or, past the last chunk, the log as from 0_inf
//   offset=now       → an up-to-date at the shape's end, no data
//   offset=0_inf / <lsn>_<op> → the log after that offset, ending with up-to-date when
//                      it reaches the end; live requests wait for the next change first.
//                      An offset past the log's end waits a little (half a long poll) for
//                      the stream to catch up, as after a restart, before it is refused.
//
// About 400 lines, kept together: every branch shares the same waiting and response-writing
// helpers and the per-shape caches of encoded bodies.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type pg from 'pg';
import type { LogEntry } from './changes.ts';
import type { Logger } from './logger.ts';
import { BEFORE_ALL, formatOffset, type LogOffset, maxOffset, SNAPSHOT_END } from './offset.ts';
import { type FollowParams, type ParamErrors, parseShapeParams, type SubsetParams } from './params.ts';
import { ParkedPolls } from './parked-polls.ts';
import { ReplicationUnavailableError } from './replication.ts';
import {
  type CacheKind,
  MUST_REFETCH_BODY,
  nextCursor,
  sendError,
  sendInvalid,
  sendJson,
  setCacheControl,
  upToDate,
} from './response.ts';
import type { ShapeCache } from './shape-cache.ts';
import { defineShape, type ShapeDefinition, type ShapeParams } from './shape-definition.ts';
import type { ShapeLog } from './shape-log.ts';
import { defineSubset, runSubset } from './subset.ts';
import { electricSchema } from './table-info.ts';

export interface ServeTimings {
  /** How long a live request waits for a change (Electric: 20 s). */
  readonly longPollMs: number;
  /** How long an SSE response stays open (Electric: 60 s). */
  readonly sseTimeoutMs: number;
  /** Comment lines on a quiet SSE response (Electric: 21 s). */
  readonly keepaliveMs: number;
}

export const DEFAULT_TIMINGS: ServeTimings = {
  longPollMs: 20_000,
  sseTimeoutMs: 60_000,
  keepaliveMs: 21_000,
};

export interface ServeOptions {
  /**
   * The cache-control of every response to this request, in place of Electric's (public, for
   * CDNs): for a caller that serves one person's shape, which no shared cache may keep.
   */
  readonly cacheControl?: string;
}

type Outcome = 'ok' | 'gone' | 'failed' | 'closed';

/** Resolves when `ready()` holds, the shape is gone or failed, or the client left. */
function waitFor(shape: ShapeLog, ready: () => boolean, res: ServerResponse): Promise<Outcome> {
  const check = (): Outcome | null =>
    shape.gone ? 'gone' : shape.snapshotState === 'failed' ? 'failed' : ready() ? 'ok' : null;
  const now = check();
  if (now) return Promise.resolve(now);
  return new Promise((resolve) => {
    const finish = (o: Outcome) => {
      unsubscribe();
      res.off('close', onClose);
      resolve(o);
    };
    const unsubscribe = shape.subscribe(() => {
      const o = check();
      if (o) finish(o);
    });
    const onClose = () => finish('closed');
    res.on('close', onClose);
  });
}

interface LogBody {
  readonly version: number;
  readonly globalLsn: bigint;
  /** Encoded once, written to every client at this offset. */
  readonly body: Buffer;
  readonly end: LogOffset;
  readonly complete: boolean;
  readonly count: number;
}

export class ShapeServer {
  /** Checked definitions by the exact parameters that asked for them. */
  private readonly definitions = new Map<string, ShapeDefinition>();
  /** Response bodies per shape and offset, valid while the shape's version stands. */
  private readonly bodies = new WeakMap<ShapeLog, Map<string, LogBody>>();
  private etagSeq = 0;
  /** Responses whose caller set their cache-control (the gatekeeper: one person's rows). */
  private readonly cacheControl = new WeakMap<ServerResponse, string>();

  /** Live long-polls waiting for a change, answered together. */
  private readonly polls: ParkedPolls<LogBody>;

  constructor(
    private readonly cache: ShapeCache,
    private readonly pool: pg.Pool,
    private readonly log: Logger,
    private readonly timings: ServeTimings,
  ) {
    this.polls = new ParkedPolls(timings.longPollMs, (shape, from) => this.logBody(shape, from));
  }

  /** Live long-polls parked right now, waiting for a change. */
  get parkedPolls(): number {
    return this.polls.count;
  }

  /** The live shape for these parameters, or the errors that make them invalid. */
  async shapeFor(params: ShapeParams): Promise<{ shape: ShapeLog } | { errors: ParamErrors }> {
    // Stopping: a request still waiting is told to come back (503), not to refetch (409), so
    // that after the restart it resumes the shape kept on disk.
    if (this.cache.stopped)
      throw new ReplicationUnavailableError('The shape service is restarting; try again shortly.');
    await this.cache.restoring;
    const raw = JSON.stringify([
      params.table,
      params.where,
      params.params,
      params.columns,
      params.replica,
      params.log,
    ]);
    const known = this.definitions.get(raw);
    const current = known && this.cache.find(known.key);
    if (current) return { shape: current };
    // New, or its shape was retired (perhaps because the table changed): ask the catalog again.
    const result = await defineShape(this.pool, params);
    if (!result.ok) return { errors: result.errors };
    if (this.definitions.size > 10_000) this.definitions.clear();
    this.definitions.set(raw, result.definition);
    return { shape: this.cache.getOrCreate(result.definition, params) };
  }

  /** Answers a shape request whose definition and follow parameters are already parsed. */
  async serve(
    req: IncomingMessage,
    res: ServerResponse,
    params: ShapeParams,
    follow: FollowParams,
    options: ServeOptions = {},
  ): Promise<void> {
    await this.guarded(res, options, () => this.serveUnsafe(req, res, params, follow));
  }

  /**
   * Answers a subset snapshot of the shape (GET with `subset__*`, or POST): its rows that match
   * the subset, with the metadata that places them in the stream (subset.ts).
   */
  async serveSubset(
    res: ServerResponse,
    params: ShapeParams,
    follow: FollowParams,
    subsetParams: SubsetParams,
    options: ServeOptions = {},
  ): Promise<void> {
    await this.guarded(res, options, async () => {
      if (follow.sse) {
        sendError(res, 400, {
          message: 'Subset snapshots are a stable view of data, so SSE is not applicable',
        });
        return;
      }
      const found = await this.shapeFor(params);
      if ('errors' in found) return sendInvalid(res, found.errors);
      const shape = found.shape;
      shape.touch();
      if (follow.handle !== null && follow.handle !== shape.handle) return this.mustRefetch(res, shape);
      const ready = await waitFor(shape, () => shape.ready, res);
      if (ready !== 'ok') return this.notServed(res, params, shape, ready);
      const checked = await defineSubset(this.pool, shape.definition, subsetParams);
      if ('errors' in checked) return sendInvalid(res, checked.errors);
      const body = await runSubset(this.pool, shape.definition, checked.subset);
      // Where the client's stream goes on from, as Electric's seek would place it.
      const offset =
        follow.offset === 'now'
          ? shape.lastOffset()
          : follow.offset.lsn < 0n
            ? { lsn: 0n, op: 0 }
            : follow.offset;
      res.setHeader('cache-control', this.cacheControl.get(res) ?? 'no-cache');
      res.setHeader('electric-snapshot', 'true');
      res.setHeader('electric-handle', shape.handle);
      res.setHeader('electric-schema', this.schemaHeader(shape));
      res.setHeader('electric-offset', formatOffset(offset));
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.setHeader('content-length', body.length);
      res.statusCode = 200;
      res.end(body);
    });
  }

  /** Runs a request's answer; errors become Electric's 503 (no replication) or a 500 sentence. */
  private async guarded(
    res: ServerResponse,
    options: ServeOptions,
    answer: () => Promise<void>,
  ): Promise<void> {
    if (options.cacheControl !== undefined) this.cacheControl.set(res, options.cacheControl);
    try {
      await answer();
    } catch (error) {
      this.failed(res, error);
    }
  }

  /** An answer that threw: Electric's 503 if replication is down, else a 500 sentence. */
  failed(res: ServerResponse, error: unknown): void {
    if (res.headersSent) {
      res.end();
      return;
    }
    if (error instanceof ReplicationUnavailableError) {
      res.setHeader('retry-after', '10');
      sendError(res, 503, { message: error.message });
      return;
    }
    this.log.error('shapes: request failed', error);
    sendError(res, 500, { message: 'Unable to serve the shape; please retry.' });
  }

  private async serveUnsafe(
    req: IncomingMessage,
    res: ServerResponse,
    params: ShapeParams,
    follow: FollowParams,
  ): Promise<void> {
    const found = await this.shapeFor(params);
    if ('errors' in found) {
      sendInvalid(res, found.errors);
      return;
    }
    const shape = found.shape;
    shape.touch();
    if (follow.handle !== null && follow.handle !== shape.handle) {
      this.mustRefetch(res, shape);
      return;
    }
    const offset = follow.offset;
    if (offset === 'now') {
      const o = await waitFor(shape, () => shape.ready, res);
      if (o !== 'ok') return this.notServed(res, params, shape, o);
      const end = shape.lastOffset();
      this.sendBody(req, res, shape, follow, {
        kind: 'catch-up',
        body: `[${upToDate(this.cache.globalLsn)}]`,
        end,
        upToDate: true,
        hasData: false,
      });
      return;
    }
    let from = offset;
    if (offset.lsn === BEFORE_ALL.lsn || (offset.lsn === 0n && offset.op !== SNAPSHOT_END.op)) {
      const index = offset.lsn < 0n ? 0 : offset.op + 1;
      const o = await waitFor(
        shape,
        () => shape.chunk(index) !== undefined || shape.snapshotState === 'done',
        res,
      );
      if (o !== 'ok') return this.notServed(res, params, shape, o);
      const chunk = shape.chunk(index);
      if (chunk !== undefined) {
        this.sendBody(req, res, shape, follow, {
          kind: offset.lsn < 0n ? 'initial' : 'catch-up',
          body: chunk,
          end: { lsn: 0n, op: index },
          upToDate: false,
          hasData: true,
        });
        return;
      }
      // Past the last chunk (a client revalidating a chunk it cached): the log follows.
      from = SNAPSHOT_END;
    }
    const ready = await waitFor(shape, () => shape.ready, res);
    if (ready !== 'ok') return this.notServed(res, params, shape, ready);
    if (from.lsn > shape.lastLsn() && !(await this.caughtUpTo(from.lsn, res))) {
      if (!res.headersSent && !res.writableEnded)
        sendInvalid(res, { offset: ['out of bounds for this shape'] });
      return;
    }
    if (follow.live && follow.sse) {
      this.streamSse(res, shape, follow, from);
      return;
    }
    const page = this.logBody(shape, from);
    if (follow.live && page.count === 0) {
      // Nothing new yet: parked until a change, answered with every other request at `from`.
      this.polls.park(shape, from, res, (wake) => {
        if (wake.kind === 'page') this.sendPage(req, res, shape, follow, from, wake.page);
        else if (wake.kind === 'timeout') {
          this.sendBody(req, res, shape, follow, {
            kind: 'live',
            body: `[${upToDate(this.cache.globalLsn)}]`,
            end: maxOffset(from, shape.lastOffset()),
            upToDate: true,
            hasData: false,
          });
        } else this.notServed(res, params, shape, wake.kind).catch((error) => this.failed(res, error));
      });
      return;
    }
    this.sendPage(req, res, shape, follow, from, page);
  }

  private sendPage(
    req: IncomingMessage,
    res: ServerResponse,
    shape: ShapeLog,
    follow: FollowParams,
    from: LogOffset,
    page: LogBody,
  ): void {
    this.sendBody(req, res, shape, follow, {
      kind: follow.live ? 'live' : 'catch-up',
      body: page.body,
      end: page.count ? page.end : maxOffset(from, page.end),
      upToDate: page.complete,
      hasData: page.count > 0,
    });
  }

  /**
   * Whether the stream reaches `lsn` within half a long poll (Electric's grace for a client
   * slightly ahead after a restart or handover); false if not, or if the client left.
   */
  private async caughtUpTo(lsn: bigint, res: ServerResponse): Promise<boolean> {
    const left = new AbortController();
    const onClose = () => left.abort();
    res.on('close', onClose);
    try {
      return await this.cache.waitForLsn(lsn, this.timings.longPollMs / 2, left.signal);
    } finally {
      res.off('close', onClose);
    }
  }

  /** The log after `offset` as a response body, shared by every client at that offset. */
  private logBody(shape: ShapeLog, offset: LogOffset): LogBody {
    let perShape = this.bodies.get(shape);
    if (!perShape) {
      perShape = new Map();
      this.bodies.set(shape, perShape);
    }
    const at = formatOffset(offset);
    const cached = perShape.get(at);
    if (cached && cached.version === shape.version && cached.globalLsn === this.cache.globalLsn)
      return cached;
    if (cached && cached.version !== shape.version) perShape.clear();
    const { entries, complete } = shape.entriesAfter(offset, this.cache.chunkBytes);
    const last = entries.at(-1);
    const parts = entries.map((e) => e.json);
    if (complete) parts.push(upToDate(this.upToDateLsn(last)));
    const page: LogBody = {
      version: shape.version,
      globalLsn: this.cache.globalLsn,
      body: Buffer.from(`[${parts.join(',')}]`),
      end: last ? { lsn: last.lsn, op: last.op } : shape.lastOffset(),
      complete,
      count: entries.length,
    };
    perShape.set(at, page);
    return page;
  }

  /** What an up-to-date after `last` reports: never below the changes it follows. */
  private upToDateLsn(last: LogEntry | undefined): bigint {
    const global = this.cache.globalLsn;
    return last && last.lsn > global ? last.lsn : global;
  }

  private sendBody(
    req: IncomingMessage,
    res: ServerResponse,
    shape: ShapeLog,
    follow: FollowParams,
    r: { kind: CacheKind; body: string | Buffer; end: LogOffset; upToDate: boolean; hasData: boolean },
  ): void {
    const requested = follow.offset === 'now' ? 'now' : formatOffset(follow.offset);
    const end = formatOffset(r.end);
    const unique = r.hasData ? '' : `:${Date.now()}${this.etagSeq++}`;
    const etag = `"${shape.handle}:${requested}:${end}${unique}"`;
    setCacheControl(res, r.kind, this.timings.sseTimeoutMs, this.cacheControl.get(res) ?? null);
    res.setHeader('electric-handle', shape.handle);
    res.setHeader('electric-offset', end);
    res.setHeader('electric-has-data', String(r.hasData));
    res.setHeader('etag', etag);
    if (r.upToDate) res.setHeader('electric-up-to-date', '');
    if (follow.live) res.setHeader('electric-cursor', nextCursor(this.timings.longPollMs, follow.cursor));
    else res.setHeader('electric-schema', this.schemaHeader(shape));
    res.setHeader('content-type', 'application/json; charset=utf-8');
    const inm = req.headers['if-none-match'];
    if (inm?.split(',').some((t) => t.trim() === etag)) {
      res.statusCode = 304;
      res.end();
      return;
    }
    // Plain Node rather than Express's send(): a change fans out to every live client at once,
    // and this is the whole per-client cost of it.
    const body = typeof r.body === 'string' ? Buffer.from(r.body) : r.body;
    res.statusCode = 200;
    res.setHeader('content-length', body.length);
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  private readonly schemas = new WeakMap<ShapeLog, string>();

  private schemaHeader(shape: ShapeLog): string {
    let header = this.schemas.get(shape);
    if (header === undefined) {
      header = JSON.stringify(electricSchema(shape.definition.columns));
      this.schemas.set(shape, header);
    }
    return header;
  }

  /** 409: the client's handle is not (or no longer) the shape for its definition. */
  private mustRefetch(res: ServerResponse, current: ShapeLog | null): void {
    setCacheControl(res, 'must-refetch', this.timings.sseTimeoutMs, this.cacheControl.get(res) ?? null);
    if (current) res.setHeader('electric-handle', current.handle);
    sendJson(res, 409, MUST_REFETCH_BODY);
  }

  /** The shape went away (or failed) while the request waited for it. */
  private async notServed(
    res: ServerResponse,
    params: ShapeParams,
    shape: ShapeLog,
    outcome: Outcome,
  ): Promise<void> {
    if (outcome === 'closed' || res.headersSent) return;
    if (outcome === 'failed' && shape.snapshotError) {
      const error = shape.snapshotError;
      if (error instanceof ReplicationUnavailableError) throw error;
      res.setHeader('retry-after', '5');
      sendError(res, 503, { message: `The shape's snapshot failed: ${error.message}` });
      return;
    }
    const next = await this.shapeFor(params);
    this.mustRefetch(res, 'shape' in next ? next.shape : null);
  }

  /** Live changes as server-sent events, for as long as sseTimeoutMs. */
  private streamSse(res: ServerResponse, shape: ShapeLog, follow: FollowParams, from: LogOffset): void {
    setCacheControl(res, 'live-sse', this.timings.sseTimeoutMs, this.cacheControl.get(res) ?? null);
    res.statusCode = 200;
    res.setHeader('content-type', 'text/event-stream');
    res.setHeader('connection', 'keep-alive');
    res.setHeader('x-accel-buffering', 'no');
    res.setHeader('electric-handle', shape.handle);
    res.setHeader('electric-offset', formatOffset(from));
    res.setHeader('electric-cursor', nextCursor(this.timings.longPollMs, follow.cursor));
    res.flushHeaders();
    let sent = from;
    let lastWrite = Date.now();
    const push = () => {
      if (shape.gone) {
        done();
        return;
      }
      const { entries } = shape.entriesAfter(sent, Number.POSITIVE_INFINITY);
      const last = entries.at(-1);
      if (!last) return;
      let out = '';
      for (const e of entries) out += `data: ${e.json}\n\n`;
      out += `data: ${upToDate(this.upToDateLsn(last))}\n\n`;
      res.write(out);
      sent = { lsn: last.lsn, op: last.op };
      lastWrite = Date.now();
    };
    const unsubscribe = shape.subscribe(push);
    const keepalive = setInterval(() => {
      if (Date.now() - lastWrite >= this.timings.keepaliveMs - 50) {
        res.write(': keep-alive\n\n');
        lastWrite = Date.now();
      }
    }, this.timings.keepaliveMs);
    const timeout = setTimeout(() => done(), this.timings.sseTimeoutMs);
    let finished = false;
    const done = () => {
      if (finished) return;
      finished = true;
      unsubscribe();
      clearInterval(keepalive);
      clearTimeout(timeout);
      res.end();
    };
    // The response's 'close' is the one that means the client went away (or we ended).
    res.on('close', done);
    push();
  }

  // --- raw API plumbing ---

  async deleteShape(res: ServerResponse, query: URLSearchParams): Promise<void> {
    const handle = query.get('handle');
    let shape: ShapeLog | undefined;
    if (query.get('table')) {
      const errors: ParamErrors = {};
      const params = parseShapeParams(query, errors);
      if (!params) return sendInvalid(res, errors);
      const result = await defineShape(this.pool, params);
      if (!result.ok) return sendInvalid(res, result.errors);
      shape = this.cache.find(result.definition.key);
      if (shape && handle && shape.handle !== handle) shape = undefined;
    } else if (handle) {
      shape = this.cache.get(handle);
    } else {
      return sendInvalid(res, { handle: ["can't be blank when shape definition is missing"] });
    }
    if (!shape) return sendError(res, 404, { message: 'Shape not found' });
    this.cache.remove(shape, 'deleted');
    setCacheControl(res, 'error', 0);
    res.statusCode = 202;
    res.end();
  }
}
