// The shapes a service holds, and the one loop that feeds them from the replication stream.
//
// Order is everything here. Stream items (transactions, keepalives) are handled one at a time,
// in stream order, by `drain`; a shape created meanwhile is registered before its snapshot
// starts, so every transaction its snapshot cannot see reaches it. Until the snapshot's
// visibility is known such transactions wait in the shape's `pending` list, and are replayed
// through the same loop before anything newer, so each log is in commit order.
//
// `globalLsn` is the LSN up to which every transaction has been routed (the
// `global_last_seen_lsn` of up-to-date messages); it advances with each transaction and with
// keepalives when nothing we publish changes, and is what the slot is acknowledged to.
import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { entriesForShape } from './changes.ts';
import type { Logger } from './logger.ts';
import { evaluateInPostgres } from './row-filter.ts';
import type { DefineResult, Row, ShapeDefinition, ShapeParams } from './shape-definition.ts';
import { ShapeLog } from './shape-log.ts';
import type { LoadedShape, ShapeStore } from './shape-store.ts';
import { isVisibleInSnapshot, runSnapshot } from './snapshot.ts';
import type { TableInfo } from './table-info.ts';
import type { StreamItem, Txn } from './transaction.ts';

export interface ShapeCacheOptions {
  readonly pool: pg.Pool;
  readonly log: Logger;
  /** Makes the table's changes flow (publication, replica identity); starts the stream. */
  readonly ensureTable: (table: TableInfo) => Promise<void>;
  readonly acknowledge: (lsn: bigint) => void;
  /**
   * How many bytes of messages a response carries before it is cut: snapshot chunks and log
   * responses alike (Electric's ELECTRIC_SHAPE_CHUNK_BYTES_THRESHOLD, 10 MB).
   */
  readonly chunkBytes?: number;
  /** A shape whose log outgrows this is retired: its clients refetch a fresh snapshot. */
  readonly maxLogBytes?: number;
  /** A shape nobody asked for this long, with nobody waiting on it, is dropped. */
  readonly idleMs?: number;
  /** Where shapes are kept so that a restart can resume them. */
  readonly store: ShapeStore;
}

/** Electric's default chunk threshold. */
export const DEFAULT_CHUNK_BYTES = 10 * 1024 * 1024;

export class ShapeCache {
  private readonly byHandle = new Map<string, ShapeLog>();
  private readonly byKey = new Map<string, ShapeLog>();
  private readonly byTable = new Map<number, Set<ShapeLog>>();
  private readonly queue: StreamItem[] = [];
  private draining = false;
  /** Set by stop(): no shape is made or served any more. */
  stopped = false;
  private lastTxnLsn = 0n;
  private sweepTimer: NodeJS.Timeout;
  /** Every transaction that committed at or before this LSN is in the shape logs. */
  globalLsn = 0n;
  /** Settles once shapes kept on disk are restored and caught up; requests wait for it. */
  restoring: Promise<void> = Promise.resolve();
  private readonly lsnWaiters = new Set<() => void>();
  readonly chunkBytes: number;

  constructor(private readonly options: ShapeCacheOptions) {
    this.chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    this.sweepTimer = setInterval(() => this.sweep(), 60_000);
    this.sweepTimer.unref();
  }

  get size(): number {
    return this.byHandle.size;
  }

  shapes(): ShapeLog[] {
    return [...this.byHandle.values()];
  }

  get(handle: string): ShapeLog | undefined {
    return this.byHandle.get(handle);
  }

  /** The live shape for a definition key, if there is one. */
  find(key: string): ShapeLog | undefined {
    const shape = this.byKey.get(key);
    return shape && !shape.gone ? shape : undefined;
  }

  /** The live shape for a definition, made (and its snapshot started) if there is none. */
  getOrCreate(def: ShapeDefinition, params: ShapeParams): ShapeLog {
    const existing = this.byKey.get(def.key);
    if (existing && !existing.gone) return existing;
    const hash = createHash('sha256').update(def.key).digest('hex').slice(0, 8);
    // Handles are never reused, across restarts too: time and randomness in each.
    const handle = `${hash}-${Date.now()}${randomBytes(3).toString('hex')}`;
    const shape = new ShapeLog(handle, def, params, this.chunkBytes, this.options.store.files(handle));
    this.register(shape);
    void this.startSnapshot(shape);
    return shape;
  }

  private register(shape: ShapeLog): void {
    const def = shape.definition;
    this.byHandle.set(shape.handle, shape);
    this.byKey.set(def.key, shape);
    const set = this.byTable.get(def.table.oid) ?? new Set<ShapeLog>();
    this.byTable.set(def.table.oid, set);
    set.add(shape);
  }

