// Said on every settings screen while this device cannot reach the server: settings are saved
// on the server, not through the device's queue, so saving waits for a connection.
import { Show } from 'solid-js';
import { useReplica } from '../../lib/replica/context.tsx';
import { createOnlineSignal } from '../../lib/ui/online.ts';

export function NeedsConnection() {
  const replica = useReplica();
  const online = createOnlineSignal();
  /** The browser says so, or the sync cannot reach the server. */
  const offline = () => !online() || replica.status()?.phase === 'offline';
  return (
    <Show when={offline()}>
      <p class="error" role="alert">
        You are offline. Settings are saved on the server, so they need a connection: what you typed stays
        here, and Save works once you are back online.
      </p>
    </Show>
  );
}
