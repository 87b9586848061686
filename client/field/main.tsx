// The fieldworker app. For now: sign-in and the fieldworker's own schedule; notifications,
// push and offline work arrive with their issues.
import '../lib/ui/base.css';
import { render } from 'solid-js/web';
import { StaffApp } from '../lib/ui/StaffApp.tsx';
import { UpcomingBookings } from '../lib/ui/UpcomingBookings.tsx';

render(
  () => (
    <StaffApp app="field" title="Fieldworker">
      {(who) => <UpcomingBookings name={who.name} heading="My schedule" />}
    </StaffApp>
  ),
  document.getElementById('root') as HTMLElement,
);
