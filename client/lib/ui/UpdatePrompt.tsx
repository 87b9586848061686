// A new version of the app is installed and waiting. It never reloads by itself, and not while
// changes are waiting to be sent (a reload would be safe for them, but not for the person who is
// typing): the button waits until the queue is empty.
import { Show } from 'solid-js';

export function UpdatePrompt(props: { ready: boolean; waiting: number; online: boolean; apply: () => void }) {
  return (
    <Show when={props.ready}>
      <section class="card update-prompt" aria-label="New version">
        <p>
          A new version of this app is ready.
          <Show when={props.waiting}>
            {' '}
            It can be loaded once your {props.waiting} waiting{' '}
            {props.waiting === 1 ? 'change is' : 'changes are'} sent
            {props.online ? '.' : ', when you are back online.'}
          </Show>
        </p>
        <button type="button" disabled={props.waiting > 0} onClick={() => props.apply()}>
          Reload to update
        </button>
      </section>
    </Show>
  );
}
