// The bar at the top of every app: its name, whether we are online, and sign-out.
import { type JSX, Show } from 'solid-js';
import { createOnlineSignal } from './online.ts';

export function AppBar(props: {
  title: string;
  onSignOut?: () => void;
  /** Replaces the plain Online/Offline pill (the staff apps show their sync state there). */
  status?: JSX.Element;
  children?: JSX.Element;
}) {
  const online = createOnlineSignal();
  return (
    <header class="app-bar">
      <h1>{props.title}</h1>
      <Show
        when={props.status}
        fallback={
          <span class={`status-pill ${online() ? 'online' : 'offline'}`} role="status">
            {online() ? 'Online' : 'Offline'}
          </span>
        }
      >
        {props.status}
      </Show>
      {props.children}
      <Show when={props.onSignOut}>
        {(signOut) => (
          <button type="button" class="secondary" onClick={() => signOut()()}>
            Sign out
          </button>
        )}
      </Show>
    </header>
  );
}
