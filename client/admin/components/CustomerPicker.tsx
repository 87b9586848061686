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
          <label>
            Customer name
            <input
              ref={(el) => props.fieldRef('name', el)}
              value={props.fields.name}
              onInput={(e) => props.onFields({ name: e.currentTarget.value })}
              autocomplete="off"
              aria-invalid={invalid('name')}
              aria-describedby={props.describedBy}
            />
          </label>
          <label>
            Customer email
            <input
              ref={(el) => props.fieldRef('email', el)}
              type="email"
              value={props.fields.email}
              onInput={(e) => props.onFields({ email: e.currentTarget.value })}
              autocomplete="off"
              aria-invalid={invalid('email')}
              aria-describedby={props.describedBy}
            />
          </label>
          <label>
            Customer phone
            <input
              ref={(el) => props.fieldRef('phone', el)}
              type="tel"
              value={props.fields.phone}
              onInput={(e) => props.onFields({ phone: e.currentTarget.value })}
              autocomplete="off"
              aria-invalid={invalid('phone')}
              aria-describedby={props.describedBy}
            />
          </label>
          <label>
            Customer address
            <input
              ref={(el) => props.fieldRef('address', el)}
              value={props.fields.address}
              onInput={(e) => props.onFields({ address: e.currentTarget.value })}
              autocomplete="off"
              aria-invalid={invalid('address')}
              aria-describedby={props.describedBy}
            />
          </label>
        </Match>
      </Switch>
    </fieldset>
  );
}
