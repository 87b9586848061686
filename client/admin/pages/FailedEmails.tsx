// Emails › Failed: every email the mail server refused or that ran out of retries, with its
// recipient, kind, booking, the last error in words and when. Once the customer's address is
// right, Send again puts it back in the ledger and queues it (emails.resend): it still goes
// out once, to the address the customer has now. Read from the replica (the failed_emails
// shape); sending again needs a connection.
import { A } from '@solidjs/router';
import { createSignal, For, Show } from 'solid-js';
import { formatDateTime } from '../../../shared/time.ts';
import { SENT_EMAIL_LABELS, type SentEmailKind } from '../../../shared/vocabulary.ts';
import { useReplica } from '../../lib/replica/context.tsx';
import { api } from '../../lib/trpc.ts';
import { createAction } from '../../lib/ui/form.tsx';
import { SettingsStatus } from '../components/SettingsStatus.tsx';
import { failureInWords } from '../format.ts';
import { type FailedEmailRow, useBusiness, useFailedEmails } from '../queries.ts';

export function FailedEmails() {
  const replica = useReplica();
  const failed = useFailedEmails();
  const business = useBusiness();
  const zone = () => business.row()?.time_zone ?? 'UTC';
  const action = createAction();
  const [said, setSaid] = createSignal('');

  const sendAgain = (email: FailedEmailRow) =>
    action.run(async () => {
      setSaid('');
      const answer = await replica.callServer(() =>
        api.emails.resend.mutate({ writeId: crypto.randomUUID(), id: email.id }),
      );
      setSaid(`Queued again, to ${answer.recipient}. It goes out once.`);
    });

  return (
    <section aria-labelledby="failed-emails-heading">
      <p class="muted">Emails</p>
      <h2 id="failed-emails-heading">Failed emails</h2>
      <SettingsStatus id="failed-emails-status" error={action.error()} said={said()} />
      <Show when={failed.rows()} fallback={<p role="status">Loading the emails on this device…</p>}>
        {(rows) => (
          <ul class="list" aria-label="Failed emails">
            <For each={rows()} fallback={<li class="muted">No email has failed.</li>}>
              {(email) => (
                <li>
                  <p>
                    <strong>{SENT_EMAIL_LABELS[email.kind as SentEmailKind] ?? email.kind}</strong> to{' '}
                    {email.recipient}
                    <Show when={email.booking_id}>
                      {' '}
                      · <A href={`/bookings/${email.booking_id}`}>{email.service_name ?? 'the booking'}</A>
                      <Show when={email.starts_at}>{(at) => <>, {formatDateTime(at(), zone())}</>}</Show>
                    </Show>
                  </p>
                  <p>{failureInWords(email.last_error)}</p>
                  <p class="muted small">
                    Failed {formatDateTime(email.failed_at, zone())}
                    <Show when={email.last_error}> · “{email.last_error}”</Show>
                  </p>
                  <Show
                    when={email.booking_id}
                    fallback={
                      <Show when={email.kind === 'staff_invite' || email.kind === 'password_reset'}>
                        <p class="hint">
                          Send a new link from <A href="/staff">Staff</A>. If the address is wrong, invite
                          them with the right one and deactivate this account.
                        </p>
                      </Show>
                    }
                  >
                    <Show
                      when={email.customer_email && email.customer_email !== email.recipient}
                      fallback={
                        <p class="hint">
                          {email.customer_name ?? 'The customer'}’s address is still {email.recipient}:
                          correct it first if it is wrong.
                        </p>
                      }
                    >
                      <p class="hint">
                        {email.customer_name}’s address is now {email.customer_email}.
                      </p>
                    </Show>
                  </Show>
                  <Show when={email.booking_id}>
                    <button
                      type="button"
                      class="secondary"
                      disabled={action.busy()}
                      onClick={() => void sendAgain(email)}
                      aria-label={`Send again: ${SENT_EMAIL_LABELS[email.kind as SentEmailKind] ?? email.kind} to ${email.recipient}`}
                    >
                      Send again
                    </button>
                  </Show>
                </li>
              )}
            </For>
          </ul>
        )}
      </Show>
    </section>
  );
}
