// Opening the replica from a tab: PGlite's multi-tab worker, one database per signed-in user,
// in IndexedDB. The tab gets a database handle that works whoever the leader is, the worker's
// sync status as a signal, the queries it watches (run by the leader: live-server.ts), and the
// two guards against the failover traps measured in STACK-NOTES §9: every query has a deadline
// (one in flight when the leader's tab closes never settles), and every watched query is told
// to a new leader (the old one's went with it).
import type { PGliteInterface } from '@electric-sql/pglite';
import { LeaderChangedError, PGliteWorker } from '@electric-sql/pglite/worker';
import { type Accessor, createSignal } from 'solid-js';
import { APP_BUILD } from '../build.ts';
import { UserFacingError } from '../errors.ts';
import {
  type ChannelMessage,
  channelName,
  EARLY_WORKER_GLOBAL,
  type LiveWatch,
  type LiveWindow,
  type ReplicaMeta,
  replicaName,
  WORKER_CREATED_MARK,
  type WorkerStart,
  type WorkerStatus,
} from './channel.ts';
import { tabLockName } from './live-server.ts';

export interface Replica {
  readonly name: string;
  readonly meta: ReplicaMeta;
  readonly db: PGliteWorker;
  /** The leader worker's last word on the sync and the sender; null until it has spoken. */
  readonly status: Accessor<WorkerStatus | null>;
  /** The leader runs another version of the app (opened in another tab before or after an update). */
  readonly otherVersionLeads: Accessor<boolean>;
  /** Run a query with a deadline, retried after a leader change. Use for every write. */
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Run statements in one local transaction, with the same deadline and retry. */
  transaction(work: (tx: Pick<PGliteInterface, 'query' | 'exec'>) => Promise<void>): Promise<void>;
  /** Follows a query's rows, run by the leader; `stop()` when the screen no longer shows them. */
  watch(query: Pick<LiveWatch, 'sql' | 'params' | 'window'>, listener: WatchListener): Watching;
  tell(message: ChannelMessage): void;
  /**
   * Makes a call to the server while the leader's sync steps aside: its long-polls hold the
   * browser's connections to the server, and a call made beside them waited for one to end
   * (up to 20 s). Use for every tRPC call a screen makes while a replica is open.
   */
  callServer<T>(call: () => Promise<T>): Promise<T>;
  /**
   * Tells the leader `message` and resolves with its `answer`, saying it again every 2 s
   * meanwhile: during a failover no worker is listening yet, and what was said then is lost.
   */
  ask(message: ChannelMessage, answer: ChannelMessage['type'], timeoutMs: number): Promise<ChannelMessage>;
  close(): Promise<void>;
}

export interface WatchListener {
  /** `total`: how many rows the whole (windowed) query has; null until counted. */
  rows(rows: unknown[], offset: number, total: number | null): void;
  error(message: string): void;
}

export interface Watching {
  /** Another part of a windowed query is on screen. */
  move(window: LiveWindow): void;
  stop(): void;
}

const QUERY_DEADLINE_MS = 15_000;
const LEADER_SETTLE_MS = 300;
const ASK_AGAIN_MS = 2000;
/** A failover can refuse a query twice (see onLeaderChange below), and a deadline can run out once more while the new leader opens the database. */
const FAILOVER_RETRIES = 3;

// Written out here, not in a constant: Vite bundles a worker only when it sees this form.
const startWorker = () => {
  performance.mark(WORKER_CREATED_MARK);
  return new Worker(new URL('./replica.worker.ts', import.meta.url), { type: 'module' });
};

/** The worker this page started and has not handed to a replica yet: the one its HTML started, if any. */
let warmWorker: Worker | null =
  (globalThis as { [EARLY_WORKER_GLOBAL]?: Worker })[EARLY_WORKER_GLOBAL] ?? null;
let engineWarmed = false;
const tellWorker = (worker: Worker, message: WorkerStart) => worker.postMessage(message);

/**
 * While the sign-in form shows: start the replica's worker and have it download and compile
 * the database engine and download the role's seed, so the first sync after signing in does
 * not wait for them.
 */
export function warmUpReplica(role: ReplicaMeta['role']): void {
  if (engineWarmed) return;
  engineWarmed = true;
  warmWorker ??= startWorker();
  tellWorker(warmWorker, { type: 'warm-engine', role });
}

