// A whole number of hours or minutes (a cutoff, a fee window, a reminder, an alert's delay):
// the settings screens' one kind of number field. Its refusals are said in the form's error line.

/** A number as typed, for settings.update: a whole number as one; anything else as text, which the schema refuses in words. */
export const wholeNumberInput = (text: string): number | string =>
  /^\s*\d+\s*$/.test(text) ? Number(text) : text;

export function WholeNumberField(props: {
  label: string;
  value: string;
  onInput: (value: string) => void;
  invalid: 'true' | undefined;
  ref: (el: HTMLElement) => void;
  /** The form's error line, which says why a value was refused. */
  describedBy: string;
  min?: number;
  /** Hours by default: at most 720 (30 days). */
  max?: number;
}) {
  return (
    <label>
      {props.label}
      <input
        ref={props.ref}
        type="number"
        inputmode="numeric"
        min={props.min ?? 0}
        max={props.max ?? 720}
        step="1"
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        aria-invalid={props.invalid}
        aria-describedby={props.describedBy}
      />
    </label>
  );
}
