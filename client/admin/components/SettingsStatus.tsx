// What a settings or people screen says under its form: that it is offline (these changes are
// saved on the server, not through the device's queue, so saving waits for a connection), why a
// save was refused, and that it was saved. Its id is what the form's fields are described by.
import { Show } from 'solid-js';
import { useReplica } from '../../lib/replica/context.tsx';
import { FormError } from '../../lib/ui/form.tsx';
import { createOnlineSignal } from '../../lib/ui/online.ts';

export function SettingsStatus(props: { id: string; error: string; said?: string }) {
  const replica = useReplica();
  const online = createOnlineSignal();
  /** The browser says so, or the sync cannot reach the server. */
  const offline = () => !online() || replica.status()?.phase === 'offline';
  return (
    <div id={props.id}>
      <Show when={offline()}>
        <p class="error" role="alert">
          You are offline. Changes on this screen are saved on the server, so they need a connection: what you
          typed stays here, and saving works once you are back online.
        </p>
      </Show>
      <FormError message={props.error} />
      <Show when={props.said}>
        <p class="notice" role="status">
          {props.said}
        </p>
      </Show>
    </div>
  );
}
