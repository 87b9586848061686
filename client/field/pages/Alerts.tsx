// Notifications on this phone (web push), by choice: what will arrive and why, then the
// browser's own question. A fieldworker who said no still has the list in the app, and this
// page says how to turn them on. Turning them on and off needs a connection.
import { createResource, createSignal, Match, Switch } from 'solid-js';
import { PUSH_DENIED, pushState, turnOffPush, turnOnPush } from '../../lib/push/push-subscription.ts';
import { useReplica } from '../../lib/replica/context.tsx';
import { BusyButton, createAction, FormError } from '../../lib/ui/form.tsx';

export function Alerts() {
  const replica = useReplica();
  const [state, { refetch }] = createResource(pushState);
  const action = createAction(() => void refetch());
  const [said, setSaid] = createSignal('');
  const turnOn = () =>
    action.run(async () => {
      setSaid('');
      await turnOnPush((call) => replica.callServer(call));
      await refetch();
      setSaid('Notifications are on for this phone.');
    });
  const turnOff = () =>
    action.run(async () => {
      setSaid('');
      await replica.callServer(() => turnOffPush());
      await refetch();
      setSaid('Notifications are off for this phone. Changes still appear in the app’s list.');
    });

  return (
    <section aria-labelledby="alerts-heading">
      <h2 id="alerts-heading">Notifications on this phone</h2>
      <p>
        When one of your jobs is cancelled, moved, given to you or given to someone else, this phone shows a
        notification, even when the app is closed. A cancellation comes first, marked urgent. Nothing else is
        sent: no marketing, no reminders of your own.
      </p>
      <Switch fallback={<p role="status">Checking this phone…</p>}>
        <Match when={state() === 'unsupported'}>
          <p>
            This browser cannot show notifications from a web app. Install the app from the browser’s menu
            (Add to Home screen), then open it from there. Changes still appear in the app’s list.
          </p>
        </Match>
        <Match when={state() === 'denied'}>
          <p class="warning">{PUSH_DENIED}</p>
        </Match>
        <Match when={state() === 'on'}>
          <p>
            <strong>On</strong> for this phone.
          </p>
          <BusyButton
            busy={action.busy()}
            label="Turn notifications off"
            busyLabel="Turning off…"
            onClick={() => void turnOff()}
          />
        </Match>
        <Match when={state() === 'off'}>
          <p>
            <strong>Off</strong> for this phone. Your browser will ask you to allow them.
          </p>
          <BusyButton
            busy={action.busy()}
            label="Turn notifications on"
            busyLabel="Turning on…"
            onClick={() => void turnOn()}
          />
        </Match>
      </Switch>
      <FormError message={action.error()} />
      <p class="notice" role="status">
        {said()}
      </p>
    </section>
  );
}
