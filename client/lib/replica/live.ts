// Screens read the replica through live queries: a Solid signal that holds the rows and
// follows every change, local or synced. The leader worker runs them (live-server.ts); a tab
// watches them through its replica (open-replica.ts), which tells a new leader after a
// failover. The query is watched anew when its SQL or parameters change.
import { type Accessor, createEffect, createMemo, createSignal, onCleanup } from 'solid-js';
import type { LiveWindow as Window } from './channel.ts';
import { useReplica } from './context.tsx';
import type { Replica, Watching } from './open-replica.ts';

export interface LiveQuery {
  readonly sql: string;
  readonly params?: unknown[];
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
  const current = sameQueryAs(query);
  createEffect(() => {
    const q = current();
    if (!q) return;
    const watching = replica.watch(q, {
      rows: (next) => {
        setRows(() => next as T[]);
        setError(null);
      },
      error: setError,
    });
    onCleanup(() => watching.stop());
  });
  return { rows, error };
}

export interface LiveWindow<T> {
  /** The rows loaded, starting at `offset()`; undefined while the first window loads. */
  readonly rows: Accessor<T[] | undefined>;
  readonly offset: Accessor<number>;
  /**
   * How many rows the whole query has; until they are counted (the first rows come before
   * the count), as many as are known: the window's end.
   */
  readonly total: Accessor<number | undefined>;
  /** Whether `total` is the count, not yet the window's end. */
  readonly counted: Accessor<boolean>;
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
  const [counted, setCounted] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  let wanted: Window = { offset: 0, limit: 2 * WINDOW_MARGIN };
  let watching: Watching | undefined;
  const current = sameQueryAs(query);

  createEffect(() => {
    const q = current();
    if (!q) return;
    // A new query (other filters) keeps the window: the list stays scrolled where it was.
    const mine = replica.watch(
      { ...q, window: wanted },
      {
        rows: (next, at, count) => {
          setRows(() => next as T[]);
          setOffset(at);
          setTotal(count ?? at + next.length);
          setCounted(count !== null);
          setError(null);
        },
        error: setError,
      },
    );
    watching = mine;
    onCleanup(() => mine.stop());
  });

  return {
    rows,
    offset,
    total,
    counted,
    error,
    show(start, end) {
      if (start >= wanted.offset && end <= wanted.offset + wanted.limit) return;
      wanted = { offset: Math.max(0, start - WINDOW_MARGIN), limit: end - start + 2 * WINDOW_MARGIN };
      watching?.move(wanted);
    },
  };
}

/**
 * The query, changed only when its SQL or parameters do: a screen's query function reruns when
 * anything it reads changes (the business's row arriving, say), and watching the same query
 * anew would set it up again in the worker (on a warm start, the list showed 0.4 s later).
 */
function sameQueryAs(query: () => LiveQuery | null): Accessor<LiveQuery | null> {
  const text = (q: LiveQuery | null) => (q ? JSON.stringify([q.sql, q.params ?? []]) : '');
  return createMemo(query, null, { equals: (a, b) => text(a) === text(b) });
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
