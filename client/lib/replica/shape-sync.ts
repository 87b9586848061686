// The shape sync, inside the leader worker: every shape the catalog gives this role, from the
// gatekeeper (never a raw shape URL), into the `*_synced` tables in one consistent stream
// (pglite-sync's syncShapesToTables commits all shapes' changes of one transaction together).
// Its handles and offsets are kept in the database under one key, so a reload, a restart of the
// browser or a failover to another tab resumes from where it was instead of refetching.
import type { PGliteInterface } from '@electric-sql/pglite';
import type { SyncNamespaceObj } from '@electric-sql/pglite-sync';
import type { WorkerStatus } from './channel.ts';
import { overlayTables, replicaTables, syncedName } from './schema.ts';
import { shapeUrl } from './shape-fetch.ts';

export interface ShapeSync {
  stop(): void;
}

interface StreamLike {
  subscribe(cb: (messages: unknown[]) => void, onError?: (e: Error) => void): () => void;
  isConnected(): boolean;
  readonly isUpToDate: boolean;
}

/** Status changes the sync reports; the worker adds the sender's state and broadcasts. */
export type SyncReport = Pick<WorkerStatus, 'phase' | 'rowsReceived' | 'message'> & { upToDate?: boolean };

export async function startShapeSync(
  pg: PGliteInterface & { sync: SyncNamespaceObj },
  options: {
    readonly role: 'admin' | 'fieldworker';
    readonly origin: string;
    readonly subscriptionKey: string;
    readonly report: (report: SyncReport) => void;
    /** Restarted while the server could not be reached: say offline until it answers. */
    readonly wasOffline?: boolean;
    /** Txids of the changes just received: waiting writes they carry are settled. */
    readonly onTxids: (txids: string[]) => void;
    /** How the streams fetch (shape-fetch.ts). */
    readonly fetchClient: typeof fetch;
  },
): Promise<ShapeSync> {
  // Bookings first: pglite-sync bulk-inserts the first sync of only the first shape it commits
  // (json_to_recordset, one statement), and the bookings are what the first screen lists (the
  // booking events are about as many rows: 11,000 to 10,000 in bench:admin).
  const tables = replicaTables(options.role).sort(
    (a, b) => Number(b.table === 'bookings') - Number(a.table === 'bookings'),
  );
  const overlays = overlayTables(options.role);
  await pg.sync.initMetadataTables();
  const { rows } = await pg.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM electric.subscriptions_metadata WHERE key = $1',
    [options.subscriptionKey],
  );
  const firstSync = (rows[0]?.n ?? 0) === 0;
  let rowsReceived = 0;
  let phase: SyncReport['phase'] = firstSync ? 'first-sync' : options.wasOffline ? 'offline' : 'syncing';
  let message: string | null = null;
  /** Shapes a request of which has failed (the server away): until they answer again, offline. */
  const failed = new Set<string>();
  const report = (upToDate = false) => options.report({ phase, rowsReceived, message, upToDate });
  report();

  const sync = await pg.sync.syncShapesToTables({
    key: options.subscriptionKey,
    initialInsertMethod: 'json',
    shapes: Object.fromEntries(
      tables.map((t) => [
        t.shape,
        {
          shape: {
            url: shapeUrl(options.origin, t.shape),
            fetchClient: options.fetchClient,
            // Retry quickly when the server comes back: the office is waiting on it.
            backoffOptions: {
              initialDelay: 200,
              maxDelay: 5000,
              multiplier: 1.6,
              onFailedAttempt: () => void failed.add(t.shape),
            },
          },
          table: syncedName(t.table),
          primaryKey: [...t.primaryKey],
          // The server started this shape over (409): its rows come again from a snapshot. The
          // overlay and the queue stay; writes the server already applied are in that snapshot.
          onMustRefetch: async (tx: Pick<PGliteInterface, 'query' | 'exec'>) => {
            await tx.exec(`DELETE FROM ${syncedName(t.table)}`);
            for (const overlay of overlays) {
              await tx.query(
                `DELETE FROM ${overlay} WHERE pending_write_id IN (SELECT write_id FROM pending_writes WHERE state = 'applied')`,
              );
            }
          },
        },
      ]),
    ),
    onError: (error) => {
      const status = (error as { status?: number }).status;
      phase = status === 401 ? 'session-expired' : 'error';
      message =
        status === 401
          ? 'Your session has ended. Sign in again to sync.'
          : ((error as { json?: { message?: string } }).json?.message ??
            'The server refused to sync. Reload the app.');
      report();
    },
  });

  const streamOf = sync.streams as unknown as Record<string, StreamLike>;
  const streams = Object.values(streamOf);
  const unsubscribers = streams.map((stream) =>
    stream.subscribe((messages) => {
      const txids: string[] = [];
      let changes = 0;
      let upToDate = false;
      for (const m of messages as {
        headers: { control?: string; operation?: string; txids?: unknown[] };
      }[]) {
        if (m.headers.operation) changes += 1;
        if (m.headers.control === 'up-to-date') upToDate = true;
        for (const t of m.headers.txids ?? []) txids.push(String(t));
      }
      rowsReceived += changes;
      if (txids.length) options.onTxids(txids);
      if (phase === 'session-expired' || phase === 'error') return;
      if (upToDate && streams.every((s) => s.isUpToDate)) {
        phase = 'up-to-date';
        message = null;
        report(true);
      } else if (changes && phase !== 'first-sync') {
        phase = 'syncing';
        report();
      } else if (changes) report();
    }),
  );

  // The streams retry an unreachable server by themselves; say so while they do. A stream
  // is "not connected" too before its first answer, which on a warm start can take a second
  // (10 shapes share 6 connections): only one whose request failed makes the app say offline.
  const watch = setInterval(() => {
    if (phase === 'session-expired' || phase === 'error') return;
    const failing = [...failed].some((shape) => streamOf[shape]?.isConnected() === false);
    const connected = streams.every((s) => s.isConnected());
    if (failing && phase !== 'offline') {
      phase = 'offline';
      report();
    } else if (connected && phase === 'offline') {
      phase = 'syncing';
      report();
    }
  }, 1000);

  return {
    stop() {
      clearInterval(watch);
      for (const unsubscribe of unsubscribers) unsubscribe();
      sync.unsubscribe();
    },
  };
}
