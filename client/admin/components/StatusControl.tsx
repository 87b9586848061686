// The Status drop-down: the current status and the ones the shared machine allows next.
// Choosing one saves it on the device at once; choosing Canceled asks first, in the cancel
// dialog. The hint says so before anyone chooses (a select that acts on change must warn).
import { createSignal, For, Show } from 'solid-js';
import { allowedTransitions, type BookingStatus, STATUS_LABELS } from '../../../shared/booking-status.ts';
import { useReplica } from '../../lib/replica/context.tsx';
import { createAction, FormError } from '../../lib/ui/form.tsx';
import { editBookingLocally } from '../../lib/writes/booking-writes.ts';
import { SAVED_ON_DEVICE } from '../format.ts';
import { CancelBookingDialog } from './CancelBookingDialog.tsx';

export function StatusControl(props: {
  booking: { id: string; status: BookingStatus; price_minor: number; currency: string };
  onSaved: (message: string) => void;
}) {
  const replica = useReplica();
  const action = createAction();
  const [cancelling, setCancelling] = createSignal(false);
  // Never unmounted while the page shows the booking: focus comes back here from the dialog.
  let select: HTMLSelectElement | undefined;
  const next = () => allowedTransitions(props.booking.status);

  const choose = (value: string) => {
    const current = props.booking.status;
    // The select shows the booking's status until the booking itself changes.
    if (select) select.value = current;
    if (value === current) return;
    if (value === 'cancelled') {
      setCancelling(true);
      return;
    }
    const status = value as Exclude<BookingStatus, 'cancelled'>;
    void action.run(async () => {
      await editBookingLocally(replica, props.booking.id, { status });
      props.onSaved(`Marked ${STATUS_LABELS[status]}. ${SAVED_ON_DEVICE}`);
    });
  };

  return (
    <div class="status-control">
      <label>
        Status
        <select
          ref={select}
          value={props.booking.status}
          onChange={(e) => choose(e.currentTarget.value)}
          aria-describedby="status-hint status-error"
        >
          <option value={props.booking.status} selected>
            {STATUS_LABELS[props.booking.status]} (now)
          </option>
          <For each={next()}>{(s) => <option value={s}>{STATUS_LABELS[s]}</option>}</For>
        </select>
      </label>
      <p id="status-hint" class="muted small">
        <Show
          when={next().length}
          fallback={`${STATUS_LABELS[props.booking.status]} is final: this booking's status cannot change any more.`}
        >
          Choosing a status saves it at once; {STATUS_LABELS.cancelled} asks for a comment and a fee first.
        </Show>
      </p>
      <div id="status-error">
        <FormError message={action.error()} />
      </div>
      <CancelBookingDialog
        booking={props.booking}
        open={cancelling()}
        onOpenChange={setCancelling}
        onCancelled={() => {
          setCancelling(false);
          props.onSaved(`Booking cancelled. ${SAVED_ON_DEVICE}`);
        }}
        returnFocusTo={() => select}
      />
    </div>
  );
}
