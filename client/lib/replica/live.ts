// Screens read the replica through live queries: a Solid signal that holds the rows and
// follows every change, local or synced. The query is made anew when its SQL or parameters
// change, and refreshed after a leader change (STACK-NOTES §9: live queries go silent then).
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
    let cancelled = false;
    let handle: { unsubscribe: () => Promise<void>; refresh: () => Promise<void> } | undefined;
    const onRows = (results: { rows: unknown[] }) => {
      if (!cancelled) setRows(() => results.rows as T[]);
    };
    const live = replica.db.live;
    const started = inlineParams(replica, q).then((sql) =>
      q.key ? live.incrementalQuery(sql, [], q.key, onRows) : live.query(sql, [], onRows),
    );
    started
      .then((h) => {
        handle = h;
        if (cancelled) void h.unsubscribe();
        else {
          onRows(h.initialResults);
          setError(null);
        }
      })
      .catch((e: unknown) => {
        console.error('A live query failed', q.sql, e);
        if (!cancelled) setError('This list could not be read from the local database. Reload the app.');
      });
    const stopRefreshing = replica.onLeaderChange(() => void handle?.refresh().catch(() => undefined));
    onCleanup(() => {
      cancelled = true;
      stopRefreshing();
      void handle?.unsubscribe().catch(() => undefined);
    });
  });

  return { rows, error };
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
