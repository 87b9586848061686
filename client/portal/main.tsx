// The customer portal: sign in with an emailed link, see your bookings. Booking view and
// cancellation arrive with the portal issue.
import '../lib/ui/base.css';
import { Route, Router } from '@solidjs/router';
import { render } from 'solid-js/web';
import { ContinueSignIn } from './pages/ContinueSignIn.tsx';
import { Home } from './pages/Home.tsx';

render(
  () => (
    <Router base="/portal">
      <Route path="/" component={Home} />
      <Route path="/sign-in/continue" component={ContinueSignIn} />
      <Route path="*" component={() => <p>There is nothing at this address.</p>} />
    </Router>
  ),
  document.getElementById('root') as HTMLElement,
);
