// When the replica reaches disk is ours to say. PGlite writes the database to IndexedDB after
// every query; IDBFS then writes every changed file whole, the 16 MB WAL segment among them,
// and that made every screen and the sync crawl (bench:admin: 0.4 s a write, 0.1 s a SELECT 1).
// So the worker takes it over: the queue is written to disk as soon as a write is queued and
// when writes settle (now()); synced rows as soon as the sync is up to date, and otherwise
// shortly after the queries stop (soon()). Synced rows lost to a crash are synced again: their
// offsets are in the same database, so they can only be as old as the rows.
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

export function takeOverDiskFlush(pg: PGlite): DiskFlush {
  const now = coalesced(() => writeToDisk(pg));
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
  return (pg as unknown as { fs: { syncToFs(relaxed: boolean): Promise<void> } }).fs
    .syncToFs(false)
    .catch((error: unknown) => console.error('Could not write the local database to disk', error));
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
