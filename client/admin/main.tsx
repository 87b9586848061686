// The admin app (office staff). For now: sign-in and the upcoming bookings; the bookings,
// cancellation and settings screens arrive with the admin app issue.
import '../lib/ui/base.css';
import { render } from 'solid-js/web';
import { StaffApp } from '../lib/ui/StaffApp.tsx';
import { UpcomingBookings } from '../lib/ui/UpcomingBookings.tsx';

render(
  () => (
    <StaffApp app="admin" title="Admin · Bookings">
      {(who) => <UpcomingBookings name={who.name} heading="Upcoming bookings" />}
    </StaffApp>
  ),
  document.getElementById('root') as HTMLElement,
);
