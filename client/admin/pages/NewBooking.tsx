// New booking: customer (found or added), service (its price and duration filled in), start,
// address (the customer's filled in), fieldworker (optional), price and notes. Checked with the
// schema the server checks with; saved on the device first, then the booking's page opens.
// The confirmation email follows from the server's trigger once the write arrives.
import { useNavigate } from '@solidjs/router';
import { createSignal, For, Show } from 'solid-js';
import { formatMoney } from '../../../shared/fees.ts';
import { NewBookingInput } from '../../../shared/schemas.ts';
import { useReplica } from '../../lib/replica/context.tsx';
import { BusyButton, createAction, createFieldErrors, FormError } from '../../lib/ui/form.tsx';
import { createBookingLocally, type NewBookingForm } from '../../lib/writes/booking-writes.ts';
import { type CustomerField, CustomerPicker, type NewCustomerFields } from '../components/CustomerPicker.tsx';
import { DateTimeFields } from '../components/DateTimeFields.tsx';
import { FieldworkerSelect } from '../components/FieldworkerSelect.tsx';
import { addMinutes, inputToMinor, minorToInput, startFromInputs } from '../format.ts';
import { type CustomerRow, useActiveServices, useBusiness, useFieldworkers } from '../queries.ts';

type Field =
  | `customer-${CustomerField}`
  | 'service'
  | 'date'
  | 'time'
  | 'duration'
  | 'address'
  | 'fieldworker'
  | 'price'
  | 'notes';

/** Where the shared schema's complaint about a path is mended on this form. */
function fieldOfPath(path: readonly PropertyKey[]): Field | null {
  const [first, second] = path;
  if (first === 'customer') {
    return second === 'name' || second === 'email' || second === 'phone' || second === 'address'
      ? `customer-${second}`
      : 'customer-search';
  }
  const byKey: Record<string, Field> = {
    serviceId: 'service',
    startsAt: 'date',
    endsAt: 'duration',
    address: 'address',
    fieldworkerId: 'fieldworker',
    priceMinor: 'price',
    notes: 'notes',
  };
  return typeof first === 'string' ? (byKey[first] ?? null) : null;
}

const ERROR_ID = 'new-booking-error';

