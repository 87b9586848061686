// Staff: everyone who signs in to the admin or fieldworker app. Invite someone (they get an
// emailed link to choose their password, single use, for a day), and for each person:
// change their role, send a password reset link, deactivate (signed out everywhere at once;
// their bookings stay assigned, and the list says how many) or reactivate. Read from the
// replica (the users shape); changes go through the server (staff.*, with a write id), so they
// need a connection. The rules (not yourself, never the last admin) are the server's:
// server/db/staff.ts.
import { createSignal, For, type JSX, Show } from 'solid-js';
import { PASSWORD_LINK_HOURS } from '../../../shared/limits.ts';
import { InviteStaffInput } from '../../../shared/schemas.ts';
import type { StaffRole } from '../../../shared/vocabulary.ts';
import { useReplica } from '../../lib/replica/context.tsx';
import { rememberedUser } from '../../lib/signed-in-user.ts';
import { api } from '../../lib/trpc.ts';
import { BusyButton, createAction, createFieldErrors } from '../../lib/ui/form.tsx';
import { ModalDialog } from '../../lib/ui/ModalDialog.tsx';
import { SettingsStatus } from '../components/SettingsStatus.tsx';
import { type StaffRow, useStaffList } from '../queries.ts';

const ROLE_LABELS: Readonly<Record<StaffRole, string>> = { admin: 'Admin', fieldworker: 'Fieldworker' };
const ROLE_CHOICES: readonly { role: StaffRole; label: string }[] = [
  { role: 'fieldworker', label: 'Fieldworker: their own schedule, in the fieldworker app' },
  { role: 'admin', label: 'Admin: the whole office app, settings and staff included' },
];
const INVITE_ERROR_ID = 'invite-form-error';

const bookingsWord = (n: number) => (n === 1 ? '1 upcoming booking' : `${n} upcoming bookings`);
/** Deactivating someone leaves their bookings with them, for the office to reassign. */
const stayAssigned = (n: number) =>
  n === 1
    ? 'Their 1 upcoming booking stays assigned to them'
    : `Their ${n} upcoming bookings stay assigned to them`;

/** What the list says of a person's state and their bookings. */
function standing(person: StaffRow): string {
  if (person.active) return person.upcoming ? `Active · ${bookingsWord(person.upcoming)}` : 'Active';
  return person.upcoming
    ? `Deactivated · ${bookingsWord(person.upcoming)} still assigned to them; reassign from All bookings`
    : 'Deactivated';
}

export function Staff() {
  const staff = useStaffList();
  const me = rememberedUser('admin')?.userId;
  const [managing, setManaging] = createSignal<string | null>(null);
  const managed = () => staff.rows()?.find((p) => p.id === managing()) ?? null;
  // Each row's Manage button, by person: a change re-renders the list, so focus goes back to
  // the button now standing for the person whose dialog closes, not the one that opened it.
  const manageButtons = new Map<string, HTMLButtonElement>();
  let lastManaged = '';

  return (
    <section aria-labelledby="staff-heading">
      <p class="muted">People</p>
      <h2 id="staff-heading">Staff</h2>
      <Show when={staff.rows()} fallback={<p role="status">Loading the staff on this device…</p>}>
        {(rows) => (
          <ul class="list" aria-label="Staff">
            <For each={rows()}>
              {(person) => (
                <li>
                  <p>
                    <strong>{person.name}</strong>
                    {person.id === me ? ' (you)' : ''} · {ROLE_LABELS[person.role]}
                  </p>
                  <p class="muted small">{person.email}</p>
                  <p class={person.active ? 'small' : 'small warning'}>{standing(person)}</p>
                  <button
                    type="button"
                    class="secondary"
                    ref={(el) => manageButtons.set(person.id, el)}
                    onClick={() => {
                      lastManaged = person.id;
                      setManaging(person.id);
                    }}
                    aria-label={`Manage ${person.name}`}
                  >
                    Manage
                  </button>
                </li>
              )}
            </For>
          </ul>
        )}
      </Show>
      <InviteForm />
      <ModalDialog
        title={managed() ? `Manage ${managed()?.name}` : 'Manage'}
        open={managing() !== null}
        onOpenChange={(open) => !open && setManaging(null)}
        returnFocusTo={() => manageButtons.get(lastManaged)}
      >
        <Show when={managed()}>
          {(person) => <ManagePerson person={person()} isMe={person().id === me} />}
        </Show>
      </ModalDialog>
    </section>
  );
}

type InviteField = 'name' | 'email';
const INVITE_FIELDS: readonly { field: InviteField; label: string; type: string }[] = [
  { field: 'name', label: 'Name', type: 'text' },
  { field: 'email', label: 'Email', type: 'email' },
];

