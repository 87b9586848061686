// The fieldworker app, local-first and phone-first: the schedule, each job, the notifications
// and web push read from and write through this phone's replica (client/lib), so it works in
// a van without signal. The frame (sign-in, sync indicator, update prompt, sign-out) is the
// admin app's, from LocalFirstApp.
import '../lib/ui/base.css';
import './field.css';
import { A, Route, Router } from '@solidjs/router';
import { createEffect, onMount, Show } from 'solid-js';
import { render } from 'solid-js/web';
import { refreshPushSubscription } from '../lib/push/push-subscription.ts';
import { useReplica } from '../lib/replica/context.tsx';
import { LocalFirstApp } from '../lib/ui/LocalFirstApp.tsx';
import { Alerts } from './pages/Alerts.tsx';
import { FieldBooking } from './pages/FieldBooking.tsx';
import { Notifications } from './pages/Notifications.tsx';
import { Schedule } from './pages/Schedule.tsx';
import { useUnreadCount } from './queries.ts';

/** The tab bar: the unread count in words, and on the app's icon where the browser has badges. */
function Sections() {
  const replica = useReplica();
  const unread = useUnreadCount();
  const count = () => unread.row()?.n ?? 0;
  createEffect(() => {
    const n = count();
    if (!('setAppBadge' in navigator)) return;
    void (n ? navigator.setAppBadge(n) : navigator.clearAppBadge()).catch(() => {});
  });
  // The browser may have replaced this phone's push subscription: the server gets the current one.
  onMount(() => void refreshPushSubscription((call) => replica.callServer(call)).catch(() => {}));
  return (
    <>
      <A href="/" end>
        Schedule
      </A>
      <A href="/notifications">
        Notifications
        <Show when={count() > 0}>
          {' '}
          <span class="count">({count()} unread)</span>
        </Show>
      </A>
      <A href="/alerts">Alerts</A>
    </>
  );
}

render(
  () => (
    <Router
      base="/field"
      root={(props) => (
        <LocalFirstApp app="field" title="Fieldworker" nav={() => <Sections />}>
          {props.children}
        </LocalFirstApp>
      )}
    >
      <Route path="/" component={Schedule} />
      <Route path="/bookings/:id" component={FieldBooking} />
      <Route path="/notifications" component={Notifications} />
      <Route path="/alerts" component={Alerts} />
      <Route path="*" component={() => <p>There is nothing at this address.</p>} />
    </Router>
  ),
  document.getElementById('root') as HTMLElement,
);
