// The frame of the two staff apps: sign-in until a session of the right role exists, then
// the app's own screen with the app bar and sign-out.
import { type JSX, Match, Switch } from 'solid-js';
import { createSession } from '../session.ts';
import { AppBar } from './AppBar.tsx';
import { StaffSignIn } from './StaffSignIn.tsx';

export function StaffApp(props: {
  app: 'admin' | 'field';
  title: string;
  children: (who: { name: string; email: string }) => JSX.Element;
}) {
  const { session, refetch, signOut } = createSession();
  const role = props.app === 'admin' ? 'admin' : 'fieldworker';
  const signedIn = () => {
    const s = session();
    return s && s.role === role ? s : null;
  };
  return (
    <>
      <AppBar title={props.title} onSignOut={signedIn() ? signOut : undefined} />
      <main>
        <Switch>
          <Match when={session.loading}>
            <p role="status">Loading…</p>
          </Match>
          <Match when={session.error}>
            <p class="error" role="alert">
              Cannot reach the server. Check your connection and reload.
            </p>
          </Match>
          <Match when={signedIn()}>{(who) => props.children(who())}</Match>
          <Match when={true}>
            <StaffSignIn app={props.app} onSignedIn={() => void refetch()} />
          </Match>
        </Switch>
      </main>
    </>
  );
}
