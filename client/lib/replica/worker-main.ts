// What the replica's worker does (PGlite's multi-tab worker), loaded by replica.worker.ts.
// Every tab of an app starts one; only the elected leader's runs `init`, so one database
// connection, one shape sync and one write sender serve all tabs. When the leader's tab
// closes, another tab's worker is elected and runs `init` again: the sync resumes from its
// persisted offsets and the queue from the database.
import { PGlite } from '@electric-sql/pglite';
import { live } from '@electric-sql/pglite/live';
import { worker } from '@electric-sql/pglite/worker';
import { electricSync } from '@electric-sql/pglite-sync';
import { APP_BUILD } from '../build.ts';
import { isDatabaseAsset } from '../sw/messages.ts';
import { journalOf, trimJournalOnDisk } from '../writes/journal.ts';
import { type LocalWrite, replayJournal } from '../writes/queue.ts';
import { forgetSettledWrites, type SenderState, settleByTxids, startWriteSender } from '../writes/sender.ts';
import {
  type ChannelMessage,
  channelName,
  type ReplicaMeta,
  replicaName,
  type WorkerStart,
  type WorkerStatus,
} from './channel.ts';
import { ReplicaIdbFs } from './disk-flush.ts';
import { downloadDatabaseFile } from './download.ts';
import { preparedEngine, prepareEngine } from './engine.ts';
import { serveLiveQueries } from './live-server.ts';
import { REPLICA_INITDB_PARAMS, REPLICA_POSTGRES_SETTINGS } from './postgres-params.ts';
import { applySchema, overlayTables, replicaTables, syncedName } from './schema.ts';
import { replicaShapeFetch, shapeUrl } from './shape-fetch.ts';
import { type ShapeSync, startShapeSync } from './shape-sync.ts';

/**
 * What the tab says before PGlite's handshake (open-replica.ts), which waits for the tab's
 * word: a worker the sign-in page started only warms the engine until someone has signed in.
 */
export function onStartMessage(event: MessageEvent<WorkerStart>) {
  if (event.data?.type === 'warm-engine') {
    void prepareEngine();
    void seedOf(event.data.role).catch(() => undefined); // said again when needed
  } else if (event.data?.type === 'open') void worker(replicaWorker);
}

