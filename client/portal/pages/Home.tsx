// The portal's front page: the customer's bookings, upcoming and past, each opening its
// page; the sign-in form when nobody is signed in.
import { A } from '@solidjs/router';
import { createResource, For, Match, Show, Switch } from 'solid-js';
import { type BookingStatus, STATUS_LABELS } from '../../../shared/booking-status.ts';
import { formatDateTime } from '../../../shared/time.ts';
import { createBusinessInfo } from '../../lib/business.ts';
import { createSession } from '../../lib/session.ts';
import { api } from '../../lib/trpc.ts';
import { AppBar } from '../../lib/ui/AppBar.tsx';
import { RequestLink } from './RequestLink.tsx';

type PortalBooking = Awaited<ReturnType<typeof api.portal.bookings.query>>[number];

export function Home() {
  const { session, signOut } = createSession();
  const business = createBusinessInfo();
  const customer = () => {
    const s = session();
    return s?.role === 'customer' ? s : null;
  };
  const [bookings] = createResource(customer, () => api.portal.bookings.query());
  const now = Date.now();
  const upcoming = () => (bookings() ?? []).filter((b) => new Date(b.endsAt).getTime() >= now);
  const past = () => (bookings() ?? []).filter((b) => new Date(b.endsAt).getTime() < now).reverse();

  return (
    <>
      <AppBar title={business()?.name ?? 'Your bookings'} onSignOut={customer() ? signOut : undefined} />
      <main>
        <Switch fallback={<RequestLink />}>
          <Match when={session.loading}>
            <p role="status">Loading…</p>
          </Match>
          <Match when={customer()}>
            {(who) => (
              <>
                <p>Signed in as {who().name}.</p>
                <h2>My bookings</h2>
                <Show when={!bookings.loading} fallback={<p role="status">Loading your bookings…</p>}>
                  <BookingSection
                    title="Upcoming"
                    bookings={upcoming()}
                    zone={business()?.timeZone ?? 'UTC'}
                  />
                  <BookingSection title="Past" bookings={past()} zone={business()?.timeZone ?? 'UTC'} />
                </Show>
              </>
            )}
          </Match>
        </Switch>
      </main>
    </>
  );
}

function BookingSection(props: { title: string; bookings: PortalBooking[]; zone: string }) {
  const headingId = `bookings-${props.title.toLowerCase()}`;
  return (
    <section class="card" aria-labelledby={headingId}>
      <h3 id={headingId}>{props.title}</h3>
      <Show when={props.bookings.length} fallback={<p class="muted">None.</p>}>
        <ul class="list" aria-labelledby={headingId}>
          <For each={props.bookings}>
            {(b) => (
              <li>
                <A class="booking-link" href={`/bookings/${b.id}`}>
                  <strong>{formatDateTime(b.startsAt, props.zone)}</strong>
                  <br />
                  {b.serviceName} ·{' '}
                  <span class={`status-badge ${b.status}`}>{STATUS_LABELS[b.status as BookingStatus]}</span>
                  <br />
                  <span class="muted">{b.address}</span>
                </A>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
