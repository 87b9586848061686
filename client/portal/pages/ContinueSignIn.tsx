// The page a sign-in link opens. Opening it changes nothing (mail scanners follow links);
// only pressing Continue (a POST) signs in and uses the link up.
import { useNavigate, useSearchParams } from '@solidjs/router';
import { createResource, Match, Switch } from 'solid-js';
import { api } from '../../lib/trpc.ts';
import { AppBar } from '../../lib/ui/AppBar.tsx';
import { BusyButton, createAction, FormError } from '../../lib/ui/form.tsx';
import { RequestLink } from './RequestLink.tsx';

export function ContinueSignIn() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const token = () => (typeof params.token === 'string' ? params.token : '');
  const [check] = createResource(token, (t) =>
    api.auth.checkSignInLink.query({ token: t }).catch(() => ({ valid: false })),
  );
  const action = createAction();
  const proceed = () =>
    action.run(async () => {
      await api.auth.redeemSignInLink.mutate({ token: token() });
      navigate('/', { replace: true });
    });

  return (
    <>
      <AppBar title="Your bookings" />
      <main>
        <Switch>
          <Match when={!token() || check()?.valid === false}>
            <section class="card">
              <h2>This link no longer works</h2>
              <p>Sign-in links work once, for 30 minutes. Ask for a fresh one below.</p>
            </section>
            <RequestLink heading="Email me a new sign-in link" />
          </Match>
          <Match when={check.loading}>
            <p role="status">Checking your link…</p>
          </Match>
          <Match when={check()?.valid}>
            <section class="card">
              <h2>Sign in</h2>
              <p>Press Continue to sign in on this device.</p>
              <FormError message={action.error()} />
              <BusyButton busy={action.busy()} label="Continue" busyLabel="Signing in…" onClick={proceed} />
            </section>
          </Match>
        </Switch>
      </main>
    </>
  );
}
