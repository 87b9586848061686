// A plain list of bookings: when (in the business's time zone), what, where, status.
import { For, Show } from 'solid-js';
import { type BookingStatus, STATUS_LABELS } from '../../../shared/booking-status.ts';
import { formatDateTime } from '../../../shared/time.ts';

export interface BookingListItem {
  id: string;
  status: string;
  starts_at: Date | string;
  service_name: string;
  address: string;
  customer_name?: string;
  fieldworker_name?: string | null;
}

export function BookingList(props: { bookings: BookingListItem[]; timeZone: string; label: string }) {
  return (
    <Show when={props.bookings.length} fallback={<p class="muted">No bookings.</p>}>
      <ul class="list" aria-label={props.label}>
        <For each={props.bookings}>
          {(b) => (
            <li>
              <strong>{formatDateTime(b.starts_at, props.timeZone)}</strong> · {b.service_name}
              <br />
              <span class="muted">
                {STATUS_LABELS[b.status as BookingStatus] ?? b.status} · {b.address}
                {b.customer_name ? ` · ${b.customer_name}` : ''}
                {b.fieldworker_name ? ` · ${b.fieldworker_name}` : ''}
              </span>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}