export function NewBooking() {
  const replica = useReplica();
  const navigate = useNavigate();
  const business = useBusiness();
  const services = useActiveServices();
  const fieldworkers = useFieldworkers();
  const action = createAction();

  const [mode, setMode] = createSignal<'existing' | 'new'>('existing');
  const [chosen, setChosen] = createSignal<CustomerRow | null>(null);
  const [customer, setCustomer] = createSignal<NewCustomerFields>({
    name: '',
    email: '',
    phone: '',
    address: '',
  });
  const [serviceId, setServiceId] = createSignal('');
  const [duration, setDuration] = createSignal('');
  const [price, setPrice] = createSignal('');
  const [date, setDate] = createSignal('');
  const [time, setTime] = createSignal('');
  const [address, setAddress] = createSignal('');
  /** Once the person types an address, choosing a customer no longer replaces it. */
  const [addressTyped, setAddressTyped] = createSignal(false);
  const [fieldworker, setFieldworker] = createSignal('');
  const [notes, setNotes] = createSignal('');
  const fields = createFieldErrors<Field>(action);
  const { invalid, ref, refuse } = fields;
  const currency = () => business.row()?.currency ?? 'USD';

  const choose = (c: CustomerRow | null) => {
    setChosen(c);
    if (c && !addressTyped()) setAddress(c.address ?? '');
    // The control that was pressed is gone: focus what took its place.
    fields.focus('customer-search');
  };
  const changeCustomer = (change: Partial<NewCustomerFields>) => {
    setCustomer((prev) => ({ ...prev, ...change }));
    if (change.address !== undefined && !addressTyped()) setAddress(change.address);
  };
  const chooseService = (id: string) => {
    setServiceId(id);
    const service = services.rows()?.find((s) => s.id === id);
    if (service) {
      setPrice(minorToInput(service.price_minor, currency()));
      setDuration(String(service.duration_minutes));
    }
  };

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    fields.clear();
    const settings = business.row();
    if (!settings)
      return refuse(null, 'The business settings have not reached this device yet. Try again in a moment.');
    if (mode() === 'existing' && !chosen()) {
      return refuse('customer-search', 'Find the customer and choose them, or add a new customer.');
    }
    if (!serviceId()) return refuse('service', 'Choose a service.');
    const start = startFromInputs(date(), time(), settings.time_zone);
    if ('field' in start) return refuse(start.field, start.message);
    const minutes = Number(duration());
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 24 * 60) {
      return refuse('duration', 'Enter how long the job takes, in whole minutes (up to 1,440).');
    }
    const priceMinor = inputToMinor(price(), settings.currency);
    if ('error' in priceMinor) return refuse('price', priceMinor.error);

    const picked = chosen();
    const form: NewBookingForm = {
      customer:
        mode() === 'existing' && picked
          ? { kind: 'existing', id: picked.id }
          : { kind: 'new', id: crypto.randomUUID(), ...customer() },
      serviceId: serviceId(),
      startsAt: start.startsAt,
      endsAt: addMinutes(start.startsAt, minutes),
      address: address(),
      fieldworkerId: fieldworker() || null,
      priceMinor: priceMinor.minor,
      notes: notes(),
    };
    // The same check createBookingLocally makes, run here first for where the problem is.
    const checked = NewBookingInput.safeParse({
      ...form,
      id: crypto.randomUUID(),
      writeId: crypto.randomUUID(),
    });
    if (!checked.success) {
      const issue = checked.error.issues[0];
      return refuse(fieldOfPath(issue?.path ?? []), issue?.message ?? 'Check the form.');
    }
    void action.run(async () => {
      const { bookingId } = await createBookingLocally(replica, form, settings.currency);
      navigate(`/bookings/${bookingId}`);
    });
  };

  const invalidAttr = fields.ariaInvalid;

  return (
    <section aria-labelledby="new-booking-heading">
      <h2 id="new-booking-heading">New booking</h2>
      <Show
        when={business.row()}
        fallback={<p role="status">Loading the business settings on this device…</p>}
      >
        {(b) => (
          <form class="stack card" onSubmit={submit} noValidate aria-labelledby="new-booking-heading">
            <CustomerPicker
              mode={mode()}
              onMode={(m) => {
                setMode(m);
                fields.clear();
              }}
              chosen={chosen()}
              onChoose={choose}
              fields={customer()}
              onFields={changeCustomer}
              invalid={invalid()?.startsWith('customer-') ? (invalid()?.slice(9) as CustomerField) : null}
              describedBy={ERROR_ID}
              fieldRef={(field, el) => ref(`customer-${field}`)(el)}
            />
            <label>
              Service
              <select
                ref={ref('service')}
                value={serviceId()}
                onChange={(e) => chooseService(e.currentTarget.value)}
                aria-invalid={invalidAttr('service')}
                aria-describedby={ERROR_ID}
              >
                <option value="">Choose a service</option>
                <For each={services.rows() ?? []}>
                  {(s) => (
                    <option value={s.id} selected={s.id === serviceId()}>
                      {s.name} · {formatMoney(s.price_minor, b().currency)} · {s.duration_minutes} min
                    </option>
                  )}
                </For>
              </select>
            </label>
            <DateTimeFields
              legend="Start"
              timeZone={b().time_zone}
              date={date()}
              time={time()}
              onDate={setDate}
              onTime={setTime}
              invalid={invalid()}
              describedBy={ERROR_ID}
              dateRef={ref('date')}
              timeRef={ref('time')}
            />
            <label>
              Duration (minutes)
              <input
                ref={ref('duration')}
                type="number"
                inputmode="numeric"
                min="1"
                max="1440"
                step="1"
                value={duration()}
                onInput={(e) => setDuration(e.currentTarget.value)}
                aria-invalid={invalidAttr('duration')}
                aria-describedby={ERROR_ID}
              />
            </label>
            <label>
              Address of the job
              <input
                ref={ref('address')}
                value={address()}
                onInput={(e) => {
                  setAddressTyped(true);
                  setAddress(e.currentTarget.value);
                }}
                autocomplete="off"
                aria-invalid={invalidAttr('address')}
                aria-describedby={ERROR_ID}
              />
            </label>
            <FieldworkerSelect
              fieldworkers={fieldworkers.rows() ?? []}
              value={fieldworker()}
              onChange={setFieldworker}
              noneLabel="Not assigned yet"
              label="Fieldworker (optional)"
              invalid={invalid() === 'fieldworker'}
              describedBy={ERROR_ID}
              ref={ref('fieldworker')}
            />
            <label>
              Price ({b().currency})
              <input
                ref={ref('price')}
                inputmode="decimal"
                value={price()}
                onInput={(e) => setPrice(e.currentTarget.value)}
                autocomplete="off"
                aria-invalid={invalidAttr('price')}
                aria-describedby={ERROR_ID}
              />
            </label>
            <label>
              Notes (optional)
              <textarea
                ref={ref('notes')}
                rows="3"
                maxLength={2000}
                value={notes()}
                onInput={(e) => setNotes(e.currentTarget.value)}
                aria-invalid={invalidAttr('notes')}
                aria-describedby={ERROR_ID}
              />
            </label>
            <div id={ERROR_ID}>
              <FormError message={action.error()} />
            </div>
            <BusyButton busy={action.busy()} label="Create booking" busyLabel="Saving…" />
          </form>
        )}
      </Show>
    </section>
  );
}
