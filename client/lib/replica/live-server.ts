// Live queries, run by the leader worker for every tab (live.ts is the tab's side). A tab says
// which query it watches, and the worker runs it with PGlite's own live queries, in its own
// connection, and says the rows on the channel each time they change.
//
// Why here and not in the tab: a tab's query reaches the database through PGlite's multi-tab
// RPC, a message there and back for every protocol step, and setting up one live query takes a
// hundred of them (bench:admin measured ~4 ms each, 3.5 s of a warm start before the list
// showed). Here it is one message, and a failover needs no repair inside the tab: the new
// leader is told every watched query again (live.ts, on the status with its new leader id).
import type { PGlite } from '@electric-sql/pglite';
import type { LiveNamespace } from '@electric-sql/pglite/live';
import type { ChannelMessage, LiveWatch, LiveWindow } from './channel.ts';

type LiveHandle = {
  unsubscribe(): Promise<void>;
  refresh(window?: LiveWindow): Promise<void>;
};

interface Watched {
  readonly tab: string;
  readonly sql: string;
  readonly params: readonly unknown[];
  window: LiveWindow | undefined;
  handle: LiveHandle | undefined;
  stopped: boolean;
  last: ChannelMessage | undefined;
}

export interface LiveServer {
  /** Resolves once the query's first rows (or its error) were said. */
  watch(request: LiveWatch): Promise<void>;
  unwatch(id: string): void;
}

export function serveLiveQueries(
  pg: PGlite & { live: LiveNamespace },
  say: (message: ChannelMessage) => void,
): LiveServer {
  const watched = new Map<string, Watched>();
  const tabsFollowed = new Set<string>();

  const unwatch = (id: string) => {
    const w = watched.get(id);
    if (!w) return;
    watched.delete(id);
    w.stopped = true;
    void w.handle?.unsubscribe().catch(() => undefined);
  };

  // A tab holds a lock named after it for its life (live.ts); the lock comes free when the tab
  // goes, however it goes, and then its queries stop here.
  const followTab = (tab: string) => {
    if (tabsFollowed.has(tab)) return;
    tabsFollowed.add(tab);
    void navigator.locks.request(tabLockName(tab), async () => {
      tabsFollowed.delete(tab);
      for (const [id, w] of watched) if (w.tab === tab) unwatch(id);
    });
  };

  const start = async (id: string, w: Watched) => {
    const rowsMessage = (results: Results): ChannelMessage => ({
      type: 'live-rows',
      id,
      rows: results.rows,
      offset: results.offset ?? 0,
      total: results.totalCount ?? (results.offset === undefined ? results.rows.length : null),
    });
    const onResults = (results: Results) => {
      if (w.stopped) return;
      w.last = rowsMessage(results);
      say(w.last);
    };
    try {
      const params = [...w.params];
      const window = w.window;
      // The first rows come from a plain query, before the live query is set up: setting one
      // up (PGlite makes a temporary view and triggers for it) took 3 to 5 times as long, and
      // on a warm start every screen waited on it (bench:admin).
      await firstRows(pg, w.sql, params, window, onResults);
      if (w.stopped) return;
      const handle = (
        window
          ? await pg.live.query({ query: w.sql, params, ...window, callback: onResults })
          : await pg.live.query(w.sql, params, onResults)
      ) as LiveHandle & { initialResults: Results };
      if (w.stopped) return void handle.unsubscribe().catch(() => undefined);
      w.handle = handle;
      // Usually what the plain query already said; said again only if the rows changed since.
      const initial = rowsMessage(handle.initialResults);
      if (JSON.stringify(initial) !== JSON.stringify(w.last)) onResults(handle.initialResults);
      // Scrolled while it was being set up.
      if (w.window !== window) await handle.refresh(w.window);
    } catch (error) {
      console.error('A live query failed', w.sql, error);
      if (w.stopped) return;
      w.last = {
        type: 'live-error',
        id,
        message: 'This list could not be read from the local database. Reload the app.',
      };
      say(w.last);
    }
  };

  return {
    async watch(request) {
      followTab(request.tab);
      const known = watched.get(request.id);
      if (known) {
        // Said again (a new leader, a message that crossed a failover) or scrolled: a new window.
        const moved =
          request.window &&
          (request.window.offset !== known.window?.offset || request.window.limit !== known.window?.limit);
        if (moved) {
          known.window = request.window;
          void known.handle?.refresh(request.window).catch(() => undefined);
        } else if (known.last) say(known.last);
        return;
      }
      const w: Watched = {
        tab: request.tab,
        sql: request.sql,
        params: request.params ?? [],
        window: request.window,
        handle: undefined,
        stopped: false,
        last: undefined,
      };
      watched.set(request.id, w);
      await start(request.id, w);
    },
    unwatch,
  };
}

interface Results {
  rows: unknown[];
  offset?: number;
  totalCount?: number;
}

/**
 * What the live query's first results will be, said as soon as they are known: all rows; or
 * the window's rows, then how many the whole query has (counting 10,000 bookings took as long
 * as reading the first screen's, which need not wait for it: bench:admin).
 */
async function firstRows(
  pg: PGlite,
  sql: string,
  params: unknown[],
  window: LiveWindow | undefined,
  say: (results: Results) => void,
): Promise<void> {
  if (!window) return say({ rows: (await pg.query(sql, params)).rows });
  const { rows } = await pg.query(
    `SELECT * FROM (${sql}) AS q LIMIT ${Math.trunc(window.limit)} OFFSET ${Math.trunc(window.offset)}`,
    params,
  );
  const counted = rows.length < window.limit && (rows.length > 0 || window.offset === 0);
  if (counted) return say({ rows, offset: window.offset, totalCount: window.offset + rows.length });
  say({ rows, offset: window.offset });
  const count = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) AS q`, params);
  say({ rows, offset: window.offset, totalCount: count.rows[0]?.n ?? 0 });
}

export const tabLockName = (tab: string) => `replica-tab:${tab}`;
