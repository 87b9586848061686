// This booking's writes the server refused: each with the server's sentence, until dismissed.
// (The frame lists every refused write; here they sit beside the booking they are about.)
import { For } from 'solid-js';
import { useReplica } from '../../lib/replica/context.tsx';
import { dismissRejectedWrite } from '../../lib/writes/queue.ts';
import type { BookingWriteRow } from '../queries.ts';

export function NotAppliedNotice(props: { writes: readonly BookingWriteRow[] }) {
  const replica = useReplica();
  return (
    <For each={props.writes}>
      {(w) => (
        <div class="not-applied-notice">
          <p>
            <strong>Not applied: {w.summary}.</strong> {w.last_error ?? 'The server refused this change.'}
          </p>
          <button
            type="button"
            class="secondary"
            onClick={() => void dismissRejectedWrite(replica, w.write_id)}
          >
            Dismiss
          </button>
        </div>
      )}
    </For>
  );
}
