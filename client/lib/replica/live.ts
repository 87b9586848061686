// Screens read the replica through live queries: a Solid signal that holds the rows and
// follows every change, local or synced. The query is made anew when its SQL or parameters
// change, and made again after a leader change (STACK-NOTES §9: live queries go silent then).
import { LeaderChangedError } from '@electric-sql/pglite/worker';
import { type Accessor, createEffect, createSignal, onCleanup } from 'solid-js';
import { useReplica } from './context.tsx';
import type { Replica } from './open-replica.ts';

export interface LiveQuery {
  readonly sql: string;
  readonly params?: unknown[];
  /** A unique column: the rows are diffed in the worker and only changes cross to the tab. */
  readonly key?: string;
}

export interface LiveRows<T> {
  readonly rows: Accessor<T[] | undefined>;
  readonly error: Accessor<string | null>;
}

/** Rows of `query()` (null: no query yet), kept up to date. `undefined` rows: still loading. */
export function createLiveRows<T>(
  query: () => LiveQuery | null,
  replica: Replica = useReplica(),
): LiveRows<T> {
  const [rows, setRows] = createSignal<T[] | undefined>(undefined);
  const [error, setError] = createSignal<string | null>(null);
  createEffect(() => {
    const q = query();
    if (!q) return;
    followLiveQuery<T>(replica, q, {
      start: (live, sql, onResults) =>
        q.key ? live.incrementalQuery<T>(sql, [], q.key, onResults) : live.query<T>(sql, [], onResults),
      onResults: (results) => setRows(() => results.rows),
      setError,
    });
  });
  return { rows, error };
}

export interface LiveWindow<T> {
  /** The rows loaded, starting at `offset()`; undefined while the first window loads. */
  readonly rows: Accessor<T[] | undefined>;
  readonly offset: Accessor<number>;
  /** How many rows the whole query has. */
  readonly total: Accessor<number | undefined>;
  readonly error: Accessor<string | null>;
  /** The rows `start` to `end` (exclusive) are on screen: load them if they are not. */
  show(start: number, end: number): void;
}

/** Rows either side of what is on screen, so scrolling a little needs no new read. */
const WINDOW_MARGIN = 60;

/**
 * A window of a long query's rows, kept up to date: only the rows around what is on screen are
 * read and cross to the tab (PGlite's windowed live query: a change reruns the window and a
 * count, not the whole list). For virtual lists; the window follows `show()`.
 */
export function createLiveWindow<T>(query: () => LiveQuery | null): LiveWindow<T> {
  const replica = useReplica();
  const [rows, setRows] = createSignal<T[] | undefined>(undefined);
  const [offset, setOffset] = createSignal(0);
  const [total, setTotal] = createSignal<number | undefined>(undefined);
  const [error, setError] = createSignal<string | null>(null);
  let wanted = { offset: 0, limit: 2 * WINDOW_MARGIN };
  let followed: FollowedQuery | undefined;

  createEffect(() => {
    const q = query();
    if (!q) return;
    // A new query (other filters) keeps the window: the list stays scrolled where it was.
    followed = followLiveQuery<T>(replica, q, {
      start: (live, sql, onResults) => live.query<T>({ query: sql, ...wanted, callback: onResults }),
      onResults: (results) => {
        setRows(() => results.rows);
        setOffset(results.offset ?? 0);
        setTotal(results.totalCount);
      },
      setError,
    });
  });

  return {
    rows,
    offset,
    total,
    error,
    show(start, end) {
      if (start >= wanted.offset && end <= wanted.offset + wanted.limit) return;
      wanted = { offset: Math.max(0, start - WINDOW_MARGIN), limit: end - start + 2 * WINDOW_MARGIN };
      followed?.refresh(wanted);
    },
  };
}

interface FollowedQuery {
  /** Reads it again now, with another window for a windowed query. */
  refresh(window?: { offset: number; limit: number }): void;
}

