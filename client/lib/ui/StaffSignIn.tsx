// Email-and-password sign-in for office staff and fieldworkers.
import { createSignal, Show } from 'solid-js';
import { StaffSignIn as StaffSignInSchema } from '../../../shared/schemas.ts';
import { api, errorMessage } from '../trpc.ts';

export function StaffSignIn(props: { app: 'admin' | 'field'; onSignedIn: () => void }) {
  const [error, setError] = createSignal('');
  const [busy, setBusy] = createSignal(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const parsed = StaffSignInSchema.safeParse({
      email: form.get('email'),
      password: form.get('password'),
      app: props.app,
    });
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? 'Check the form.');
      return;
    }
    setBusy(true);
    setError('');
    try {
      await api.auth.staffSignIn.mutate(parsed.data);
      props.onSignedIn();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="sign-in-heading">
      <h2 id="sign-in-heading">Sign in</h2>
      <form class="stack" onSubmit={submit} noValidate>
        <label>
          Email
          <input name="email" type="email" autocomplete="username" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        <Show when={error()}>
          <p class="error" role="alert">
            {error()}
          </p>
        </Show>
        <button type="submit" disabled={busy()} aria-busy={busy()}>
          {busy() ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </section>
  );
}
