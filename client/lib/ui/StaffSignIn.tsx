// Email-and-password sign-in for office staff and fieldworkers.
import { StaffSignIn as StaffSignInSchema } from '../../../shared/schemas.ts';
import { api } from '../trpc.ts';
import { BusyButton, createAction, FormError } from './form.tsx';

export function StaffSignIn(props: { app: 'admin' | 'field'; onSignedIn: () => void; email?: string }) {
  const action = createAction();

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const parsed = StaffSignInSchema.safeParse({
      email: form.get('email'),
      password: form.get('password'),
      app: props.app,
    });
    if (!parsed.success) return action.setError(parsed.error.issues[0]?.message ?? 'Check the form.');
    void action.run(async () => {
      await api.auth.staffSignIn.mutate(parsed.data);
      props.onSignedIn();
    });
  };

  return (
    <section class="card" aria-labelledby="sign-in-heading">
      <h2 id="sign-in-heading">Sign in</h2>
      <form class="stack" onSubmit={submit} noValidate>
        <label>
          Email
          <input name="email" type="email" autocomplete="username" required value={props.email ?? ''} />
        </label>
        <label>
          Password
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        <FormError message={action.error()} />
        <BusyButton busy={action.busy()} label="Sign in" busyLabel="Signing in…" />
      </form>
    </section>
  );
}
