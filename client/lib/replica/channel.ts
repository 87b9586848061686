// What the replica's worker and the app's tabs say to each other. Only the elected leader's
// worker holds the database, the shape sync and the write sender; every tab of the same
// replica hears it on one BroadcastChannel, named after the replica.

/** How the worker's shape sync stands. */
export type SyncPhase =
  | 'starting' // the database is opening
  | 'first-sync' // nothing synced yet on this device: the first snapshot is arriving
  | 'syncing' // changes are arriving
  | 'up-to-date'
  | 'offline' // the server cannot be reached; the stream retries by itself
  | 'session-expired' // the server answered 401: sign in again, then sync resumes
  | 'error'; // any other refusal, with its sentence

export interface WorkerStatus {
  /** Made anew by each worker that becomes the leader: a tab seeing another one tells it its live queries. */
  readonly leader: string;
  readonly phase: SyncPhase;
  /** Rows received since this worker started syncing (the first sync's progress). */
  readonly rowsReceived: number;
  /** When the phase began (epoch ms): "offline since". */
  readonly since: number;
  /** When the replica last caught up with the server (epoch ms). */
  readonly lastUpToDate: number | null;
  readonly message: string | null;
  /**
   * Where the worker's start went (ms since the worker began), for bench:admin: `opened` minus
   * `openStarted` is PGlite's own open time, the floor a warm start is measured against.
   */
  readonly timings: { readonly openStarted: number; readonly opened: number; readonly ready: number };
  /** The database engine's files this worker fetched (for the service worker to keep). */
  readonly assets: readonly string[];
  /** The write sender: waiting for the network or a sign-in holds the queue, never drops it. */
  readonly sender: 'idle' | 'sending' | 'waiting-for-network' | 'session-expired';
  /** The build the leader's worker is from (build.ts): another one is another version of the app. */
  readonly appBuild: string;
  /**
   * The first sync is in the replica and on its way to disk: a reload before it gets there
   * syncs again. (Later syncs are said to be up to date once on disk.)
   */
  readonly savingFirstSync: boolean;
  /** The browser refused the last write of the replica to disk (storage full or blocked). */
  readonly storageRefused: boolean;
}

/** Where a staff app's page leaves the worker its HTML started (scripts/early-replica-worker.ts). */
export const EARLY_WORKER_GLOBAL = 'replicaWorkerStartedEarly';
/** The performance mark made as the page starts its worker: the worker's own clock starts there (bench:admin). */
export const WORKER_CREATED_MARK = 'replica:worker-created';

/**
 * What a tab says to its own replica worker, before PGlite's handshake: warm the engine (the
 * sign-in page, before anyone is signed in), then open (PGlite's handshake may begin).
 */
export type WorkerStart =
  | { readonly type: 'warm-engine'; readonly role: ReplicaMeta['role'] }
  | { readonly type: 'open' };

export type WorkerMessage =
  | { readonly type: 'status'; readonly status: WorkerStatus }
  | { readonly type: 'signed-out' } // the leader stopped syncing and wiped the synced data
  /** A watched query's rows, every time they change (live-server.ts). */
  | {
      readonly type: 'live-rows';
      readonly id: string;
      readonly rows: unknown[];
      /** Where the rows start, and how many the whole query has (a windowed query; null: not counted yet). */
      readonly offset: number;
      readonly total: number | null;
    }
  | { readonly type: 'live-error'; readonly id: string; readonly message: string };

/** Rows `offset` to `offset + limit` of a long query: the part of a virtual list on screen. */
export interface LiveWindow {
  readonly offset: number;
  readonly limit: number;
}

/** A tab watching a query: said again after a failover and when its window moves. */
export interface LiveWatch {
  readonly id: string;
  /** The tab's own id: its watches end when it goes (it holds a lock by that name). */
  readonly tab: string;
  readonly sql: string;
  readonly params?: readonly unknown[];
  readonly window?: LiveWindow;
}

export type TabMessage =
  | { readonly type: 'status?' }
  /** A tab queued a write: send it. */
  | { readonly type: 'queued' }
  /** Someone signed in again (or the network is back): retry the sync and the queue now. */
  | { readonly type: 'resume' }
  /** Stop syncing and delete the synced data; keep the waiting writes (and their overlays). */
  | { readonly type: 'sign-out' }
  /**
   * A tab is calling the server (a setting saved, say) and then has done: the sync steps aside
   * meanwhile, as it does for the write sender (worker-main.ts says why).
   */
  | { readonly type: 'server-call'; readonly id: string; readonly calling: boolean }
  | ({ readonly type: 'watch' } & LiveWatch)
  | { readonly type: 'unwatch'; readonly id: string };

export type ChannelMessage = WorkerMessage | TabMessage;

export interface ReplicaMeta {
  readonly role: 'admin' | 'fieldworker';
  readonly userId: string;
  /** The page's origin: the worker asks the gatekeeper and tRPC there. */
  readonly origin: string;
}

export const replicaName = (meta: Pick<ReplicaMeta, 'role' | 'userId'>) =>
  `bookings-${meta.role}-${meta.userId}`;
export const channelName = (name: string) => `replica:${name}`;
