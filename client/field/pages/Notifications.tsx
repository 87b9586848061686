// Notifications: what changed in this fieldworker's jobs (cancelled, moved, assigned, taken
// away), newest first. Opening one opens its job and marks it read; one or all are marked read
// on the device, offline too, and sent through the queue like every change. A cancellation has
// "Got it", which tells the office when the fieldworker saw it.
import { A, useNavigate } from '@solidjs/router';
import { For, Show } from 'solid-js';
import { formatDateTime } from '../../../shared/time.ts';
import { useReplica } from '../../lib/replica/context.tsx';
import { createAction, FormError } from '../../lib/ui/form.tsx';
import { WaitingToSync } from '../../lib/ui/SyncMarks.tsx';
import { acknowledgeCancellationLocally } from '../../lib/writes/booking-writes.ts';
import { markNotificationsReadLocally } from '../../lib/writes/notification-writes.ts';
import { type NotificationRow, useFieldBusiness, useNotifications } from '../queries.ts';

export function Notifications() {
  const replica = useReplica();
  const navigate = useNavigate();
  const notifications = useNotifications();
  const business = useFieldBusiness();
  const zone = () => business.row()?.time_zone ?? 'UTC';
  const action = createAction();
  const unread = () => (notifications.rows() ?? []).filter((n) => !n.read_at);
  const markRead = (ids: string[]) =>
    action.run(async () => void (await markNotificationsReadLocally(replica, ids)));
  const gotIt = (n: NotificationRow) =>
    action.run(
      async () => void (n.booking_id && (await acknowledgeCancellationLocally(replica, n.booking_id))),
    );
  const open = (n: NotificationRow) =>
    action.run(async () => {
      await markNotificationsReadLocally(replica, [n.id]);
      if (n.booking_id) navigate(`/bookings/${n.booking_id}`);
    });

  return (
    <section aria-labelledby="notifications-heading">
      <h2 id="notifications-heading">Notifications</h2>
      <p class="muted">
        <A href="/alerts">Notifications on this phone</A>: get them even when the app is closed.
      </p>
      <FormError message={action.error()} />
      <Show when={unread().length > 0}>
        <button type="button" class="secondary" onClick={() => void markRead(unread().map((n) => n.id))}>
          Mark all read ({unread().length})
        </button>
      </Show>
      <Show
        when={notifications.rows()}
        fallback={<p role="status">Loading your notifications on this device…</p>}
      >
        {(rows) => (
          <ul class="list" aria-label="Notifications, newest first">
            <For
              each={rows()}
              fallback={<li class="muted">Nothing yet. Changes to your jobs appear here.</li>}
            >
              {(n) => (
                <li classList={{ unread: !n.read_at }}>
                  <p>
                    <strong>{n.title}</strong>
                    <Show when={!n.read_at}>
                      {' '}
                      <span class="unread-mark">Unread</span>
                    </Show>{' '}
                    <Show when={n.pending_write_id}>
                      <WaitingToSync />
                    </Show>
                  </p>
                  <p>{n.body}</p>
                  <p class="muted small">{formatDateTime(n.created_at, zone())}</p>
                  <div class="actions">
                    <Show when={n.awaiting_got_it}>
                      <button type="button" onClick={() => void gotIt(n)} aria-label={`Got it: ${n.body}`}>
                        Got it
                      </button>
                    </Show>
                    <Show when={n.booking_id}>
                      <button
                        type="button"
                        onClick={() => void open(n)}
                        aria-label={`Open the job: ${n.title}`}
                      >
                        Open the job
                      </button>
                    </Show>
                    <Show when={!n.read_at}>
                      <button
                        type="button"
                        class="secondary"
                        onClick={() => void markRead([n.id])}
                        aria-label={`Mark read: ${n.title}`}
                      >
                        Mark read
                      </button>
                    </Show>
                  </div>
                </li>
              )}
            </For>
          </ul>
        )}
      </Show>
    </section>
  );
}
