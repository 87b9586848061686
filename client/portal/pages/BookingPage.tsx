// One booking's page: opened from My bookings (signed in) or from an email's View / Cancel
// link (a token for this booking only, no password). Opening it changes nothing; the
// cancel happens on the dialog's Cancel button. After a cancel it reads Canceled and
// offers Schedule an appointment.
import { A, useNavigate, useParams, useSearchParams } from '@solidjs/router';
import { TRPCClientError } from '@trpc/client';
import { createEffect, createResource, createSignal, Match, Show, Switch } from 'solid-js';
import { type BookingStatus, STATUS_LABELS } from '../../../shared/booking-status.ts';
import { describeCharge, formatMoney } from '../../../shared/fees.ts';
import { formatDateTime } from '../../../shared/time.ts';
import { createBusinessInfo } from '../../lib/business.ts';
import { createSession } from '../../lib/session.ts';
import { api, errorMessage } from '../../lib/trpc.ts';
import { AppBar } from '../../lib/ui/AppBar.tsx';
import { CancelDialog } from '../components/CancelDialog.tsx';
import { ContactLine } from '../components/ContactLine.tsx';
import { ScheduleDialog } from '../components/ScheduleDialog.tsx';
import { RequestLink } from './RequestLink.tsx';

export function BookingPage() {
  const params = useParams<{ id: string }>();
  const [search] = useSearchParams();
  const token = () => (typeof search.token === 'string' ? search.token : undefined);
  const business = createBusinessInfo();
  const { session, signOut } = createSession();
  const [booking, { refetch }] = createResource(
    () => ({ id: params.id, token: token() }),
    (input) => api.portal.booking.query(input),
  );
  const zone = () => business()?.timeZone ?? 'UTC';

  const [cancelOpen, setCancelOpen] = createSignal(false);
  const [scheduleOpen, setScheduleOpen] = createSignal(false);
  const [notice, setNotice] = createSignal('');
  let statusHeading: HTMLHeadingElement | undefined;
  let cancelButton: HTMLButtonElement | undefined;
  let scheduleButton: HTMLButtonElement | undefined;

  // A Cancel booking link opens the dialog straight away, once, if cancelling is allowed.
  let autoOpened = false;
  createEffect(() => {
    const b = booking();
    if (!autoOpened && b && search.cancel === '1' && b.cancel.allowed) {
      autoOpened = true;
      setCancelOpen(true);
    }
  });

  const onCancelled = async (result: {
    outcome: 'cancelled' | 'already-cancelled';
    cancelledByYou?: boolean;
  }) => {
    const yours = result.outcome === 'cancelled' || result.cancelledByYou;
    setNotice(
      yours
        ? 'Your booking is canceled. A confirmation email is on its way.'
        : 'This booking was already canceled.',
    );
    setCancelOpen(false);
    await refetch();
    statusHeading?.focus();
  };

  // A refused cancel (the fee changed, it is too late now…) keeps its message in the open
  // dialog; the page shows the new state once the dialog is closed.
  let stale = false;
  const cancelOpenChange = (open: boolean) => {
    setCancelOpen(open);
    if (!open && stale) {
      stale = false;
      void refetch();
    }
  };

  const navigate = useNavigate();
  const signOutHere = async () => {
    await signOut();
    navigate('/', { replace: true });
  };

  const errorKind = () => {
    const error = booking.error;
    if (!(error instanceof TRPCClientError)) return 'other';
    return (error.data?.code as string | undefined) ?? 'other';
  };

  return (
    <>
      <AppBar
        title={business()?.name ?? 'Your booking'}
        onSignOut={session()?.role === 'customer' ? signOutHere : undefined}
      />
      <main>
        <Switch>
          <Match when={booking.error && errorKind() === 'FORBIDDEN'}>
            <section class="card">
              <h2>This link no longer works</h2>
              <p>It may have expired. Sign in to see your bookings:</p>
            </section>
            <RequestLink heading="Email me a sign-in link" />
          </Match>
          <Match when={booking.error && errorKind() === 'UNAUTHORIZED'}>
            <RequestLink heading="Sign in to see this booking" />
          </Match>
          <Match when={booking.error}>
            <section class="card">
              <h2>{errorKind() === 'NOT_FOUND' ? 'Booking not found' : 'Could not show this booking'}</h2>
              <p role="alert">{errorMessage(booking.error)}</p>
              <A href="/">Back to my bookings</A>
            </section>
          </Match>
          <Match when={booking()}>
            {(b) => (
              <section class="card" aria-labelledby="booking-heading">
                <Show when={b().access === 'session'}>
                  <p>
                    <A href="/">← My bookings</A>
                  </p>
                </Show>
                <h2 id="booking-heading">{b().serviceName}</h2>
                <h3 ref={statusHeading} tabIndex={-1} class="booking-status">
                  <span class={`status-badge ${b().status}`}>
                    {STATUS_LABELS[b().status as BookingStatus]}
                  </span>
                  <Show when={b().cancelledAt}>
                    {(at) => <span class="muted"> on {formatDateTime(at(), zone())}</span>}
                  </Show>
                </h3>
                <Show when={notice()}>
                  <p class="notice" role="status">
                    {notice()}
                  </p>
                </Show>
                <dl class="details">
                  <dt>When</dt>
                  <dd>{formatDateTime(b().startsAt, zone())}</dd>
                  <dt>Where</dt>
                  <dd>{b().address}</dd>
                  <dt>Price</dt>
                  <dd>{formatMoney(b().priceMinor, b().currency)}</dd>
                  <Show when={b().fieldworkerFirstName}>
                    <dt>Your pro</dt>
                    <dd>{b().fieldworkerFirstName}</dd>
                  </Show>
                  <Show when={b().cancelComment}>
                    <dt>{b().cancelledByYou ? 'Your comment' : 'Comment'}</dt>
                    <dd>{b().cancelComment}</dd>
                  </Show>
                  <Show when={b().cancelFee}>
                    {(fee) => (
                      <>
                        <dt>Cancellation fee</dt>
                        <dd>{describeCharge(fee().feeMinor, fee().taxMinor, b().currency)}</dd>
                      </>
                    )}
                  </Show>
                </dl>
                <Switch>
                  <Match when={b().status === 'cancelled'}>
                    <button ref={scheduleButton} type="button" onClick={() => setScheduleOpen(true)}>
                      Schedule an appointment
                    </button>
                    <ScheduleDialog
                      fromBookingId={b().id}
                      token={token()}
                      defaultServiceId={b().serviceId}
                      open={scheduleOpen()}
                      onOpenChange={setScheduleOpen}
                      returnFocusTo={() => scheduleButton}
                    />
                  </Match>
                  <Match when={cancelTerms(b().cancel)}>
                    {(terms) => (
                      <>
                        <button
                          ref={cancelButton}
                          type="button"
                          class="danger"
                          onClick={() => setCancelOpen(true)}
                        >
                          Cancel booking
                        </button>
                        <CancelDialog
                          bookingId={b().id}
                          token={token()}
                          terms={{ commentRequired: terms().commentRequired, fee: terms().fee }}
                          open={cancelOpen()}
                          onOpenChange={cancelOpenChange}
                          onDone={(result) => void onCancelled(result)}
                          onRefused={() => {
                            stale = true;
                          }}
                          returnFocusTo={() => cancelButton}
                        />
                      </>
                    )}
                  </Match>
                  <Match when={cancelRefusal(b().cancel)}>
                    {(refusal) => (
                      <div role="note" aria-label="Why this booking cannot be canceled here">
                        <p>{refusal().message}</p>
                        <ContactLine />
                      </div>
                    )}
                  </Match>
                </Switch>
              </section>
            )}
          </Match>
          <Match when={booking.loading}>
            <p role="status">Loading your booking…</p>
          </Match>
        </Switch>
      </main>
    </>
  );
}

type CancelInfo = Awaited<ReturnType<typeof api.portal.booking.query>>['cancel'];
const cancelTerms = (c: CancelInfo) => (c.allowed ? c : null);
const cancelRefusal = (c: CancelInfo) => (c.allowed ? null : c);