type LiveHandle = {
  initialResults: LiveResults<unknown>;
  unsubscribe: () => Promise<void>;
  refresh: (window?: { offset: number; limit: number }) => Promise<void>;
};
type LiveResults<T> = { rows: T[]; offset?: number; totalCount?: number };

/**
 * Starts one live query inside the current reactive scope and ends it with the scope: its
 * parameters inlined first (see inlineParams), made again after a leader change, a read error
 * said in a sentence. `start` picks the kind of live query.
 */
function followLiveQuery<T>(
  replica: Replica,
  q: LiveQuery,
  how: {
    /** Starts the kind of live query wanted, with the inlined SQL. */
    start(
      live: Replica['db']['live'],
      sql: string,
      onResults: (results: LiveResults<T>) => void,
    ): Promise<unknown>;
    onResults(results: LiveResults<T>): void;
    setError(message: string | null): void;
  },
): FollowedQuery {
  let cancelled = false;
  let handle: LiveHandle | undefined;
  /** Each start of the query; only the latest one's rows count, earlier ones are let go. */
  let generation = 0;
  const begin = () => {
    const mine = ++generation;
    const current = () => !cancelled && mine === generation;
    const onResults = (results: LiveResults<T>) => {
      if (current()) how.onResults(results);
    };
    inlineParams(replica, q)
      .then((sql) => how.start(replica.db.live, sql, onResults) as Promise<LiveHandle>)
      .then((h) => {
        if (!current()) return void h.unsubscribe().catch(() => undefined);
        handle = h;
        onResults(h.initialResults as LiveResults<T>);
        how.setError(null);
      })
      .catch((e: unknown) => {
        // A leader change refused it: it is started again once the new leader is ready.
        if (!current() || e instanceof LeaderChangedError) return;
        console.error('A live query failed', q.sql, e);
        how.setError('This list could not be read from the local database. Reload the app.');
      });
  };
  void begin();
  const refresh = (window?: { offset: number; limit: number }) =>
    void handle?.refresh(window).catch(() => undefined);
  // A new leader holds none of the old one's live queries (their prepared statements and
  // triggers were in its connection): make this one again there.
  const stopFollowingLeader = replica.onLeaderChange(() => {
    const old = handle;
    handle = undefined;
    void old?.unsubscribe().catch(() => undefined);
    void begin();
  });
  onCleanup(() => {
    cancelled = true;
    stopFollowingLeader();
    void handle?.unsubscribe().catch(() => undefined);
  });
  return { refresh };
}

/**
 * The query with its parameters written in as literals, by Postgres's own format() in one
 * query. PGlite's live queries would do this themselves, but in three protocol messages that
 * cross to the worker separately: when another query (the sync, the sender, another tab) runs in
 * between, the wrong statement is described, format() fails with "too few arguments" and the
 * connection is left waiting for a Sync that never comes, so every later query hangs.
 */
async function inlineParams(replica: Replica, q: LiveQuery): Promise<string> {
  if (!q.params?.length) return q.sql;
  const template = q.sql.replaceAll('%', '%%').replace(/\$([0-9]+)/g, (_, n) => `%${n}$L`);
  const values = q.params.map((v) =>
    v === null || v === undefined
      ? null
      : v instanceof Date
        ? v.toISOString()
        : typeof v === 'object'
          ? JSON.stringify(v)
          : String(v),
  );
  // No deadline here (unlike writes): a read may wait as long as the database takes to open.
  const { rows } = await replica.db.query<{ query: string }>(
    'SELECT format($1, VARIADIC $2::text[]) AS query',
    [template, values],
  );
  return rows[0]?.query ?? q.sql;
}

/** The first row of a live query, for a page about one thing. */
export function createLiveRow<T>(query: () => LiveQuery | null): {
  readonly row: Accessor<T | null | undefined>;
  readonly error: Accessor<string | null>;
} {
  const live = createLiveRows<T>(query);
  return {
    row: () => {
      const rows = live.rows();
      return rows === undefined ? undefined : (rows[0] ?? null);
    },
    error: live.error,
  };
}
