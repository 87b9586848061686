// Bookings › Requests: what customers asked for with Schedule an appointment, soonest first.
// Each is scheduled by giving it a time and a fieldworker; it then leaves this list (marked
// waiting to sync in All bookings until the server has it).
import { A } from '@solidjs/router';
import { createMemo, createSignal, For, Match, Show, Switch } from 'solid-js';
import { formatDateTime } from '../../../shared/time.ts';
import { WaitingToSync } from '../../lib/ui/SyncMarks.tsx';
import { ScheduleRequestForm } from '../components/ScheduleRequestForm.tsx';
import { plural, SAVED_ON_DEVICE } from '../format.ts';
import { type RequestRow, useBusiness, useFieldworkers, useRequests } from '../queries.ts';

export function Requests() {
  const business = useBusiness();
  const fieldworkers = useFieldworkers();
  const requests = useRequests();
  // Each update of a live query brings new row objects: key the cards by id, so a sync that
  // touches one request does not rebuild (and empty) the form someone is filling in.
  const byId = createMemo(() => new Map((requests.rows() ?? []).map((r) => [r.id, r])));
  const ids = createMemo(() => [...byId().keys()], [], {
    equals: (a, b) => a.length === b.length && a.every((id, i) => id === b[i]),
  });
  const [notice, setNotice] = createSignal('');
  let heading: HTMLHeadingElement | undefined;

  // The scheduled request's card goes away with its form: put focus somewhere that stays.
  const scheduled = (r: RequestRow) => {
    setNotice(
      `${r.service_name ?? 'The request'} for ${r.customer_name ?? 'the customer'} is scheduled. ${SAVED_ON_DEVICE}`,
    );
    heading?.focus();
  };

  return (
    <section aria-labelledby="requests-heading">
      <h2 id="requests-heading" ref={heading} tabIndex={-1}>
        Requests
      </h2>
      <p class="notice" role="status">
        {notice()}
      </p>
      <Show when={business.row()} fallback={<p role="status">Loading the requests on this device…</p>}>
        {(b) => (
          <Switch>
            <Match when={requests.error()}>
              <p class="error" role="alert">
                {requests.error()}
              </p>
            </Match>
            <Match when={requests.rows() === undefined}>
              <p role="status">Loading the requests on this device…</p>
            </Match>
            <Match when={requests.rows()?.length === 0}>
              <p class="muted">
                No requests are waiting. When a customer asks for an appointment, it shows here.
              </p>
            </Match>
            <Match when={requests.rows()}>
              {(rows) => (
                <>
                  <p class="muted">
                    {plural(rows().length, 'request', 'requests')} to schedule, soonest first.
                  </p>
                  <ul class="request-list">
                    <For each={ids()}>
                      {(id) => (
                        <Show when={byId().get(id)}>
                          {(r) => (
                            <li class="card" aria-labelledby={`request-${id}`}>
                              <h3 id={`request-${id}`}>
                                <A href={`/bookings/${id}`}>
                                  {r().service_name ?? 'Unknown service'} for{' '}
                                  {r().customer_name ?? 'unknown customer'}
                                </A>
                              </h3>
                              <dl class="details">
                                <dt>Asked for</dt>
                                <dd>{formatDateTime(r().starts_at, b().time_zone)}</dd>
                                <dt>Where</dt>
                                <dd>{r().address}</dd>
                                <Show when={r().customer_email || r().customer_phone}>
                                  <dt>Contact</dt>
                                  <dd>
                                    {[r().customer_email, r().customer_phone].filter(Boolean).join(' · ')}
                                  </dd>
                                </Show>
                                <Show when={r().notes}>
                                  <dt>Note</dt>
                                  <dd class="pre-line">{r().notes}</dd>
                                </Show>
                              </dl>
                              <Show when={r().pending_write_id}>
                                <p>
                                  <WaitingToSync />
                                </p>
                              </Show>
                              <ScheduleRequestForm
                                request={r()}
                                fieldworkers={fieldworkers.rows() ?? []}
                                timeZone={b().time_zone}
                                onScheduled={scheduled}
                              />
                            </li>
                          )}
                        </Show>
                      )}
                    </For>
                  </ul>
                </>
              )}
            </Match>
          </Switch>
        )}
      </Show>
    </section>
  );
}
