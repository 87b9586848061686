// The customer of a new booking: found among the customers on this device by name or email,
// or added here (their id is made on the device, so the booking can refer to them offline).
import { createSignal, For, Match, onCleanup, Show, Switch } from 'solid-js';
import { type CustomerRow, useCustomerSearch } from '../queries.ts';

export interface NewCustomerFields {
  name: string;
  email: string;
  phone: string;
  address: string;
}

const TYPING_PAUSE_MS = 250;

export type CustomerField = 'search' | 'name' | 'email' | 'phone' | 'address';

/** The inputs of a customer added here, in the order they are asked for. */
const NEW_CUSTOMER_INPUTS: readonly { field: keyof NewCustomerFields; label: string; type: string }[] = [
  { field: 'name', label: 'Customer name', type: 'text' },
  { field: 'email', label: 'Customer email', type: 'email' },
  { field: 'phone', label: 'Customer phone', type: 'tel' },
  { field: 'address', label: 'Customer address', type: 'text' },
];

export function CustomerPicker(props: {
  mode: 'existing' | 'new';
  onMode: (mode: 'existing' | 'new') => void;
  chosen: CustomerRow | null;
  onChoose: (customer: CustomerRow | null) => void;
  fields: NewCustomerFields;
  onFields: (change: Partial<NewCustomerFields>) => void;
  invalid: CustomerField | null;
  describedBy: string;
  fieldRef: (field: CustomerField, el: HTMLElement) => void;
}) {
  // What is typed shows at once; the query follows after a pause in typing, since setting up
  // a live query costs far more than running one.
  const [search, setSearch] = createSignal('');
  const [query, setQuery] = createSignal('');
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  const typed = (text: string) => {
    setSearch(text);
    clearTimeout(timer);
    timer = setTimeout(() => setQuery(text), TYPING_PAUSE_MS);
  };
  const matches = useCustomerSearch(query);
  const invalid = (field: CustomerField) => (props.invalid === field ? 'true' : undefined);

  // Nobody matches: offer to add them, carrying over what was typed.
  const addInstead = () => {
    const typed = search().trim();
    props.onFields(typed.includes('@') ? { email: typed } : { name: typed });
    props.onMode('new');
  };

  return (
    <fieldset class="customer-picker">
      <legend>Customer</legend>
      <div class="choices">
        <label class="choice">
          <input
            type="radio"
            name="customer-kind"
            value="existing"
            checked={props.mode === 'existing'}
            onChange={() => props.onMode('existing')}
          />
          Existing customer
        </label>
        <label class="choice">
          <input
            type="radio"
            name="customer-kind"
            value="new"
            checked={props.mode === 'new'}
            onChange={() => props.onMode('new')}
          />
          Add a new customer
        </label>
      </div>
      <Switch>
        <Match when={props.mode === 'existing' && props.chosen}>
          {(c) => (
            <p class="chosen-customer">
              <span>
                <strong>{c().name}</strong> <span class="muted">{c().email}</span>
              </span>
              <button
                type="button"
                class="secondary"
                ref={(el) => props.fieldRef('search', el)}
                onClick={() => props.onChoose(null)}
              >
                Choose another customer
              </button>
            </p>
          )}
        </Match>
        <Match when={props.mode === 'existing'}>
          <label>
            Find a customer
            <input
              ref={(el) => props.fieldRef('search', el)}
              type="search"
              value={search()}
              onInput={(e) => typed(e.currentTarget.value)}
              placeholder="Name or email"
              autocomplete="off"
              aria-invalid={invalid('search')}
              aria-describedby={props.describedBy}
            />
          </label>
          <Show when={query().trim() && query() === search() ? matches.rows() : undefined}>
            {(rows) => (
              <Show
                when={rows().length}
                fallback={
                  <p class="muted" role="status">
                    No customer matches “{search().trim()}”.{' '}
                    <button type="button" class="secondary" onClick={addInstead}>
                      Add a new customer
                    </button>
                  </p>
                }
              >
                <ul class="customer-results" aria-label="Matching customers">
                  <For each={rows()}>
                    {(c) => (
                      <li>
                        <button type="button" class="secondary" onClick={() => props.onChoose(c)}>
                          {c.name} <span class="muted">{c.email}</span>
                        </button>
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
            )}
          </Show>
        </Match>
        <Match when={props.mode === 'new'}>
          <For each={NEW_CUSTOMER_INPUTS}>
            {(input) => (
              <label>
                {input.label}
                <input
                  ref={(el) => props.fieldRef(input.field, el)}
                  type={input.type}
                  value={props.fields[input.field]}
                  onInput={(e) => props.onFields({ [input.field]: e.currentTarget.value })}
                  autocomplete="off"
                  aria-invalid={invalid(input.field)}
                  aria-describedby={props.describedBy}
                />
              </label>
            )}
          </For>
        </Match>
      </Switch>
    </fieldset>
  );
}
