// Ask for a sign-in link by email. The answer is the same whether the email is known or not.
import { createSignal, Show } from 'solid-js';
import { EmailAddress } from '../../../shared/schemas.ts';
import { api } from '../../lib/trpc.ts';
import { BusyButton, createAction, FormError } from '../../lib/ui/form.tsx';

export function RequestLink(props: { heading?: string }) {
  const action = createAction();
  const [sent, setSent] = createSignal('');

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const parsed = EmailAddress.safeParse(new FormData(event.currentTarget as HTMLFormElement).get('email'));
    if (!parsed.success)
      return action.setError(parsed.error.issues[0]?.message ?? 'Enter your email address.');
    void action.run(async () => {
      setSent((await api.auth.requestSignInLink.mutate({ email: parsed.data })).message);
    });
  };

  return (
    <section class="card" aria-labelledby="request-link-heading">
      <h2 id="request-link-heading">{props.heading ?? 'Sign in to see your bookings'}</h2>
      <Show
        when={!sent()}
        fallback={
          <p class="notice" role="status">
            {sent()} Open it on this device.
          </p>
        }
      >
        <p>We will email you a link that signs you in. No password needed.</p>
        <form class="stack" onSubmit={submit} noValidate>
          <label>
            Email
            <input name="email" type="email" autocomplete="email" required />
          </label>
          <FormError message={action.error()} />
          <BusyButton busy={action.busy()} label="Email me a sign-in link" busyLabel="Sending…" />
        </form>
      </Show>
    </section>
  );
}
