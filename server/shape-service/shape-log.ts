// One shape's state on the server: its handle, its snapshot (in chunks), its log of changes
// since the snapshot, and who is waiting for either to grow. Everything is in memory, already
// encoded as the JSON the client reads, so answering a request is joining strings — the same
// bytes for every client that asks for the same offset. Every chunk and entry is also written to
// disk as it is made (shape-store.ts), so a restart can bring the shape back.

import type { LogEntry } from './changes.ts';
import { compareOffsets, type LogOffset, SNAPSHOT_END } from './offset.ts';
import type { ShapeDefinition, ShapeParams } from './shape-definition.ts';
import type { LoadedShape, ShapeFiles } from './shape-store.ts';
import { type SnapshotInfo, snapshotEndMessage, snapshotFromRecord, snapshotRecord } from './snapshot.ts';
import type { Txn } from './transaction.ts';

export type SnapshotState = 'running' | 'done' | 'failed';

export class ShapeLog {
  readonly createdAt = Date.now();
  lastUsedAt = Date.now();

  /** Known once the snapshot's transaction has started. */
  snapshotInfo: SnapshotInfo | null = null;
  /** Transactions that arrived before the shape could tell whether its snapshot saw them. */
  pending: Txn[] = [];
  /** The snapshot's visibility is known and every transaction before now is in the log. */
  ready = false;

  snapshotState: SnapshotState = 'running';
  snapshotError: Error | null = null;
  /** Sealed snapshot chunks, each a whole response body (a JSON array), encoded once. */
  private readonly chunks: Buffer[] = [];
  private chunkLines: string[] = [];
  private chunkBytes = 0;
  snapshotRows = 0;

  /** Bytes held by the snapshot's sealed chunks. */
  get snapshotBytes(): number {
    return this.chunks.reduce((n, c) => n + c.length, 0);
  }

  private readonly entries: LogEntry[] = [];
  logBytes = 0;
  /** Grows with every append: lets readers cache a response body per offset. */
  version = 0;

  /** Why the shape is no longer served (truncated, schema changed, deleted…), or null. */
  gone: string | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly handle: string,
    readonly definition: ShapeDefinition,
    /** The request parameters the definition was made from: what a restart checks it by. */
    readonly params: ShapeParams,
    private readonly maxChunkBytes: number,
    /** Where the shape is kept on disk. */
    readonly files: ShapeFiles,
  ) {}

  /** A shape brought back from disk after a restart: its snapshot done, its log as stored. */
  static restored(
    loaded: LoadedShape,
    definition: ShapeDefinition,
    maxChunkBytes: number,
    files: ShapeFiles,
  ): ShapeLog {
    const shape = new ShapeLog(loaded.stored.handle, definition, loaded.stored.params, maxChunkBytes, files);
    shape.snapshotInfo = snapshotFromRecord(loaded.stored.snapshot);
    shape.chunks.push(...loaded.chunks);
    shape.snapshotRows = loaded.stored.snapshotRows;
    shape.snapshotState = 'done';
    shape.ready = true;
    shape.entries.push(...loaded.entries);
    for (const e of loaded.entries) shape.logBytes += e.json.length + 1;
    return shape;
  }

  /** Calls `fn` after every change (snapshot progress, new entries, gone); returns the unsubscribe. */
  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  private notify(): void {
    for (const fn of [...this.listeners]) fn();
  }

  touch(): void {
    this.lastUsedAt = Date.now();
  }

  // --- snapshot ---

  addSnapshotRows(lines: readonly string[]): void {
    for (const line of lines) {
      this.chunkLines.push(line);
      this.chunkBytes += line.length + 1;
      if (this.chunkBytes >= this.maxChunkBytes) this.sealChunk();
    }
    this.snapshotRows += lines.length;
    this.notify();
  }

  private sealChunk(): void {
    const body = Buffer.from(`[${this.chunkLines.join(',')}]`);
    this.files.saveChunk(this.chunks.length, body);
    this.chunks.push(body);
    this.chunkLines = [];
    this.chunkBytes = 0;
  }

  finishSnapshot(): void {
    if (!this.snapshotInfo) throw new Error('finishSnapshot before the snapshot started');
    this.chunkLines.push(snapshotEndMessage(this.snapshotInfo));
    this.sealChunk();
    const table = this.definition.table;
    this.files.finish({
      handle: this.handle,
      params: this.params,
      key: this.definition.key,
      tableOid: table.oid,
      columns: table.columns.map((c) => ({ name: c.name, typeOid: c.typeOid })),
      snapshot: snapshotRecord(this.snapshotInfo),
      chunks: this.chunks.length,
      snapshotRows: this.snapshotRows,
    });
    this.snapshotState = 'done';
    this.notify();
  }

  failSnapshot(error: Error): void {
    this.snapshotState = 'failed';
    this.snapshotError = error;
    this.notify();
  }

  /** Sealed chunk `i` (the response body), if there is one yet. */
  chunk(i: number): Buffer | undefined {
    return this.chunks[i];
  }

  isLastChunk(i: number): boolean {
    return this.snapshotState === 'done' && i === this.chunks.length - 1;
  }

  // --- log ---

  markReady(): void {
    if (this.ready) return;
    this.ready = true;
    this.notify();
  }

  append(entries: readonly LogEntry[]): void {
    this.files.appendEntries(entries);
    for (const e of entries) {
      this.entries.push(e);
      this.logBytes += e.json.length + 1;
    }
    this.version++;
    this.notify();
  }

  /** Offset of the last entry; the end of the snapshot when the log is empty. */
  lastOffset(): LogOffset {
    const e = this.entries.at(-1);
    return e ? { lsn: e.lsn, op: e.op } : SNAPSHOT_END;
  }

  lastLsn(): bigint {
    return this.entries.at(-1)?.lsn ?? 0n;
  }

  /**
   * The entries after `offset`, cut once they reach about `maxBytes` (Electric's chunk
   * threshold): at the end of a transaction, or inside one that is larger than a chunk, as
   * Electric splits it. A cut inside a transaction never falls right after its operation 0, so
   * `<lsn>_0` always means the whole transaction `lsn` is held: that is also what a client
   * resumes from after an SSE up-to-date (`<global_last_seen_lsn>_0`).
   */
  entriesAfter(offset: LogOffset, maxBytes: number): { entries: LogEntry[]; complete: boolean } {
    const from = heldThrough(offset);
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareOffsets(this.entries[mid] as LogEntry, from) <= 0) lo = mid + 1;
      else hi = mid;
    }
    const out: LogEntry[] = [];
    let bytes = 0;
    for (let i = lo; i < this.entries.length; i++) {
      const e = this.entries[i] as LogEntry;
      out.push(e);
      bytes += e.json.length + 1;
      if (bytes >= maxBytes && (e.last || e.op > 0) && i < this.entries.length - 1)
        return { entries: out, complete: false };
    }
    return { entries: out, complete: true };
  }

  invalidate(reason: string): void {
    if (this.gone) return;
    this.gone = reason;
    this.notify();
  }
}

/** The offset up to which a client holding `offset` holds the log: `<lsn>_0` is all of `lsn`. */
function heldThrough(offset: LogOffset): LogOffset {
  return offset.op === 0 ? { lsn: offset.lsn, op: Number.POSITIVE_INFINITY } : offset;
}
