// The frame of a local-first staff app. It starts from what the device remembers: with a
// remembered user it opens their replica at once (no network needed) and checks the session
// with the server in the background; with none it asks the server, else shows sign-in. Around
// the screens it keeps the sync indicator, the update prompt, Not applied writes, an ended
// session's sign-in, and sign-out that never loses waiting writes.
import {
  createEffect,
  createMemo,
  createResource,
  createSignal,
  type JSX,
  Match,
  onCleanup,
  onMount,
  Show,
  Switch,
} from 'solid-js';
import { STORAGE_REFUSED } from '../errors.ts';
import { ReplicaContext, useReplica } from '../replica/context.tsx';
import { openReplica, type Replica, warmUpReplica } from '../replica/open-replica.ts';
import {
  onUserChangedElsewhere,
  rememberedUser,
  rememberUser,
  roleOfApp,
  type SignedInUser,
  type StaffAppName,
  signOutDone,
  signOutPending,
} from '../signed-in-user.ts';
import { registerServiceWorker } from '../sw/register.ts';
import { api } from '../trpc.ts';
import { createQueueState } from '../writes/queue-state.ts';
import { AppBar } from './AppBar.tsx';
import { DatabaseDownload } from './DatabaseDownload.tsx';
import { NotAppliedWrites } from './NotAppliedWrites.tsx';
import { createOnlineSignal } from './online.ts';
import { SignOutDialog } from './SignOutDialog.tsx';
import { StaffSignIn } from './StaffSignIn.tsx';
import { SyncIndicator } from './SyncIndicator.tsx';
import { UpdatePrompt } from './UpdatePrompt.tsx';

const SESSION_CHECK_MS = 5 * 60_000;

export function LocalFirstApp(props: {
  app: StaffAppName;
  title: string;
  /** The app's navigation, shown under the bar once signed in. */
  nav: () => JSX.Element;
  children: JSX.Element;
}) {
  const sw = registerServiceWorker();
  const role = roleOfApp(props.app);
  const [user, setUser] = createSignal<SignedInUser | null>(rememberedUser(props.app));
  const [asking, setAsking] = createSignal(!user());
  /** The server no longer knows this device's session (expired, signed out elsewhere). */
  const [sessionEnded, setSessionEnded] = createSignal(false);
  const [unreachable, setUnreachable] = createSignal(false);

  // Not waiting for the service worker to take control (it installs the app shell first): the
  // database files the worker fetches without it, it is asked to keep (keepDatabaseAssets).
  const [replica] = createResource(
    user,
    (u): Promise<Replica> => openReplica({ role: u.role, userId: u.userId, origin: location.origin }),
  );

  // Nobody signed in yet: the database engine downloads while they do.
  createEffect(() => {
    if (!user() && !asking()) warmUpReplica(role);
  });

  const assets = createMemo(() => replica()?.status()?.assets.join(' ') ?? '');
  createEffect(() => {
    if (assets()) sw.keepDatabaseAssets(assets().split(' '));
  });

  async function checkSession(): Promise<void> {
    try {
      if (signOutPending(props.app)) {
        await api.auth.signOut.mutate();
        signOutDone(props.app);
      }
      const askMe = () => api.auth.me.query();
      const me = await (replica()?.callServer(askMe) ?? askMe());
      setUnreachable(false);
      const current = user();
      const mine = me && me.role === role && 'userId' in me ? me : null;
      if (!current) {
        if (mine) signedIn({ userId: mine.userId, name: mine.name, email: mine.email, role });
      } else if (mine?.userId === current.userId) {
        setSessionEnded(false);
        replica()?.tell({ type: 'resume' });
      } else {
        setSessionEnded(true);
      }
    } catch {
      setUnreachable(true); // offline: carry on with what the device remembers
    } finally {
      setAsking(false);
    }
  }

  function signedIn(next: SignedInUser) {
    const current = user();
    rememberUser(props.app, next);
    // Another person at this device: their own replica, in a fresh page.
    if (current && current.userId !== next.userId) return location.reload();
    setUser(next);
  }

  onMount(() => {
    void checkSession();
    const timer = setInterval(() => void checkSession(), SESSION_CHECK_MS);
    window.addEventListener('online', checkSession);
    const stopFollowing = onUserChangedElsewhere(props.app, () => location.reload());
    onCleanup(() => {
      clearInterval(timer);
      window.removeEventListener('online', checkSession);
      stopFollowing();
    });
  });

  return (
    <Switch>
      <Match when={!user()}>
        <AppBar title={props.title} />
        <main>
          <Switch>
            <Match when={asking()}>
              <p role="status">Checking who is signed in…</p>
            </Match>
            <Match when={true}>
              <Show when={unreachable()}>
                <p class="error" role="alert">
                  Cannot reach the server. Signing in needs a connection the first time on this device.
                </p>
              </Show>
              <StaffSignIn app={props.app} onSignedIn={() => void checkSession()} />
              <DatabaseDownload />
            </Match>
          </Switch>
        </main>
      </Match>
      <Match when={replica.error}>
        <AppBar title={props.title} />
        <main>
          <p class="error" role="alert">
            {STORAGE_REFUSED}
          </p>
        </main>
      </Match>
      <Match when={replica()}>
        {(open) => (
          <ReplicaContext.Provider value={open()}>
            <SignedInFrame
              app={props.app}
              title={props.title}
              nav={props.nav}
              user={user() as SignedInUser}
              sessionEnded={sessionEnded()}
              onSignedInAgain={() => void checkSession()}
              updateReady={sw.updateReady()}
              applyUpdate={sw.applyUpdate}
            >
              {props.children}
            </SignedInFrame>
          </ReplicaContext.Provider>
        )}
      </Match>
      <Match when={true}>
        <AppBar title={props.title} />
        <main>
          <p role="status">Opening your data on this device…</p>
          <DatabaseDownload />
        </main>
      </Match>
    </Switch>
  );
}

