// Who does the job: the active fieldworkers, plus the one already on the booking even if they
// have since left (a select must be able to show the current value).
import { For } from 'solid-js';
import type { FieldworkerRow } from '../queries.ts';

/** A fieldworker as a drop-down names them: one who has left says so. */
export const fieldworkerOption = (f: FieldworkerRow) => (f.active ? f.name : `${f.name} (no longer active)`);

export function FieldworkerSelect(props: {
  fieldworkers: readonly FieldworkerRow[];
  /** '' : nobody. */
  value: string;
  onChange: (id: string) => void;
  /** The first option's words: "Not assigned yet" where nobody is allowed, else "Choose a fieldworker". */
  noneLabel: string;
  label?: string;
  invalid?: boolean;
  describedBy?: string;
  ref?: (el: HTMLSelectElement) => void;
}) {
  const shown = () => props.fieldworkers.filter((f) => f.active || f.id === props.value);
  return (
    <label>
      {props.label ?? 'Fieldworker'}
      <select
        ref={(el) => props.ref?.(el)}
        value={props.value}
        onChange={(e) => props.onChange(e.currentTarget.value)}
        aria-invalid={props.invalid ? 'true' : undefined}
        aria-describedby={props.describedBy}
      >
        <option value="">{props.noneLabel}</option>
        <For each={shown()}>
          {(f) => (
            <option value={f.id} selected={f.id === props.value}>
              {fieldworkerOption(f)}
            </option>
          )}
        </For>
      </select>
    </label>
  );
}
