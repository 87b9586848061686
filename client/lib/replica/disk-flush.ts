// When the replica reaches disk is ours to say. PGlite writes the database to IndexedDB after
// every query (and once as it opens); IDBFS then writes every changed file whole, the WAL
// segment among them, and that made every screen and the sync crawl (bench:admin: 0.4 s a
// write, 0.1 s a SELECT 1; 1.5 s for a new replica's first write, right as its shapes arrived).
// So the replica's file system (ReplicaIdbFs) only schedules on PGlite's ask: settled writes
// are written once per run of the queue and synced rows as soon as the sync is up to date
// (now()), everything else shortly after the queries stop. A queued write is safe before
// that, in the queue's journal (writes/journal.ts), whose entries go after a write to disk
// (the hooks). Synced rows lost to a crash are synced again: their offsets are in the same
// database, so they can only be as old as the rows.
import { IdbFs } from '@electric-sql/pglite';

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

export interface DiskSchedule<T> extends DiskFlush {
  /** PGlite's ask after a query: a write once the queries stop. */
  requested(): void;
  /**
   * Scheduled writes begin, with `hooks` around each, once `notBefore` resolves; until then
   * they wait (now() and ifPending() do not).
   */
  start(hooks: DiskWriteHooks<T>, notBefore?: Promise<void>): void;
}

/** PGlite's IndexedDB file system, written to disk when `disk` says, not after every query. */
export class ReplicaIdbFs<T> extends IdbFs {
  readonly disk: DiskSchedule<T>;
  constructor(dataDir: string) {
    super(dataDir);
    this.disk = scheduleDiskWrites<T>(() => super.syncToFs());
  }
  override async syncToFs(): Promise<void> {
    this.disk.requested();
  }
}

/** The schedule around `write` (the file system's own write to IndexedDB). */
export function scheduleDiskWrites<T>(write: () => Promise<void>): DiskSchedule<T> {
  let hooks: DiskWriteHooks<T> | null = null;
  // Never rejects: a failed write to disk is logged and said (refused); the data stays in memory.
  const now = coalesced(async () => {
    const seen = await hooks?.before().catch((error: unknown) => {
      console.error('Could not look at the local database before writing it to disk', error);
      return undefined;
    });
    try {
      await write();
    } catch (error) {
      console.error('Could not write the local database to disk', error);
      return hooks?.refused?.(error);
    }
    if (seen !== undefined)
      await hooks?.after(seen).catch((error: unknown) => console.error('After writing to disk', error));
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let unwrittenSince: number | null = null;
  /** Scheduled writes may run (started, and `notBefore` came). */
  let allowed = false;
  const flushNow = () => {
    clearTimeout(timer);
    unwrittenSince = null;
    return now();
  };
  const schedule = () => {
    if (!allowed || unwrittenSince === null) return;
    clearTimeout(timer);
    const wait = Math.min(QUIET_MS, unwrittenSince + MAX_DELAY_MS - Date.now());
    timer = setTimeout(() => void flushNow(), Math.max(0, wait));
  };
  return {
    now: flushNow,
    ifPending: () => (unwrittenSince === null ? Promise.resolve() : flushNow()),
    requested() {
      unwrittenSince ??= Date.now();
      schedule();
    },
    start(withHooks, notBefore = Promise.resolve()) {
      hooks = withHooks;
      void notBefore.then(() => {
        allowed = true;
        // What was asked before is written once the queries after the start stop, not at
        // once: a warm start's first screen is being read then.
        if (unwrittenSince !== null) unwrittenSince = Date.now();
        schedule();
      });
    },
  };
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