  /**
   * Brings back shapes kept on disk whose definition still means the same thing (same key,
   * same table, same columns and types); the others are deleted. Call before the stream
   * resumes, so every transaction it replays reaches them.
   */
  async restore(
    loaded: readonly LoadedShape[],
    define: (params: ShapeParams) => Promise<DefineResult>,
  ): Promise<ShapeLog[]> {
    const store = this.options.store;
    const restored: ShapeLog[] = [];
    for (const saved of loaded) {
      const files = store.files(saved.stored.handle);
      const result = await define(saved.stored.params).catch(() => null);
      const def = result?.ok ? result.definition : null;
      const same =
        def !== null &&
        def.key === saved.stored.key &&
        def.table.oid === saved.stored.tableOid &&
        def.table.columns.length === saved.stored.columns.length &&
        def.table.columns.every(
          (c, i) =>
            c.name === saved.stored.columns[i]?.name && c.typeOid === saved.stored.columns[i]?.typeOid,
        );
      if (!def || !same || this.byKey.has(def.key)) {
        files.remove();
        continue;
      }
      const shape = ShapeLog.restored(saved, def, this.chunkBytes, files);
      this.register(shape);
      restored.push(shape);
    }
    return restored;
  }

  private async startSnapshot(shape: ShapeLog): Promise<void> {
    const def = shape.definition;
    try {
      await this.options.ensureTable(def.table);
      await runSnapshot(this.options.pool, def, {
        onInfo: (info) => {
          shape.snapshotInfo = info;
          // Replays whatever waited for this, in the stream's loop.
          this.enqueue({ kind: 'keepalive', walEnd: 0n });
        },
        onRows: (lines) => shape.addSnapshotRows(lines),
      });
      shape.finishSnapshot();
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      this.options.log.warn(`shapes: snapshot of ${def.table.schema}.${def.table.name} failed: ${e.message}`);
      shape.failSnapshot(e);
      this.remove(shape, `snapshot failed: ${e.message}`);
    }
  }

  /** Retires a shape: waiting clients are told (409), and its handle is never served again. */
  remove(shape: ShapeLog, reason: string): void {
    shape.invalidate(reason);
    shape.files.remove();
    this.byHandle.delete(shape.handle);
    if (this.byKey.get(shape.definition.key) === shape) this.byKey.delete(shape.definition.key);
    this.byTable.get(shape.definition.table.oid)?.delete(shape);
  }

