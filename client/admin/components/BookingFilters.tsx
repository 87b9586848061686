// The All bookings filters: status, a date range on the business's calendar, fieldworker and
// customer. Each applies as it changes (the list is local, so there is nothing to wait for);
// the customer search waits for a pause in typing, so the query is not rerun per keystroke.

import { createSignal, For, onCleanup } from 'solid-js';
import { BOOKING_STATUSES, STATUS_LABELS } from '../../../shared/booking-status.ts';
import { type FieldworkerRow, UNASSIGNED } from '../queries.ts';
import { fieldworkerOption } from './FieldworkerSelect.tsx';

/** The filters as the page's address holds them ('' : any). */
export interface FilterValues {
  status: string;
  from: string;
  to: string;
  fieldworker: string;
  customer: string;
}

const TYPING_PAUSE_MS = 250;

export function BookingFilters(props: {
  values: FilterValues;
  onChange: (change: Partial<FilterValues>) => void;
  fieldworkers: readonly FieldworkerRow[];
  timeZone: string;
}) {
  const [customer, setCustomer] = createSignal(props.values.customer);
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  const typed = (text: string) => {
    setCustomer(text);
    clearTimeout(timer);
    timer = setTimeout(() => props.onChange({ customer: text }), TYPING_PAUSE_MS);
  };
  const clear = () => {
    clearTimeout(timer);
    setCustomer('');
    props.onChange({ status: '', from: '', to: '', fieldworker: '', customer: '' });
  };

  return (
    // <search>: the search landmark (a form with role=search, as an element of its own).
    <search aria-label="Filter bookings">
      <form
        class="filters"
        onSubmit={(e) => {
          // Enter in the search box applies it now rather than reloading the page.
          e.preventDefault();
          clearTimeout(timer);
          props.onChange({ customer: customer() });
        }}
      >
        <label>
          Status
          <select
            value={props.values.status}
            onChange={(e) => props.onChange({ status: e.currentTarget.value })}
          >
            <option value="">Any status</option>
            <For each={BOOKING_STATUSES}>
              {(s) => (
                <option value={s} selected={s === props.values.status}>
                  {STATUS_LABELS[s]}
                </option>
              )}
            </For>
          </select>
        </label>
        <label>
          From
          <input
            type="date"
            value={props.values.from}
            onChange={(e) => props.onChange({ from: e.currentTarget.value })}
            aria-describedby="filters-zone"
          />
        </label>
        <label>
          To
          <input
            type="date"
            value={props.values.to}
            min={props.values.from || undefined}
            onChange={(e) => props.onChange({ to: e.currentTarget.value })}
            aria-describedby="filters-zone"
          />
        </label>
        <label>
          Fieldworker
          <select
            value={props.values.fieldworker}
            onChange={(e) => props.onChange({ fieldworker: e.currentTarget.value })}
          >
            <option value="">Any fieldworker</option>
            <option value={UNASSIGNED} selected={props.values.fieldworker === UNASSIGNED}>
              Not assigned
            </option>
            <For each={props.fieldworkers}>
              {(f) => (
                <option value={f.id} selected={f.id === props.values.fieldworker}>
                  {fieldworkerOption(f)}
                </option>
              )}
            </For>
          </select>
        </label>
        <label class="wide">
          Customer
          <input
            type="search"
            value={customer()}
            onInput={(e) => typed(e.currentTarget.value)}
            placeholder="Name or email"
            autocomplete="off"
          />
        </label>
        <p id="filters-zone" class="muted small wide">
          Dates are days in {props.timeZone.replaceAll('_', ' ')} time; both ends are included.
        </p>
        <div class="wide">
          <button type="button" class="secondary" onClick={clear}>
            Clear filters
          </button>
        </div>
      </form>
    </search>
  );
}