function SignedInFrame(props: {
  app: StaffAppName;
  title: string;
  nav: () => JSX.Element;
  user: SignedInUser;
  sessionEnded: boolean;
  onSignedInAgain: () => void;
  updateReady: boolean;
  applyUpdate: () => void;
  children: JSX.Element;
}) {
  const online = createOnlineSignal();
  const queue = createQueueState();
  const [signingOut, setSigningOut] = createSignal(false);
  const [persisted] = createResource(async () => (await navigator.storage?.persist?.()) ?? false);
  // Said once per device and app, not on every screen.
  const storageNoticeKey = `storage-notice-seen:${props.app}`;
  const [storageNoticeSeen, setStorageNoticeSeen] = createSignal(
    localStorage.getItem(storageNoticeKey) === '1',
  );
  const dismissStorageNotice = () => {
    localStorage.setItem(storageNoticeKey, '1');
    setStorageNoticeSeen(true);
  };
  let signOutButton: HTMLButtonElement | undefined;
  const replica = useReplica();
  const replicaStatus = replica.status;
  const ended = () =>
    props.sessionEnded ||
    replicaStatus()?.phase === 'session-expired' ||
    replicaStatus()?.sender === 'session-expired';

  return (
    <>
      <AppBar
        title={props.title}
        status={
          <SyncIndicator
            status={replicaStatus()}
            online={online()}
            waiting={queue.waiting()}
            notApplied={queue.notAppliedCount()}
          />
        }
      >
        <div class="who">
          <span>Signed in as {props.user.name}.</span>
          <button type="button" class="secondary" ref={signOutButton} onClick={() => setSigningOut(true)}>
            Sign out
          </button>
        </div>
      </AppBar>
      <nav class="app-nav" aria-label="Sections">
        {props.nav()}
      </nav>
      <main>
        <UpdatePrompt
          ready={props.updateReady}
          waiting={queue.waiting()}
          online={online()}
          apply={props.applyUpdate}
        />
        <Show when={ended()}>
          <section class="card" aria-labelledby="session-ended">
            <h2 id="session-ended">Your session has ended</h2>
            <p>
              Sign in again as {props.user.email} to sync.
              <Show when={queue.waiting()}>
                {' '}
                {queue.waiting() === 1
                  ? 'Your waiting change is kept and will be sent then.'
                  : `Your ${queue.waiting()} waiting changes are kept and will be sent then.`}
              </Show>
            </p>
            <StaffSignIn app={props.app} onSignedIn={props.onSignedInAgain} email={props.user.email} />
          </section>
        </Show>
        <NotAppliedWrites writes={queue.notApplied()} />
        <Show when={replica.otherVersionLeads()}>
          <p class="error" role="alert">
            This app is also open in another tab, on a different version. Reload every tab of the app (or
            close the others) so that all use the same version; changes waiting to be sent are kept.
          </p>
        </Show>
        <Show when={replicaStatus()?.storageRefused}>
          <p class="error" role="alert">
            {STORAGE_REFUSED}
          </p>
        </Show>
        <DatabaseDownload />
        <Show when={persisted() === false && !storageNoticeSeen()}>
          <p class="muted small">
            This browser has not promised to keep the app’s data; it may clear it when the device runs low on
            space. Installing the app usually lets it keep the data.{' '}
            <button type="button" class="link" onClick={dismissStorageNotice}>
              Got it
            </button>
          </p>
        </Show>
        {props.children}
      </main>
      <SignOutDialog
        open={signingOut()}
        onOpenChange={setSigningOut}
        app={props.app}
        waiting={queue.waiting()}
        reachable={
          online() &&
          replicaStatus()?.phase !== 'offline' &&
          replicaStatus()?.sender !== 'waiting-for-network'
        }
        returnFocusTo={() => signOutButton}
      />
    </>
  );
}
