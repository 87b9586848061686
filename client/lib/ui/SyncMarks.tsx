// Marks on a booking for this device's writes, in words (the colour only repeats them).
import { type BookingStatus, STATUS_LABELS } from '../../../shared/booking-status.ts';

/** A change to this booking is on the device and not yet on the server. */
export function WaitingToSync() {
  return <span class="sync-mark waiting">Waiting to sync</span>;
}

export function StatusBadge(props: { status: BookingStatus }) {
  return <span class={`status-badge ${props.status}`}>{STATUS_LABELS[props.status] ?? props.status}</span>;
}