const replicaWorker: Parameters<typeof worker>[0] = {
  async init(options) {
    const meta = options.meta as ReplicaMeta;
    const dataDir = options.dataDir as string;
    const openStarted = performance.now();
    // Listening from the start: a tab may ask (sign out, a queued write) while this worker is
    // still opening the database after a failover; what it says then is handled once open.
    const channel = new BroadcastChannel(channelName(replicaName(meta)));
    const saidWhileOpening: ChannelMessage[] = [];
    channel.onmessage = (event: MessageEvent<ChannelMessage>) => void saidWhileOpening.push(event.data);
    // The queue's journal is read while the database opens (it is its own IndexedDB database).
    const journal = journalOf<LocalWrite>(replicaName(meta));
    const journalled = journal.entries().catch((error: unknown) => {
      console.error('Could not read the journal', error);
      return [];
    });
    const seed = await seedFor(dataDir, meta.role);
    // A new replica: its shapes' first answers are on their way while PGlite opens.
    const fetchClient = replicaShapeFetch(
      seed ? replicaTables(meta.role).map((t) => shapeUrl(meta.origin, t.shape)) : [],
    );
    // IndexedDB, written when disk-flush.ts says, not after every query.
    const fs = new ReplicaIdbFs<string[]>(idbMountName(dataDir));
    const pg = await PGlite.create({
      ...(await preparedEngine()),
      fs,
      loadDataDir: seed ?? undefined,
      initDbStartParams: [...REPLICA_INITDB_PARAMS], // when there is no seed
      startParams: [...PGlite.defaultStartParams, ...REPLICA_POSTGRES_SETTINGS],
      extensions: { live, sync: electricSync() },
    });
    const opened = performance.now();
    const overlays = overlayTables(meta.role);
    let status: WorkerStatus = {
      leader: crypto.randomUUID(),
      phase: 'starting',
      rowsReceived: 0,
      since: Date.now(),
      lastUpToDate: null,
      message: null,
      timings: { openStarted: Math.round(openStarted), opened: Math.round(opened), ready: 0 },
      assets: performance
        .getEntriesByType('resource')
        .map((entry) => entry.name)
        .filter((url) => isDatabaseAsset(new URL(url).pathname)),
      sender: 'idle',
      storageRefused: false,
      savingFirstSync: false,
      appBuild: APP_BUILD,
    };
    const publish = (next: Partial<WorkerStatus>) => {
      const phaseChanged = next.phase !== undefined && next.phase !== status.phase;
      status = { ...status, ...next, since: phaseChanged ? Date.now() : status.since };
      channel.postMessage({ type: 'status', status } satisfies ChannelMessage);
    };

    const journalTrim = trimJournalOnDisk(pg, journal);
    const disk = fs.disk;
    // A database made from a seed goes to disk with its first sync, in one write: written
    // before, it held this worker for a second and more while the shapes arrived (bench:admin).
    let firstSyncOver = () => {};
    const firstSyncIn = seed ? new Promise<void>((resolve) => (firstSyncOver = resolve)) : undefined;
    disk.start(
      {
        before: journalTrim.before,
        after: async (onDisk) => {
          if (status.storageRefused) publish({ storageRefused: false });
          await journalTrim.after(onDisk);
        },
        refused: () => publish({ storageRefused: true }),
      },
      firstSyncIn,
    );
    await applySchema(pg, meta.role);
    // Writes queued just before the page closed, before the replica reached disk.
    await replayJournal(pg, meta.userId, await journalled).catch((error: unknown) =>
      console.error('Could not put back the journalled writes', error),
    );

    // Txids seen lately: an answer may come back after the change it made was already synced.
    const seenTxids = new Set<string>();
    const rememberTxids = (txids: string[]) => {
      for (const t of txids) seenTxids.add(t);
      while (seenTxids.size > 2000) seenTxids.delete(seenTxids.values().next().value as string);
      void settleByTxids(pg, overlays, txids).catch((e) => console.error('Settling by txid failed', e));
    };

    // Browsers open at most 6 connections to one server over HTTP/1.1, and every shape holds
    // one in a 20 s long-poll: a write's POST waited behind them until it timed out (seen in
    // the e2e traces), and so did a setting a tab saved. So the sync steps aside while writes
    // are sent or a tab calls the server, and then resumes from its offsets, which also brings
    // what the call changed at once. A tab's call counts for TAB_CALL_MAX_MS at most (a tab
    // that closed mid-call says nothing more).
    let sending = false;
    const tabCalls = new Map<string, ReturnType<typeof setTimeout>>();
    const syncUnlessCalling = () => runSync(!sending && tabCalls.size === 0);
    // Resumed once the calls have stopped a moment: a screen's calls often come in runs (a
    // template's preview as it is typed), and each restart opens every shape's request again.
    let resumeAfterCalls: ReturnType<typeof setTimeout> | undefined;
    const tabCalling = (id: string, calling: boolean) => {
      clearTimeout(tabCalls.get(id));
      tabCalls.delete(id);
      if (calling)
        tabCalls.set(
          id,
          setTimeout(() => tabCalling(id, false), TAB_CALL_MAX_MS),
        );
      clearTimeout(resumeAfterCalls);
      if (tabCalls.size) void syncUnlessCalling();
      else resumeAfterCalls = setTimeout(() => void syncUnlessCalling(), TAB_CALLS_QUIET_MS);
    };

    const sender = startWriteSender(pg, {
      origin: meta.origin,
      userId: meta.userId,
      overlays,
      onState: (state: SenderState) => {
        sending = state === 'sending';
        publish({ sender: state });
        void syncUnlessCalling();
      },
      flush: disk.now,
      onSettled: (writeIds) => {
        journalTrim.answered(writeIds);
        void settleByTxids(pg, overlays, [...seenTxids]);
      },
    });

    let sync: ShapeSync | null = null;
    let reports = 0;
    let signedOut = false;
    const stopSync = () => {
      sync?.stop();
      sync = null;
    };
    const startSync = async () => {
      sync = await startShapeSync(pg, {
        role: meta.role,
        origin: meta.origin,
        subscriptionKey: replicaKey(meta),
        wasOffline: status.phase === 'offline',
        report: ({ upToDate, ...report }) => {
          const said = ++reports;
          if (report.phase !== 'first-sync') firstSyncOver();
          if (!upToDate) return publish(report);
          // "Up to date" means this device has it: on disk, so a reload (going offline, say)
          // starts from it rather than syncing again. Unless something newer was said meanwhile.
          // The first sync is said as soon as it is in the replica, with "saving" until it is
          // on disk: writing it all takes seconds, and the screens already show it.
          const first = status.phase === 'first-sync';
          void forgetSettledWrites(pg, overlays)
            .then(() => {
              // Its query ran after pglite-sync's transaction (PGlite runs one at a time, in
              // order): the rows are in.
              if (first && said === reports)
                publish({ ...report, lastUpToDate: Date.now(), savingFirstSync: true });
            })
            .then(disk.ifPending)
            .then(() => {
              if (said === reports) publish({ ...report, lastUpToDate: Date.now(), savingFirstSync: false });
              else if (first) publish({ savingFirstSync: false });
            });
        },
        onTxids: rememberTxids,
        fetchClient,
      });
    };
    // Starting and stopping the sync, one change at a time (starting reads the database).
    let syncChanges = Promise.resolve();
    const changeSync = (change: () => void | Promise<void>) => {
      syncChanges = syncChanges.then(change).catch((e) => console.error('Could not start the sync', e));
      return syncChanges;
    };
    const runSync = (running: boolean) =>
      changeSync(async () => {
        if (!running) stopSync();
        else if (!sync && !signedOut) await startSync();
      });
    const restartSync = () => runSync(false).then(() => runSync(true));

    const liveQueries = serveLiveQueries(pg, (message) => channel.postMessage(message));
    const onTabMessage = async (message: ChannelMessage) => {
      switch (message.type) {
        case 'status?':
          channel.postMessage({ type: 'status', status } satisfies ChannelMessage);
          break;
        case 'queued':
          // A tab's write (safe in the journal): the leader's own LISTEN does not hear NOTIFYs
          // from tabs' queries.
          sender.wake();
          break;
        case 'resume':
          if (status.phase === 'session-expired' || status.phase === 'error') await restartSync();
          sender.wake();
          break;
        case 'server-call':
          tabCalling(message.id, message.calling);
          break;
        case 'watch':
          await liveQueries.watch(message);
          break;
        case 'unwatch':
          liveQueries.unwatch(message.id);
          break;
        case 'sign-out':
          signedOut = true;
          sender.stop();
          await runSync(false);
          await wipeSyncedData(pg, meta);
          await disk.now(); // gone from the disk too, before the next person can sign in
          channel.postMessage({ type: 'signed-out' } satisfies ChannelMessage);
          break;
      }
    };
    channel.onmessage = (event: MessageEvent<ChannelMessage>) => void onTabMessage(event.data);
    // What tabs said while the database opened comes first: the screens' first rows, then the
    // sync (whose setup would otherwise come between them and the database; bench:admin). A
    // new replica has no rows to show yet: there the sync comes first, its answers waiting.
    if (seed) await syncUnlessCalling();
    const firstAnswers = saidWhileOpening.splice(0).map(onTabMessage);
    await Promise.race([Promise.all(firstAnswers), sleep(FIRST_ANSWERS_MAX_MS)]);
    await syncUnlessCalling();
    sender.wake();
    publish({ timings: { ...status.timings, ready: Math.round(performance.now()) } });
    self.addEventListener('online', () => sender.wake());
    return pg;
  },
};

