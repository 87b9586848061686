// The signed-in placeholder of the staff apps: who is signed in and the bookings they may
// see from now on (all for an admin, their own for a fieldworker; the server decides).
import { createResource, Show } from 'solid-js';
import { createBusinessInfo } from '../business.ts';
import { api } from '../trpc.ts';
import { BookingList } from './BookingList.tsx';

export function UpcomingBookings(props: { name: string; heading: string }) {
  const business = createBusinessInfo();
  const [bookings] = createResource(() => api.bookings.list.query({ from: new Date(), limit: 50 }));
  return (
    <section class="card" aria-labelledby="bookings-heading">
      <p>Signed in as {props.name}.</p>
      <h2 id="bookings-heading">{props.heading}</h2>
      <Show when={bookings() && business()} fallback={<p role="status">Loading bookings…</p>}>
        <BookingList
          bookings={bookings() ?? []}
          timeZone={business()?.timeZone ?? 'UTC'}
          label={props.heading}
        />
      </Show>
    </section>
  );
}
