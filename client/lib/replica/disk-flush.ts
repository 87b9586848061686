// When the replica reaches disk is ours to say. PGlite writes the database to IndexedDB after
// every query; IDBFS then writes every changed file whole, the WAL segment among them, and
// that made every screen and the sync crawl (bench:admin: 0.4 s a write, 0.1 s a SELECT 1).
// So the worker takes it over: settled writes are written once per run of the queue and
// synced rows as soon as the sync is up to date (now()), everything else shortly after the
// queries stop. A queued write is safe before that, in the queue's journal (writes/journal.ts),
// whose entries go after a write to disk (the hooks). Synced rows lost to a crash are synced
// again: their offsets are in the same database, so they can only be as old as the rows.
import type { PGlite } from '@electric-sql/pglite';

/** Quiet time after the last query before the database is written to disk anyway… */
const QUIET_MS = 1000;
/** …but no later than this after the first unwritten change, however busy it stays. */
const MAX_DELAY_MS = 10_000;

export interface DiskFlush {
  /** Writes the database to disk and resolves once it is there. */
  now(): Promise<void>;
  /** Writes it if anything is not on disk yet. */
  ifPending(): Promise<void>;
}

/** Work around each write to disk: `before` sees the database as it is about to be written. */
export interface DiskWriteHooks<T> {
  before(): Promise<T>;
  /** It is on disk. */
  after(before: T): Promise<void>;
  /** The browser would not store it (full, or blocked). */
  refused?(error: unknown): void;
}

export function takeOverDiskFlush<T>(pg: PGlite, hooks: DiskWriteHooks<T>): DiskFlush {
  // Never rejects: a failed write to disk is logged and said (refused); the data stays in memory.
  const now = coalesced(async () => {
    const before = await hooks.before().catch((error: unknown) => {
      console.error('Could not look at the local database before writing it to disk', error);
      return undefined;
    });
    try {
      await writeToDisk(pg);
    } catch (error) {
      console.error('Could not write the local database to disk', error);
      return hooks.refused?.(error);
    }
    if (before !== undefined)
      await hooks.after(before).catch((error: unknown) => console.error('After writing to disk', error));
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let unwrittenSince: number | null = null;
  const flushNow = () => {
    clearTimeout(timer);
    unwrittenSince = null;
    return now();
  };
  // PGlite calls this after every query (pglite.ts syncToFs): schedule instead of writing.
  (pg as unknown as { syncToFs: () => Promise<void> }).syncToFs = async () => {
    unwrittenSince ??= Date.now();
    clearTimeout(timer);
    const wait = Math.min(QUIET_MS, unwrittenSince + MAX_DELAY_MS - Date.now());
    timer = setTimeout(() => void flushNow(), Math.max(0, wait));
  };
  return {
    now: flushNow,
    ifPending: () => (unwrittenSince === null ? Promise.resolve() : flushNow()),
  };
}

/**
 * Writes the database to IndexedDB now and waits until it is there. (PGlite's own syncToFs()
 * returns at once under relaxed durability; its file system's does not.)
 */
function writeToDisk(pg: PGlite): Promise<void> {
  return (pg as unknown as { fs: { syncToFs(relaxed: boolean): Promise<void> } }).fs.syncToFs(false);
}

/**
 * One write at a time, and callers that come while one runs share the next: a burst of queued
 * writes costs two writes to disk, not one each, and every caller's change is on disk when it
 * resolves.
 */
function coalesced(run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let next: Promise<void> | null = null;
  const start = (): Promise<void> => {
    if (next) return next;
    if (running) {
      next = running.then(() => {
        next = null;
        return start();
      });
      return next;
    }
    running = run().finally(() => {
      running = null;
    });
    return running;
  };
  return start;
}
