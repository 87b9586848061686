// Cancellations of jobs starting within 24 hours that their fieldworker has not said they saw
// ("Got it" in the fieldworker app) after the business's set minutes: the office should phone
// them before they drive out. Shown above the bookings only while there are some; the clock
// ticks each half minute so a cancellation joins the list when its minutes are up.
import { A } from '@solidjs/router';
import { createSignal, For, onCleanup, Show } from 'solid-js';
import { formatDateTime } from '../../../shared/time.ts';
import { useBusiness, useUnseenCancellations } from '../queries.ts';

const TICK_MS = 30_000;

export function UnseenCancellations() {
  const [now, setNow] = createSignal(new Date());
  const timer = setInterval(() => setNow(new Date()), TICK_MS);
  onCleanup(() => clearInterval(timer));
  const unseen = useUnseenCancellations(now);
  const business = useBusiness();
  const zone = () => business.row()?.time_zone ?? 'UTC';
  return (
    <Show when={(unseen.rows() ?? []).length > 0}>
      <section class="card warning" aria-labelledby="unseen-heading">
        <h3 id="unseen-heading">Cancellations not seen by their fieldworker</h3>
        <p class="hint">These jobs start within 24 hours. Phone the fieldworker so they do not drive out.</p>
        <ul class="list" aria-label="Cancellations not seen by their fieldworker">
          <For each={unseen.rows()}>
            {(c) => (
              <li>
                <A href={`/bookings/${c.id}`}>
                  {c.service_name ?? 'Booking'}, {formatDateTime(c.starts_at, zone())}
                </A>{' '}
                <span class="muted">
                  · {c.fieldworker_name ?? 'the fieldworker'} · cancelled{' '}
                  {formatDateTime(c.cancelled_at, zone())}
                </span>
              </li>
            )}
          </For>
        </ul>
      </section>
    </Show>
  );
}
