// Ask for a sign-in link by email. The answer is the same whether the email is known or not.
import { createSignal, Show } from 'solid-js';
import { EmailAddress } from '../../../shared/schemas.ts';
import { api, errorMessage } from '../../lib/trpc.ts';

export function RequestLink(props: { heading?: string }) {
  const [error, setError] = createSignal('');
  const [sent, setSent] = createSignal('');
  const [busy, setBusy] = createSignal(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const parsed = EmailAddress.safeParse(new FormData(event.currentTarget as HTMLFormElement).get('email'));
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? 'Enter your email address.');
      return;
    }
    setBusy(true);
    setError('');
    try {
      setSent((await api.auth.requestSignInLink.mutate({ email: parsed.data })).message);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
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
          <Show when={error()}>
            <p class="error" role="alert">
              {error()}
            </p>
          </Show>
          <button type="submit" disabled={busy()} aria-busy={busy()}>
            {busy() ? 'Sending…' : 'Email me a sign-in link'}
          </button>
        </form>
      </Show>
    </section>
  );
}
