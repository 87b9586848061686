// A job's page: what the job needs (when, where with a maps link, what, whom to ask for and
// call, the notes meant for the fieldworker) and, for a cancelled one, when and by whom (the
// role, not the person), with "Got it" to tell the office it was seen. Where the
// business allows it, the fieldworker cancels it here with a reason, online or offline, through
// the device's queue like every change. Read from the replica: works offline.
import { A, useParams } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import { formatDateTime } from '../../../shared/time.ts';
import { useReplica } from '../../lib/replica/context.tsx';
import { BusyButton, createAction, FormError } from '../../lib/ui/form.tsx';
import { ModalDialog } from '../../lib/ui/ModalDialog.tsx';
import { StatusBadge, WaitingToSync } from '../../lib/ui/SyncMarks.tsx';
import { acknowledgeCancellationLocally, cancelBookingLocally } from '../../lib/writes/booking-writes.ts';
import { zonedTime } from '../../lib/zoned-time.ts';
import { type FieldBookingRow, useFieldBooking, useFieldBusiness } from '../queries.ts';

const CANCELLED_BY: Readonly<Record<string, string>> = {
  customer: 'the customer',
  admin: 'the office',
  fieldworker: 'you',
  system: 'the system',
};

/** A maps search for the address: opens the phone's maps app where it has one. */
const mapsLink = (address: string) =>
  `https://www.google.com/maps/search/?api=1&query=${encodeURIComponent(address)}`;

/** Jobs not yet started or finished can be cancelled (the server decides, with the same rule). */
const CANCELLABLE = new Set(['requested', 'scheduled', 'confirmed']);

export function FieldBooking() {
  const params = useParams<{ id: string }>();
  const booking = useFieldBooking(() => params.id);
  const business = useFieldBusiness();
  const zone = () => business.row()?.time_zone ?? 'UTC';
  const [cancelling, setCancelling] = createSignal(false);
  const replica = useReplica();
  const action = createAction();
  const gotIt = () => action.run(async () => void (await acknowledgeCancellationLocally(replica, params.id)));
  let cancelButton: HTMLButtonElement | undefined;

  return (
    <Show
      when={booking.row()}
      fallback={
        <Show when={booking.row() === null} fallback={<p role="status">Loading the job on this device…</p>}>
          <p>
            This job is not on your schedule (any more). <A href="/">Back to my schedule</A>
          </p>
        </Show>
      }
    >
      {(job) => (
        <article aria-labelledby="job-heading">
          <p class="muted">
            <A href="/">My schedule</A>
          </p>
          <h2 id="job-heading">{job().service_name ?? 'Job'}</h2>
          <p>
            <StatusBadge status={job().status} />{' '}
            <Show when={job().pending_write_id}>
              <WaitingToSync />
            </Show>
          </p>
          <Show when={job().status === 'cancelled'}>
            <p class="warning" role="note">
              Canceled
              <Show when={job().cancelled_at}>{(at) => <> {formatDateTime(at(), zone())}</>}</Show> by{' '}
              {CANCELLED_BY[job().cancelled_by_role ?? ''] ?? 'someone'}.
              <Show when={job().cancel_comment}> “{job().cancel_comment}”</Show> You need not go.
            </p>
            <Show
              when={job().cancel_seen_at}
              fallback={
                <button
                  type="button"
                  onClick={() => void gotIt()}
                  aria-label="Got it: I saw that this job is cancelled"
                >
                  Got it
                </button>
              }
            >
              {(at) => <p class="muted small">You said you saw this {formatDateTime(at(), zone())}.</p>}
            </Show>
            <FormError message={action.error()} />
          </Show>
          <dl class="details">
            <dt>When</dt>
            <dd>
              {formatDateTime(job().starts_at, zone())} to {zonedTime(job().ends_at, zone())}
            </dd>
            <dt>Where</dt>
            <dd>
              {job().address}{' '}
              <a href={mapsLink(job().address)} target="_blank" rel="noopener">
                Open in maps
              </a>
            </dd>
            <dt>What</dt>
            <dd>
              {job().service_name ?? 'Job'}
              <Show when={job().service_description}>{(d) => <span class="muted"> · {d()}</span>}</Show>
            </dd>
            <dt>Customer</dt>
            <dd>
              {job().customer_first_name || 'Not given'}
              <Show when={job().customer_phone}>
                {(phone) => (
                  <>
                    {' '}
                    · <a href={`tel:${phone()}`}>{phone()}</a>
                  </>
                )}
              </Show>
            </dd>
            <dt>Notes</dt>
            <dd>{job().notes || 'None.'}</dd>
          </dl>
          <Show when={business.row()?.contact_phone}>
            {(phone) => (
              <p>
                Questions? Call the office: <a href={`tel:${phone()}`}>{phone()}</a>
              </p>
            )}
          </Show>
          <Show when={CANCELLABLE.has(job().status) && business.row()?.fieldworker_cancel_enabled}>
            <button type="button" class="danger" ref={cancelButton} onClick={() => setCancelling(true)}>
              Cancel this job
            </button>
            <CancelJobDialog
              job={job()}
              open={cancelling()}
              onOpenChange={setCancelling}
              returnFocusTo={() => cancelButton}
            />
          </Show>
        </article>
      )}
    </Show>
  );
}

function CancelJobDialog(props: {
  job: FieldBookingRow;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  returnFocusTo: () => HTMLElement | undefined;
}) {
  const replica = useReplica();
  const action = createAction();
  const [reason, setReason] = createSignal('');
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    void action.run(async () => {
      await cancelBookingLocally(replica, props.job.id, { comment: reason(), fee: null });
      setReason('');
      props.onOpenChange(false);
    });
  };
  return (
    <ModalDialog
      title="Cancel this job"
      open={props.open}
      onOpenChange={props.onOpenChange}
      returnFocusTo={props.returnFocusTo}
    >
      <form class="stack" onSubmit={submit} noValidate>
        <p>
          The customer gets an email saying it is cancelled. Saved on this phone at once, and sent to the
          office as soon as there is a connection.
        </p>
        <label>
          Why? (the office sees this)
          <textarea value={reason()} onInput={(e) => setReason(e.currentTarget.value)} rows={3} />
        </label>
        <FormError message={action.error()} />
        <BusyButton busy={action.busy()} label="Cancel the job" busyLabel="Saving…" />
      </form>
    </ModalDialog>
  );
}
