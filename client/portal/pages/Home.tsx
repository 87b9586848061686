// The portal's front page: the customer's bookings when signed in, else the sign-in form.
import { createResource, Match, Switch } from 'solid-js';
import { createBusinessInfo } from '../../lib/business.ts';
import { createSession } from '../../lib/session.ts';
import { api } from '../../lib/trpc.ts';
import { AppBar } from '../../lib/ui/AppBar.tsx';
import { BookingList } from '../../lib/ui/BookingList.tsx';
import { RequestLink } from './RequestLink.tsx';

export function Home() {
  const { session, signOut } = createSession();
  const business = createBusinessInfo();
  const customer = () => {
    const s = session();
    return s?.role === 'customer' ? s : null;
  };
  const [bookings] = createResource(customer, () => api.bookings.list.query({ limit: 200 }));
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
              <section class="card" aria-labelledby="my-bookings-heading">
                <p>Signed in as {who().name}.</p>
                <h2 id="my-bookings-heading">My bookings</h2>
                <Switch>
                  <Match when={bookings.loading}>
                    <p role="status">Loading your bookings…</p>
                  </Match>
                  <Match when={bookings()}>
                    {(list) => (
                      <BookingList
                        bookings={list()}
                        timeZone={business()?.timeZone ?? 'UTC'}
                        label="My bookings"
                      />
                    )}
                  </Match>
                </Switch>
              </section>
            )}
          </Match>
        </Switch>
      </main>
    </>
  );
}