export async function openReplica(meta: ReplicaMeta): Promise<Replica> {
  const name = replicaName(meta);
  const worker = warmWorker ?? startWorker();
  warmWorker = null;
  engineWarmed = false; // a sign-in page shown after this one signs out warms a new worker
  // PGliteWorker listens for the worker's first word as it is made; the worker speaks when told.
  const created = PGliteWorker.create(worker, { dataDir: `idb://${name}`, id: name, meta });
  tellWorker(worker, { type: 'open' });
  const db = await created;
  performance.mark('replica:handle-ready');

  // Leaving the page: let go of the worker at once. A page kept (frozen) in the back-forward
  // cache would otherwise keep its worker holding the leader's lock and the database open, and
  // the next page of the app would wait for a leader that never answers; even a page being
  // unloaded keeps its worker a while. A kept page starts afresh if it is shown again.
  window.addEventListener('pagehide', () => worker.terminate());
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) location.reload();
  });

  const channel = new BroadcastChannel(channelName(name));
  const [status, setStatus] = createSignal<WorkerStatus | null>(null);
  const waiters = new Set<(m: ChannelMessage) => void>();

  // This tab's watched queries. The leader ends them when this tab's lock comes free.
  const tab = crypto.randomUUID();
  void navigator.locks.request(tabLockName(tab), () => new Promise(() => undefined));
  const watches = new Map<string, { request: LiveWatch; listener: WatchListener }>();
  let watchCount = 0;
  let leader: string | null = null;
  channel.onmessage = (event: MessageEvent<ChannelMessage>) => {
    const message = event.data;
    if (message.type === 'status') {
      setStatus(message.status);
      // A leader this tab has not told its queries yet: the first, or a new one after a failover.
      if (message.status.leader !== leader) {
        leader = message.status.leader;
        for (const { request } of watches.values()) channel.postMessage({ type: 'watch', ...request });
      }
    } else if (message.type === 'live-rows') {
      watches.get(message.id)?.listener.rows(message.rows, message.offset, message.total);
    } else if (message.type === 'live-error') {
      watches.get(message.id)?.listener.error(message.message);
    }
    for (const waiter of [...waiters]) waiter(message);
  };
  channel.postMessage({ type: 'status?' } satisfies ChannelMessage);
  window.addEventListener('pagehide', () => {
    for (const id of watches.keys()) channel.postMessage({ type: 'unwatch', id });
  });

  let settleTimer: ReturnType<typeof setTimeout> | undefined;
  /** Resolves once the latest leader change has settled (at once when there is none). */
  let leaderSettled: Promise<void> = Promise.resolve();
  let markSettled: (() => void) | null = null;
  db.onLeaderChange(() => {
    // It fires twice per failover (this tab's worker elected, then its "leader here" once the
    // database is open), and a query too early is refused or lost: wait for it to settle.
    if (!markSettled) leaderSettled = new Promise((resolve) => (markSettled = resolve));
    clearTimeout(settleTimer);
    settleTimer = setTimeout(async () => {
      await db.waitReady;
      // Ready only once the new leader answers: until it has the database open, what is sent
      // is lost, and its "leader here" rejects it (a second change, which settles again).
      const answered = await db.query('SELECT 1').then(
        () => true,
        (error: unknown) => !(error instanceof LeaderChangedError),
      );
      if (!answered) return;
      markSettled?.();
      markSettled = null;
      channel.postMessage({ type: 'status?' } satisfies ChannelMessage);
    }, LEADER_SETTLE_MS);
  });

  async function withDeadline<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ReplicaTimeout()), QUERY_DEADLINE_MS);
      });
      try {
        return await Promise.race([work(), deadline]);
      } catch (error) {
        // No answer in time, or the worker says the leader changed under it: a failover. Try
        // again once the new leader has the database open.
        const failover = error instanceof ReplicaTimeout || error instanceof LeaderChangedError;
        if (!failover || attempt >= FAILOVER_RETRIES) throw error;
        await leaderSettled;
      } finally {
        clearTimeout(timer);
      }
    }
  }

  const replica: Replica = {
    name,
    meta,
    db,
    status,
    otherVersionLeads: () => {
      const leaderBuild = status()?.appBuild;
      return leaderBuild !== undefined && leaderBuild !== APP_BUILD;
    },
    query: async <T>(sql: string, params?: unknown[]) =>
      (await withDeadline(() => db.query<T>(sql, params))).rows,
    transaction: (work) => withDeadline(() => db.transaction(work)),
    watch(query, listener) {
      const request: LiveWatch = { ...query, id: `${tab}:${++watchCount}`, tab };
      watches.set(request.id, { request, listener });
      channel.postMessage({ type: 'watch', ...request });
      return {
        move(window) {
          const watch = watches.get(request.id);
          if (!watch) return;
          watch.request = { ...watch.request, window };
          channel.postMessage({ type: 'watch', ...watch.request });
        },
        stop() {
          if (watches.delete(request.id)) channel.postMessage({ type: 'unwatch', id: request.id });
        },
      };
    },
    tell: (message) => channel.postMessage(message),
    async callServer(call) {
      const id = crypto.randomUUID();
      channel.postMessage({ type: 'server-call', id, calling: true } satisfies ChannelMessage);
      try {
        return await call();
      } finally {
        channel.postMessage({ type: 'server-call', id, calling: false } satisfies ChannelMessage);
      }
    },
    ask: (message, answer, timeoutMs) =>
      new Promise((resolve, reject) => {
        const again = setInterval(() => channel.postMessage(message), ASK_AGAIN_MS);
        const done = () => {
          clearTimeout(timer);
          clearInterval(again);
          waiters.delete(waiter);
        };
        const timer = setTimeout(() => {
          done();
          reject(new ReplicaTimeout());
        }, timeoutMs);
        const waiter = (m: ChannelMessage) => {
          if (m.type !== answer) return;
          done();
          resolve(m);
        };
        waiters.add(waiter);
        channel.postMessage(message);
      }),
    async close() {
      channel.close();
      await db.close();
    },
  };
  // A handle for the browser console, the end-to-end tests and bench/admin.ts: this user's own
  // replica, nothing the page does not already hold.
  (globalThis as { bookingsReplica?: Replica }).bookingsReplica = replica;
  return replica;
}

export class ReplicaTimeout extends UserFacingError {
  constructor() {
    super('The local database did not answer in time. Reload the app; nothing you saved is lost.');
  }
}
