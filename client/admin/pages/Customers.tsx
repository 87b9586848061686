// Customers: search them (name, email or phone), add one, edit one (name, email, phone,
// address), each with their bookings. Read from the replica; saved through the server
// (customers.save, with a write id), so saving needs a connection. An email another customer
// has is refused with a sentence.
import { A } from '@solidjs/router';
import { createSignal, For, Show } from 'solid-js';
import { STATUS_LABELS } from '../../../shared/booking-status.ts';
import { SaveCustomerInput } from '../../../shared/schemas.ts';
import { formatDateTime } from '../../../shared/time.ts';
import { useReplica } from '../../lib/replica/context.tsx';
import { api } from '../../lib/trpc.ts';
import { BusyButton, createAction, createFieldErrors } from '../../lib/ui/form.tsx';
import { SettingsStatus } from '../components/SettingsStatus.tsx';
import { type CustomerRow, useBusiness, useCustomerBookings, useCustomerList } from '../queries.ts';

type Field = 'name' | 'email' | 'phone' | 'address';
const FIELDS: readonly { field: Field; label: string; type: string }[] = [
  { field: 'name', label: 'Name', type: 'text' },
  { field: 'email', label: 'Email', type: 'email' },
  { field: 'phone', label: 'Phone (optional)', type: 'tel' },
  { field: 'address', label: 'Address (optional)', type: 'text' },
];
const ERROR_ID = 'customer-form-error';

export function Customers() {
  const replica = useReplica();
  const business = useBusiness();
  const [search, setSearch] = createSignal('');
  const customers = useCustomerList(search);
  const action = createAction();
  const fields = createFieldErrors<Field>(action);
  const [said, setSaid] = createSignal('');

  // The form: a new customer (editing null), or the one being edited.
  const [editing, setEditing] = createSignal<string | null>(null);
  const [values, setValues] = createSignal<Record<Field, string>>({
    name: '',
    email: '',
    phone: '',
    address: '',
  });
  const bookings = useCustomerBookings(editing);
  let customerId: string = crypto.randomUUID();
  let writeId = crypto.randomUUID();
  let firstInput: HTMLInputElement | undefined;

  const open = (c: CustomerRow | null) => {
    setEditing(c?.id ?? null);
    setValues({
      name: c?.name ?? '',
      email: c?.email ?? '',
      phone: c?.phone ?? '',
      address: c?.address ?? '',
    });
    customerId = c?.id ?? crypto.randomUUID();
    writeId = crypto.randomUUID();
    fields.clear();
    setSaid('');
    firstInput?.focus();
  };
  const change = (field: Field, value: string) => {
    fields.clear();
    setSaid('');
    writeId = crypto.randomUUID();
    setValues((v) => ({ ...v, [field]: value }));
  };

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    fields.clear();
    const checked = SaveCustomerInput.safeParse({ writeId, id: customerId, ...values() });
    if (!checked.success) {
      const issue = checked.error.issues[0];
      const field = issue?.path[0];
      return fields.refuse(
        FIELDS.some((f) => f.field === field) ? (field as Field) : null,
        issue?.message ?? 'Check the form.',
      );
    }
    void action.run(async () => {
      const saved = await replica.callServer(() => api.customers.save.mutate(checked.data));
      setSaid(editing() ? `Saved ${saved.name}.` : `Added ${saved.name}.`);
      setEditing(saved.id);
      customerId = saved.id;
      writeId = crypto.randomUUID();
    });
  };

  return (
    <section aria-labelledby="customers-heading">
      <h2 id="customers-heading">Customers</h2>
      <label>
        Search by name, email or phone
        <input
          type="search"
          value={search()}
          onInput={(e) => setSearch(e.currentTarget.value)}
          autocomplete="off"
        />
      </label>
      <Show when={customers.rows()} fallback={<p role="status">Loading the customers on this device…</p>}>
        {(rows) => (
          <ul class="list" aria-label="Customers">
            <For each={rows()} fallback={<li class="muted">No customer matches.</li>}>
              {(c) => (
                <li>
                  <button type="button" class="link" onClick={() => open(c)} aria-label={`Edit ${c.name}`}>
                    {c.name}
                  </button>{' '}
                  <span class="muted">
                    {c.email}
                    {c.phone ? ` · ${c.phone}` : ''} ·{' '}
                    {c.bookings === 1 ? '1 booking' : `${c.bookings} bookings`}
                  </span>
                </li>
              )}
            </For>
          </ul>
        )}
      </Show>

      <form class="stack card" onSubmit={submit} noValidate aria-labelledby="customer-form-heading">
        <h3 id="customer-form-heading">
          {editing() ? `Edit ${values().name || 'customer'}` : 'Add a customer'}
        </h3>
        <For each={FIELDS}>
          {(f, i) => (
            <label>
              {f.label}
              <input
                ref={(el) => {
                  if (i() === 0) firstInput = el;
                  fields.ref(f.field)(el);
                }}
                type={f.type}
                value={values()[f.field]}
                onInput={(e) => change(f.field, e.currentTarget.value)}
                autocomplete="off"
                aria-invalid={fields.ariaInvalid(f.field)}
                aria-describedby={ERROR_ID}
              />
            </label>
          )}
        </For>
        <SettingsStatus id={ERROR_ID} error={action.error()} said={said()} />
        <div class="actions">
          <BusyButton
            busy={action.busy()}
            label={editing() ? 'Save customer' : 'Add customer'}
            busyLabel="Saving…"
          />
          <Show when={editing()}>
            <button type="button" class="secondary" onClick={() => open(null)}>
              Add another customer
            </button>
          </Show>
        </div>
        <Show when={editing()}>
          <h4>Their bookings</h4>
          <Show when={bookings.rows()} fallback={<p role="status">Loading…</p>}>
            {(rows) => (
              <ul class="list" aria-label="Their bookings">
                <For each={rows()} fallback={<li class="muted">No bookings yet.</li>}>
                  {(b) => (
                    <li>
                      <A href={`/bookings/${b.id}`}>
                        {b.service_name ?? 'Booking'},{' '}
                        {formatDateTime(b.starts_at, business.row()?.time_zone ?? 'UTC')}
                      </A>{' '}
                      <span class="muted">· {STATUS_LABELS[b.status]}</span>
                    </li>
                  )}
                </For>
              </ul>
            )}
          </Show>
        </Show>
      </form>
    </section>
  );
}
