// Who is signed in to a staff app on this device, remembered so the app starts offline: the
// replica opens and the screens show without asking the server. It is a hint, not a credential:
// the server still checks the session cookie on every write and every shape request.
import type { ReplicaMeta } from './replica/channel.ts';

export type StaffAppName = 'admin' | 'field';

export interface SignedInUser {
  readonly userId: string;
  readonly name: string;
  readonly email: string;
  readonly role: ReplicaMeta['role'];
}

export const roleOfApp = (app: StaffAppName): SignedInUser['role'] =>
  app === 'admin' ? 'admin' : 'fieldworker';

const userKey = (app: StaffAppName) => `signed-in:${app}`;
/** Signed out while offline: the server still holds the session until we can tell it. */
const signOutKey = (app: StaffAppName) => `sign-out-pending:${app}`;

export function rememberedUser(app: StaffAppName): SignedInUser | null {
  try {
    const user = JSON.parse(localStorage.getItem(userKey(app)) ?? 'null') as SignedInUser | null;
    return user?.userId && user.role === roleOfApp(app) ? user : null;
  } catch {
    return null;
  }
}

export function rememberUser(app: StaffAppName, user: SignedInUser): void {
  localStorage.setItem(userKey(app), JSON.stringify(user));
  localStorage.removeItem(signOutKey(app));
}

export function forgetUser(app: StaffAppName, options: { serverStillSignedIn: boolean }): void {
  localStorage.removeItem(userKey(app));
  if (options.serverStillSignedIn) localStorage.setItem(signOutKey(app), '1');
}

export const signOutPending = (app: StaffAppName) => localStorage.getItem(signOutKey(app)) === '1';
export const signOutDone = (app: StaffAppName) => localStorage.removeItem(signOutKey(app));

/** Another tab of this app signed in or out: this one follows. */
export function onUserChangedElsewhere(app: StaffAppName, then: () => void): () => void {
  const listener = (event: StorageEvent) => {
    if (event.key === userKey(app)) then();
  };
  window.addEventListener('storage', listener);
  return () => window.removeEventListener('storage', listener);
}