function InviteForm() {
  const replica = useReplica();
  const action = createAction();
  const fields = createFieldErrors<InviteField | 'role'>(action);
  const [said, setSaid] = createSignal('');
  const [values, setValues] = createSignal({ name: '', email: '', role: 'fieldworker' as StaffRole });
  // One write id per content: Send pressed again after a lost answer is the same invitation.
  let writeId = crypto.randomUUID();

  const change = (patch: Partial<ReturnType<typeof values>>) => {
    fields.clear();
    setSaid('');
    writeId = crypto.randomUUID();
    setValues((v) => ({ ...v, ...patch }));
  };

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    fields.clear();
    const checked = InviteStaffInput.safeParse({ writeId, ...values() });
    if (!checked.success) {
      const issue = checked.error.issues[0];
      const field = issue?.path[0];
      return fields.refuse(
        field === 'name' || field === 'email' || field === 'role' ? field : null,
        issue?.message ?? 'Check the form.',
      );
    }
    void action.run(async () => {
      const answer = await replica.callServer(() => api.staff.invite.mutate(checked.data));
      const again = answer.status === 'invited_again' ? ' again (only the newest link works)' : '';
      setSaid(
        `Invitation sent${again} to ${answer.member.email}. ${answer.member.name} chooses a password from the link in it, which works once, for ${PASSWORD_LINK_HOURS} hours.`,
      );
      writeId = crypto.randomUUID();
      setValues((v) => ({ ...v, name: '', email: '' }));
    });
  };

  return (
    <form class="stack card" onSubmit={submit} noValidate aria-labelledby="invite-heading">
      <h3 id="invite-heading">Invite someone</h3>
      <p class="hint">
        They get an email with a link to choose their password, then sign in with their email.
      </p>
      <For each={INVITE_FIELDS}>
        {(f) => (
          <label>
            {f.label}
            <input
              ref={fields.ref(f.field)}
              type={f.type}
              value={values()[f.field]}
              onInput={(e) => change({ [f.field]: e.currentTarget.value })}
              autocomplete="off"
              aria-invalid={fields.ariaInvalid(f.field)}
              aria-describedby={INVITE_ERROR_ID}
            />
          </label>
        )}
      </For>
      <RoleChoices name="invite-role" value={values().role} onChange={(role) => change({ role })} />
      <SettingsStatus id={INVITE_ERROR_ID} error={action.error()} said={said()} />
      <div class="actions">
        <BusyButton busy={action.busy()} label="Send invitation" busyLabel="Sending…" />
      </div>
    </form>
  );
}

/** Admin or fieldworker, as radio buttons, with what each may do; `children` follow inside. */
function RoleChoices(props: {
  name: string;
  value: StaffRole;
  onChange: (role: StaffRole) => void;
  describedBy?: string;
  children?: JSX.Element;
}) {
  return (
    <fieldset>
      <legend>Role</legend>
      <For each={ROLE_CHOICES}>
        {(choice) => (
          <label class="choice">
            <input
              type="radio"
              name={props.name}
              checked={props.value === choice.role}
              onChange={() => props.onChange(choice.role)}
              aria-describedby={props.describedBy}
            />
            {choice.label}
          </label>
        )}
      </For>
      {props.children}
    </fieldset>
  );
}

/** One person's role, password link and access, in the Manage dialog. */
function ManagePerson(props: { person: StaffRow; isMe: boolean }) {
  const replica = useReplica();
  const action = createAction();
  const [said, setSaid] = createSignal('');
  const [role, setRole] = createSignal<StaffRole>(props.person.role);
  const statusId = 'manage-person-status';

  const run = (work: () => Promise<string>) =>
    action.run(async () => {
      setSaid('');
      setSaid(await replica.callServer(work));
    });

  const saveRole = () =>
    run(async () => {
      const answer = await api.staff.changeRole.mutate({
        writeId: crypto.randomUUID(),
        id: props.person.id,
        role: role(),
      });
      return `${answer.member.name} is now ${ROLE_LABELS[answer.member.role].toLowerCase()}. They were signed out, and sign in again to the ${answer.member.role === 'admin' ? 'office' : 'fieldworker'} app.`;
    });
  const sendResetLink = () =>
    run(async () => {
      const answer = await api.staff.sendPasswordLink.mutate({
        writeId: crypto.randomUUID(),
        id: props.person.id,
      });
      return `A link to choose a new password is on its way to ${answer.member.email}. It works once, for ${PASSWORD_LINK_HOURS} hours; any link sent before no longer works.`;
    });
  const setActive = (active: boolean) =>
    run(async () => {
      const answer = await api.staff.setActive.mutate({
        writeId: crypto.randomUUID(),
        id: props.person.id,
        active,
      });
      const name = answer.member.name;
      if (active) return `${name} can sign in again, with the password they had.`;
      const kept = answer.upcomingBookings
        ? ` ${stayAssigned(answer.upcomingBookings)}: reassign from All bookings.`
        : '';
      return `${name} is deactivated and was signed out on every device.${kept}`;
    });

  return (
    <div class="stack">
      <p>
        {props.person.email} · {ROLE_LABELS[props.person.role]} · {standing(props.person)}
      </p>
      <Show
        when={!props.isMe}
        fallback={<p>This is you. Another admin changes your role or deactivates you.</p>}
      >
        <RoleChoices name="manage-role" value={role()} onChange={setRole} describedBy={statusId}>
          <button
            type="button"
            class="secondary"
            disabled={action.busy() || role() === props.person.role}
            onClick={() => void saveRole()}
          >
            Change role
          </button>
        </RoleChoices>
      </Show>
      <Show when={props.person.active}>
        <button type="button" class="secondary" disabled={action.busy()} onClick={() => void sendResetLink()}>
          Send a password reset link
        </button>
      </Show>
      <Show when={!props.isMe}>
        <Show
          when={props.person.active}
          fallback={
            <button
              type="button"
              class="secondary"
              disabled={action.busy()}
              onClick={() => void setActive(true)}
            >
              Reactivate {props.person.name}
            </button>
          }
        >
          <p>
            Deactivating signs {props.person.name} out on every device at once, and they can no longer sign
            in.
            {props.person.upcoming ? ` ${stayAssigned(props.person.upcoming)}.` : ''}
          </p>
          <button type="button" class="danger" disabled={action.busy()} onClick={() => void setActive(false)}>
            Deactivate {props.person.name}
          </button>
        </Show>
      </Show>
      <SettingsStatus id={statusId} error={action.error()} said={said()} />
    </div>
  );
}
