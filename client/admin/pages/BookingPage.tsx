// One booking: its details, this device's marks (waiting to sync, not applied), who cancelled it
// and how, its history, Edit booking and the Status drop-down. Everything reads the replica, so
// the page works offline and follows every change, local or synced, as it happens.
import { A, useParams } from '@solidjs/router';
import { createSignal, Match, Show, Switch } from 'solid-js';
import { describeCharge, formatMoney } from '../../../shared/fees.ts';
import { BookingId } from '../../../shared/schemas.ts';
import { formatDateTime } from '../../../shared/time.ts';
import type { ActorRole, Channel } from '../../../shared/vocabulary.ts';
import { StatusBadge, WaitingToSync } from '../../lib/ui/SyncMarks.tsx';
import { BookingHistory } from '../components/BookingHistory.tsx';
import { EditBookingForm } from '../components/EditBookingForm.tsx';
import { StatusControl } from '../components/StatusControl.tsx';
import { ACTOR_ROLE_LABELS, CHANNEL_LABELS } from '../format.ts';
import {
  type BookingDetailRow,
  useBooking,
  useBookingEvents,
  useBookingWrites,
  useBusiness,
  useFieldworkers,
} from '../queries.ts';

/** Statuses whose time, fieldworker and notes may still change. */
const EDITABLE = new Set(['requested', 'scheduled', 'confirmed', 'in_progress']);

export function BookingPage() {
  const params = useParams<{ id: string }>();
  // An address that is no booking id finds nothing, rather than a database error.
  const id = () => (BookingId.safeParse(params.id).success ? params.id : null);
  const business = useBusiness();
  const booking = useBooking(id);
  const events = useBookingEvents(id);
  const writes = useBookingWrites(id);
  const fieldworkers = useFieldworkers();
  const [editing, setEditing] = createSignal(false);
  const [notice, setNotice] = createSignal('');
  let editButton: HTMLButtonElement | undefined;

  const rejected = () => (writes.rows() ?? []).filter((w) => w.state === 'rejected');
  const saved = (message: string) => setNotice(message);
  const closeEdit = () => {
    setEditing(false);
    editButton?.focus();
  };

  return (
    <Switch>
      <Match when={!id() || booking.row() === null}>
        <section class="card" aria-labelledby="not-found-heading">
          <h2 id="not-found-heading">Booking not found</h2>
          <p>
            This booking is not on this device. It may have been deleted, or it has not synced yet: check the
            sync status above.
          </p>
          <A href="/">Back to all bookings</A>
        </section>
      </Match>
      <Match when={booking.error()}>
        <p class="error" role="alert">
          {booking.error()}
        </p>
      </Match>
      <Match when={booking.row() && business.row()}>
        <Show when={booking.row()}>
          {(b) => {
            const zone = () => business.row()?.time_zone ?? 'UTC';
            return (
              <article class="booking-page" aria-labelledby="booking-heading">
                <p>
                  <A href="/">← All bookings</A>
                </p>
                <h2 id="booking-heading">
                  {b().service_name ?? 'Booking'} · {formatDateTime(b().starts_at, zone())}
                </h2>
                <p class="booking-status">
                  <StatusBadge status={b().status} />{' '}
                  <Show when={b().pending_write_id}>
                    <WaitingToSync />
                  </Show>
                </p>
                {/* What was just saved, while it waits to be sent; once the server has answered the
                    booking shows its answer (a refusal is listed under Not applied, above). */}
                <p class="notice" role="status">
                  {b().pending_write_id ? notice() : ''}
                </p>
                <Show when={b().pending_write_id && !notice()}>
                  <p class="muted">
                    A change made on this device is waiting to be sent to the server. It is shown here
                    already.
                  </p>
                </Show>
                <Show when={rejected().length}>
                  <p class="muted">The booking shows what the server has.</p>
                </Show>
                <BookingDetails booking={b()} timeZone={zone()} />
                <Show when={b().status === 'cancelled'}>
                  <CancellationDetails booking={b()} timeZone={zone()} />
                </Show>
                <section class="card" aria-labelledby="change-heading">
                  <h3 id="change-heading">Change this booking</h3>
                  <StatusControl booking={b()} onSaved={saved} />
                  <Show when={EDITABLE.has(b().status)}>
                    <Show
                      when={editing()}
                      fallback={
                        <button
                          type="button"
                          class="secondary"
                          ref={editButton}
                          onClick={() => {
                            setNotice('');
                            setEditing(true);
                          }}
                        >
                          Edit booking
                        </button>
                      }
                    >
                      <EditBookingForm
                        booking={b()}
                        fieldworkers={fieldworkers.rows() ?? []}
                        timeZone={zone()}
                        onSaved={(message) => {
                          saved(message);
                          closeEdit();
                        }}
                        onClose={closeEdit}
                      />
                    </Show>
                  </Show>
                </section>
                <BookingHistory
                  events={events.rows() ?? []}
                  writes={writes.rows() ?? []}
                  timeZone={zone()}
                  currency={b().currency}
                />
              </article>
            );
          }}
        </Show>
      </Match>
      <Match when={true}>
        <p role="status">Loading the booking…</p>
      </Match>
    </Switch>
  );
}

