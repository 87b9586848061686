// The admin app (office staff), local-first: its screens read the replica in this browser and
// write through its queue, so the office keeps working when the connection drops.
import '../lib/ui/base.css';
import './admin.css';
import { A, Route, Router } from '@solidjs/router';
import { lazy } from 'solid-js';
import { render } from 'solid-js/web';
import { LocalFirstApp } from '../lib/ui/LocalFirstApp.tsx';
import { AllBookings } from './pages/AllBookings.tsx';
import { BookingPage } from './pages/BookingPage.tsx';
import { BusinessSettings } from './pages/BusinessSettings.tsx';
import { Customers } from './pages/Customers.tsx';
import { EmailTemplates } from './pages/EmailTemplates.tsx';
import { FailedEmails } from './pages/FailedEmails.tsx';
import { FeesSettings } from './pages/FeesSettings.tsx';
import { NewBooking } from './pages/NewBooking.tsx';
import { PortalSettings } from './pages/PortalSettings.tsx';
import { Requests } from './pages/Requests.tsx';
import { Settings } from './pages/Settings.tsx';
import { Staff } from './pages/Staff.tsx';

// Opened now and then, and heavier than a screen (a chart, a CSV writer): its code is fetched
// when it is opened (the service worker keeps it, so offline too), not with the app.
const CancellationReport = lazy(() =>
  import('./pages/CancellationReport.tsx').then((m) => ({ default: m.CancellationReport })),
);

const sections = () => (
  <>
    <A href="/" end>
      All bookings
    </A>
    <A href="/requests">Requests</A>
    <A href="/bookings/new">New booking</A>
    <A href="/customers">Customers</A>
    <A href="/staff">Staff</A>
    <A href="/reports/cancellations">Reports</A>
    <A href="/settings">Settings</A>
  </>
);

render(
  () => (
    <Router
      base="/admin"
      root={(props) => (
        <LocalFirstApp app="admin" title="Office" nav={sections}>
          {props.children}
        </LocalFirstApp>
      )}
    >
      <Route path="/" component={AllBookings} />
      <Route path="/requests" component={Requests} />
      <Route path="/bookings/new" component={NewBooking} />
      <Route path="/bookings/:id" component={BookingPage} />
      <Route path="/settings" component={Settings} />
      <Route path="/settings/portal" component={PortalSettings} />
      <Route path="/settings/fees" component={FeesSettings} />
      <Route path="/settings/templates" component={EmailTemplates} />
      <Route path="/settings/business" component={BusinessSettings} />
      <Route path="/emails/failed" component={FailedEmails} />
      <Route path="/customers" component={Customers} />
      <Route path="/staff" component={Staff} />
      <Route path="/reports/cancellations" component={CancellationReport} />
      <Route path="*" component={() => <p>There is nothing at this address.</p>} />
    </Router>
  ),
  document.getElementById('root') as HTMLElement,
);
