// Settings: the office's settings, by area, each a screen of its own. Read from the replica
// like the rest of the app; saved through the server, so changing them needs a connection.
import { A } from '@solidjs/router';

export function Settings() {
  return (
    <section aria-labelledby="settings-heading">
      <h2 id="settings-heading">Settings</h2>
      <section class="card" aria-labelledby="settings-portal-heading">
        <h3 id="settings-portal-heading">Customer Portal</h3>
        <p>
          <A href="/settings/portal">Flags &amp; Permissions</A>
        </p>
        <p class="muted">
          Whether customers may cancel online and by the link in their emails, until when, with which fee;
          whether fieldworkers may cancel their own bookings.
        </p>
      </section>
      <section class="card" aria-labelledby="settings-financial-heading">
        <h3 id="settings-financial-heading">Financial Settings</h3>
        <p>
          <A href="/settings/fees">Tax and fees</A>
        </p>
        <p class="muted">
          The cancellation fees the office may charge: a flat amount or a percent of the price, each with its
          tax rate.
        </p>
      </section>
      <section class="card" aria-labelledby="settings-emails-heading">
        <h3 id="settings-emails-heading">Emails</h3>
        <p>
          <A href="/settings/templates">Email templates</A>
        </p>
        <p class="muted">
          What the confirmation, reminder, cancellation and sign-in emails say, with a preview on a real
          upcoming booking.
        </p>
      </section>
    </section>
  );
}
