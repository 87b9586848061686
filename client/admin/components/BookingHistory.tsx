// A booking's history: the audit events the server recorded (who, in which role, by which
// channel, when — the device's time beside the server's when a change was made offline — the
// comment and the fee), then this device's changes still on their way.
import { For, Match, Show, Switch } from 'solid-js';
import { type BookingStatus, STATUS_LABELS } from '../../../shared/booking-status.ts';
import { describeCharge } from '../../../shared/fees.ts';
import { formatDateTime } from '../../../shared/time.ts';
import type { ActorRole, Channel } from '../../../shared/vocabulary.ts';
import { ACTOR_ROLE_LABELS, CHANNEL_LABELS } from '../format.ts';
import type { BookingEventRow, BookingWriteRow } from '../queries.ts';

/** Device and server clocks this far apart mean the change waited (offline), not clock drift. */
const SHOW_BOTH_TIMES_AFTER_MS = 60_000;

const label = (status: BookingStatus | null) => (status ? (STATUS_LABELS[status] ?? status) : 'none');

function what(e: BookingEventRow, timeZone: string): string {
  switch (e.kind) {
    case 'created':
      return `Created as ${label(e.to_status)}`;
    case 'status_changed':
      return `Status changed from ${label(e.from_status)} to ${label(e.to_status)}`;
    case 'rescheduled':
      return e.moved_from && e.moved_to
        ? `Rescheduled from ${formatDateTime(e.moved_from, timeZone)} to ${formatDateTime(e.moved_to, timeZone)}`
        : 'Rescheduled';
    case 'reassigned':
      return `Reassigned from ${e.reassigned_from ?? 'nobody'} to ${e.reassigned_to ?? 'nobody'}`;
    case 'cancelled':
      return STATUS_LABELS.cancelled;
    default:
      return e.kind;
  }
}

function who(e: BookingEventRow): string {
  const role = ACTOR_ROLE_LABELS[e.actor_role as ActorRole] ?? e.actor_role;
  const channel = CHANNEL_LABELS[e.channel as Channel] ?? e.channel;
  if (e.actor_role === 'system') return `by the system, ${channel}`;
  return `by ${e.actor_name ? `${e.actor_name} (${role})` : `a ${role}`}, ${channel}`;
}

const differs = (a: Date | string | null, b: Date | string) =>
  a !== null && Math.abs(new Date(a).getTime() - new Date(b).getTime()) > SHOW_BOTH_TIMES_AFTER_MS;

/** What the server said about an applied write that found the booking changed meanwhile. */
function meanwhile(write: BookingWriteRow): string {
  const changed = write.answer?.changedMeanwhile ?? [];
  return changed.length ? ` The booking had changed on the server meanwhile (${changed.join(', ')}).` : '';
}

export function BookingHistory(props: {
  events: readonly BookingEventRow[];
  writes: readonly BookingWriteRow[];
  timeZone: string;
  currency: string;
}) {
  const onTheirWay = () => props.writes.filter((w) => w.state !== 'rejected');
  return (
    <section class="card" aria-labelledby="history-heading">
      <h3 id="history-heading">History</h3>
      <Show
        when={props.events.length || onTheirWay().length}
        fallback={<p class="muted">No history has reached this device yet.</p>}
      >
        <ol class="history">
          <For each={props.events}>
            {(e) => (
              <li>
                <strong>{what(e, props.timeZone)}</strong> <span>{who(e)}</span>
                <br />
                <Show
                  when={differs(e.client_at, e.server_at)}
                  fallback={<span class="muted">{formatDateTime(e.server_at, props.timeZone)}</span>}
                >
                  <span class="muted">
                    Made on the device {formatDateTime(e.client_at as Date | string, props.timeZone)}; reached
                    the server {formatDateTime(e.server_at, props.timeZone)}
                  </span>
                </Show>
                <Show when={e.comment}>
                  <br />
                  <span>Comment: “{e.comment}”</span>
                </Show>
                <Show when={e.fee_minor}>
                  <br />
                  <span>
                    Fee: {e.fee_name ? `${e.fee_name}, ` : ''}
                    {describeCharge(e.fee_minor, e.fee_tax_minor, props.currency)}
                  </span>
                </Show>
              </li>
            )}
          </For>
          <For each={onTheirWay()}>
            {(w) => (
              <li class="pending">
                <Switch>
                  <Match when={w.state === 'queued'}>
                    <strong>Waiting to sync: {w.summary}</strong>
                  </Match>
                  <Match when={w.state === 'applied'}>
                    <strong>Accepted by the server: {w.summary}</strong>
                    {meanwhile(w)}
                  </Match>
                </Switch>
                <br />
                <span class="muted">Made on this device {formatDateTime(w.created_at, props.timeZone)}</span>
              </li>
            )}
          </For>
        </ol>
      </Show>
    </section>
  );
}