/**
 * The seed (an empty replica, scripts/replica-seed.ts) for a database this device does not
 * have yet; null when it has one, or the seed cannot be had (PGlite then runs initdb itself).
 */
async function seedFor(dataDir: string, role: ReplicaMeta['role']): Promise<Blob | null> {
  try {
    // PGlite keeps an idb:// database in the IndexedDB database named after its mount point.
    const idbName = `/pglite/${idbMountName(dataDir)}`;
    const existing = await indexedDB.databases();
    if (existing.some((db) => db.name === idbName)) return null;
    return await seedOf(role);
  } catch (error) {
    console.error('Could not use the database seed', error);
    return null;
  }
}
// Written out, one per role: Vite bundles an asset only when it sees this form.
const SEED_URLS = {
  admin: new URL('./seed/replica-seed-admin.tar.gz', import.meta.url),
  fieldworker: new URL('./seed/replica-seed-fieldworker.tar.gz', import.meta.url),
};
const seeds: Partial<Record<ReplicaMeta['role'], Promise<Blob>>> = {};
/** The role's seed, downloaded once (from the sign-in page on); a failed download is tried again. */
function seedOf(role: ReplicaMeta['role']): Promise<Blob> {
  seeds[role] ??= downloadDatabaseFile(SEED_URLS[role])
    .then((response) => response.blob())
    .catch((error: unknown) => {
      delete seeds[role];
      throw error;
    });
  return seeds[role];
}

/** `idb://name` → `name`, under which PGlite's IndexedDB file system keeps the database. */
const idbMountName = (dataDir: string) => dataDir.replace(/^idb:\/\//, '');
const replicaKey = (meta: ReplicaMeta) => `${meta.role}:${meta.userId}`;
/** How long a tab's call to the server keeps the sync aside at most. */
const TAB_CALL_MAX_MS = 30_000;
/** The sync resumes this long after a tab's last call to the server. */
const TAB_CALLS_QUIET_MS = 500;
/** The sync waits this long at most for the screens' first rows. */
const FIRST_ANSWERS_MAX_MS = 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sign-out: the next person at this computer must see nothing of this user's data. The
 * synced rows and the sync's place go; the waiting writes (and the overlay rows that show
 * them) stay, to be sent when this same user signs in again.
 */
async function wipeSyncedData(
  pg: PGlite & { sync: { deleteSubscription(key: string): Promise<void> } },
  meta: ReplicaMeta,
) {
  await pg.transaction(async (tx) => {
    for (const t of replicaTables(meta.role)) await tx.exec(`DELETE FROM ${syncedName(t.table)}`);
    await tx.query("DELETE FROM pending_writes WHERE state <> 'queued'");
    const { rows } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM pending_writes');
    if (!rows[0]?.n) for (const overlay of overlayTables(meta.role)) await tx.exec(`DELETE FROM ${overlay}`);
  });
  await pg.sync.deleteSubscription(replicaKey(meta));
}
