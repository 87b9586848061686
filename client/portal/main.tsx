// The customer portal: sign in with an emailed link, see your bookings, open one (also
// straight from an email's link), cancel it, ask for a new appointment.
import '../lib/ui/base.css';
import { Route, Router } from '@solidjs/router';
import { render } from 'solid-js/web';
import { BookingPage } from './pages/BookingPage.tsx';
import { ContinueSignIn } from './pages/ContinueSignIn.tsx';
import { Home } from './pages/Home.tsx';

render(
  () => (
    <Router base="/portal">
      <Route path="/" component={Home} />
      <Route path="/sign-in/continue" component={ContinueSignIn} />
      <Route path="/bookings/:id" component={BookingPage} />
      <Route path="*" component={() => <p>There is nothing at this address.</p>} />
    </Router>
  ),
  document.getElementById('root') as HTMLElement,
);
