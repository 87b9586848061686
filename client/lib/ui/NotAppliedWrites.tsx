// Writes the server refused: rolled back on this device, shown with the server's sentence until
// the person dismisses them, so nothing they did disappears without a word.
import { A } from '@solidjs/router';
import { For, Show } from 'solid-js';
import { useReplica } from '../replica/context.tsx';
import { dismissRejectedWrite } from '../writes/queue.ts';
import type { NotAppliedWrite } from '../writes/queue-state.ts';

export function NotAppliedWrites(props: { writes: readonly NotAppliedWrite[]; entityId?: string }) {
  const replica = useReplica();
  const shown = () => props.writes.filter((w) => !props.entityId || w.entity_id === props.entityId);
  return (
    <Show when={shown().length}>
      <section class="card not-applied" aria-labelledby="not-applied-heading">
        <h2 id="not-applied-heading">Not applied</h2>
        <ul class="list">
          <For each={shown()}>
            {(write) => (
              <li>
                <strong>{write.summary}</strong>: {write.last_error ?? 'The server refused this change.'}{' '}
                <Show when={!props.entityId && write.entity_table === 'bookings'}>
                  <A href={`/bookings/${write.entity_id}`}>Open the booking</A>{' '}
                </Show>
                <button
                  type="button"
                  class="secondary"
                  onClick={() => void dismissRejectedWrite(replica, write.write_id)}
                >
                  Dismiss
                </button>
              </li>
            )}
          </For>
        </ul>
      </section>
    </Show>
  );
}