function BookingDetails(props: { booking: BookingDetailRow; timeZone: string }) {
  const b = () => props.booking;
  return (
    <section class="card" aria-labelledby="details-heading">
      <h3 id="details-heading">Details</h3>
      <dl class="details">
        <dt>Customer</dt>
        <dd>{b().customer_name ?? 'Unknown customer'}</dd>
        <Show when={b().customer_email}>
          <dt>Email</dt>
          <dd>
            <a href={`mailto:${b().customer_email}`}>{b().customer_email}</a>
          </dd>
        </Show>
        <Show when={b().customer_phone}>
          <dt>Phone</dt>
          <dd>
            <a href={`tel:${b().customer_phone}`}>{b().customer_phone}</a>
          </dd>
        </Show>
        <dt>When</dt>
        <dd>
          {formatDateTime(b().starts_at, props.timeZone)} to {formatDateTime(b().ends_at, props.timeZone)}
        </dd>
        <dt>Where</dt>
        <dd>{b().address}</dd>
        <dt>Fieldworker</dt>
        <dd>{b().fieldworker_name ?? 'Not assigned'}</dd>
        <dt>Status</dt>
        <dd>
          <StatusBadge status={b().status} />
        </dd>
        <dt>Price</dt>
        <dd>{formatMoney(b().price_minor, b().currency)}</dd>
        <dt>Notes</dt>
        <dd class="pre-line">{b().notes || 'None'}</dd>
      </dl>
    </section>
  );
}

const firstName = (name: string) => name.trim().split(/\s+/)[0] ?? name;

function CancellationDetails(props: { booking: BookingDetailRow; timeZone: string }) {
  const b = () => props.booking;
  const role = () =>
    ACTOR_ROLE_LABELS[b().cancelled_by_role as ActorRole] ?? b().cancelled_by_role ?? 'someone';
  const by = () => (b().cancelled_by_name ? `${b().cancelled_by_name} (${role()})` : `the ${role()}`);
  const channel = () => CHANNEL_LABELS[b().cancel_channel as Channel] ?? '';
  return (
    <section class="card" aria-labelledby="cancellation-heading">
      <h3 id="cancellation-heading">Cancellation</h3>
      <dl class="details">
        <dt>By</dt>
        <dd>
          {by()}
          {channel() ? `, ${channel()}` : ''}
        </dd>
        <Show when={b().cancelled_at}>
          {(at) => (
            <>
              <dt>When</dt>
              <dd>{formatDateTime(at(), props.timeZone)}</dd>
            </>
          )}
        </Show>
        <Show when={b().fieldworker_name}>
          {(name) => (
            <>
              <dt>Seen</dt>
              <dd>
                <Show
                  when={b().cancel_seen_at}
                  fallback={<strong>{`${firstName(name())} has not seen this yet.`}</strong>}
                >
                  {(at) => <>{`${firstName(name())} saw this ${formatDateTime(at(), props.timeZone)}.`}</>}
                </Show>
              </dd>
            </>
          )}
        </Show>
        <dt>Comment</dt>
        <dd class="pre-line">{b().cancel_comment || 'None'}</dd>
        <dt>Fee</dt>
        <dd>
          {b().cancel_fee_minor
            ? `${b().cancel_fee_name ? `${b().cancel_fee_name}: ` : ''}${describeCharge(b().cancel_fee_minor, b().cancel_fee_tax_minor, b().currency)}`
            : 'No fee'}
        </dd>
      </dl>
    </section>
  );
}