  enqueue(item: StreamItem): void {
    this.queue.push(item);
    if (!this.draining) void this.drain();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const item = this.queue.shift() as StreamItem;
        await this.flushPending();
        if (item.kind === 'txn') {
          // After a reconnect the stream repeats what we had not acknowledged yet.
          if (item.txn.lsn <= this.lastTxnLsn) continue;
          await this.applySafely(item.txn, null);
          this.lastTxnLsn = item.txn.lsn;
          this.advance(item.txn.lsn);
        } else if (item.kind === 'keepalive') {
          if (item.walEnd > 0n) this.advance(item.walEnd - 1n);
        } else {
          for (const shape of this.shapes()) this.remove(shape, 'the replication stream restarted');
        }
      }
      if (this.globalLsn > 0n) this.options.acknowledge(this.globalLsn);
    } finally {
      this.draining = false;
    }
  }

  private advance(lsn: bigint): void {
    if (lsn <= this.globalLsn) return;
    this.globalLsn = lsn;
    for (const wake of [...this.lsnWaiters]) wake();
  }

  /**
   * Resolves true once every transaction up to `lsn` is in the logs, false after `ms` or when
   * `signal` aborts: a client a little ahead (after a restart) is answered when we catch up.
   */
  waitForLsn(lsn: bigint, ms: number, signal?: AbortSignal): Promise<boolean> {
    if (this.globalLsn >= lsn) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (reached: boolean) => {
        this.lsnWaiters.delete(check);
        clearTimeout(timer);
        signal?.removeEventListener('abort', abort);
        resolve(reached);
      };
      const check = () => {
        if (this.globalLsn >= lsn) finish(true);
      };
      const abort = () => finish(false);
      const timer = setTimeout(abort, ms);
      signal?.addEventListener('abort', abort);
      this.lsnWaiters.add(check);
    });
  }

  /** Replays the waiting transactions of shapes whose snapshot visibility is now known. */
  private async flushPending(): Promise<void> {
    for (const shape of this.byHandle.values()) {
      if (!shape.snapshotInfo || shape.ready) continue;
      while (shape.pending.length > 0 && !shape.gone) {
        const txns = shape.pending;
        shape.pending = [];
        for (const txn of txns) await this.applySafely(txn, shape);
      }
      shape.markReady();
    }
  }

  /**
   * Routes a transaction; if that fails (the database went away mid-way), the shapes it
   * touches are retired rather than left silently missing it.
   */
  private async applySafely(txn: Txn, only: ShapeLog | null): Promise<void> {
    try {
      await this.apply(txn, only);
    } catch (error) {
      this.options.log.warn(`shapes: could not route transaction ${txn.xid}: ${(error as Error).message}`);
      for (const oid of touchedTables(txn)) {
        for (const shape of [...(this.byTable.get(oid) ?? [])]) {
          if (!only || shape === only) this.remove(shape, 'a change could not be routed');
        }
      }
    }
  }

  private async apply(txn: Txn, only: ShapeLog | null): Promise<void> {
    for (const oid of touchedTables(txn)) {
      const direct: ShapeLog[] = [];
      for (const shape of [...(this.byTable.get(oid) ?? [])]) {
        if (shape.gone || (only && shape !== only)) continue;
        if (!shape.snapshotInfo || (!only && !shape.ready)) {
          shape.pending.push(txn);
          continue;
        }
        if (isVisibleInSnapshot(txn.xid, shape.snapshotInfo)) continue; // already in the snapshot
        if (txn.lsn <= shape.lastLsn()) continue; // replayed after a restart: already in its log
        const why = invalidating(txn, shape);
        if (why) {
          this.remove(shape, why);
          continue;
        }
        direct.push(shape);
      }
      if (direct.length > 0) await this.route(txn, oid, direct);
    }
  }

  /** Appends the transaction's changes on table `oid` to the shapes in `targets`. */
  private async route(txn: Txn, oid: number, targets: ShapeLog[]): Promise<void> {
    const slow = targets.filter((s) => s.definition.where && !s.definition.where.fast);
    const verdicts = new Map<ShapeLog, Map<Row, boolean>>();
    if (slow.length > 0) {
      const rows: Row[] = [];
      for (const item of txn.items) {
        if (item.kind === 'insert' && item.rel.oid === oid) rows.push(item.new);
        else if (item.kind === 'delete' && item.rel.oid === oid) rows.push(item.old);
        else if (item.kind === 'update' && item.rel.oid === oid) {
          rows.push(item.new);
          if (item.old) rows.push(item.old);
        }
      }
      const table = (slow[0] as ShapeLog).definition.table;
      const results = await evaluateInPostgres(
        this.options.pool,
        table,
        slow.map((s) => s.definition),
        rows,
      );
      slow.forEach((shape, i) => {
        const m = new Map<Row, boolean>();
        for (const [r, row] of rows.entries()) m.set(row, results[i]?.[r] ?? false);
        verdicts.set(shape, m);
      });
    }
    for (const shape of targets) {
      if (shape.gone) continue;
      const where = shape.definition.where;
      const verdict = verdicts.get(shape);
      const matches = !where
        ? () => true
        : where.fast
          ? where.fast
          : (row: Row) => verdict?.get(row) ?? false;
      const entries = entriesForShape(shape.definition, txn, matches);
      if (entries.length === 0) continue;
      shape.append(entries);
      const max = this.options.maxLogBytes ?? 64 * 1024 * 1024;
      if (shape.logBytes > max) this.remove(shape, 'its log grew past the limit; refetch');
    }
  }

  private sweep(): void {
    const idle = this.options.idleMs ?? 30 * 60_000;
    const cutoff = Date.now() - idle;
    for (const shape of this.shapes()) {
      if (shape.lastUsedAt < cutoff && shape.listenerCount === 0) this.remove(shape, 'unused');
    }
  }

  /** Ends every waiting request; shapes kept on disk stay there for the next start. */
  stop(): void {
    this.stopped = true;
    clearInterval(this.sweepTimer);
    for (const shape of this.shapes()) {
      if (shape.snapshotState === 'done') {
        shape.files.close();
        shape.invalidate('the service stopped');
      } else {
        this.remove(shape, 'the service stopped');
      }
    }
  }
}

function touchedTables(txn: Txn): Set<number> {
  const oids = new Set<number>();
  for (const item of txn.items) {
    if (item.kind === 'truncate') for (const r of item.rels) oids.add(r.oid);
    else oids.add(item.rel.oid);
  }
  return oids;
}

/** A reason the transaction makes the shape unusable (truncate, changed columns), or null. */
function invalidating(txn: Txn, shape: ShapeLog): string | null {
  const table = shape.definition.table;
  for (const item of txn.items) {
    if (item.kind === 'truncate' && item.rels.some((r) => r.oid === table.oid))
      return 'the table was truncated';
    if (item.kind === 'relation' && item.rel.oid === table.oid) {
      const a = item.rel.columns;
      const b = table.columns;
      const same =
        item.rel.schema === table.schema &&
        item.rel.name === table.name &&
        a.length === b.length &&
        a.every((c, i) => c.name === b[i]?.name && c.typeOid === b[i]?.typeOid);
      if (!same) return 'the table schema changed';
    }
  }
  return null;
}
