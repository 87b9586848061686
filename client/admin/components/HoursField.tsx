// A number of whole hours before a booking's start (a cutoff, a fee window, a reminder): the
// settings screens' one kind of number field. Its refusals are said in the form's error line.

/** Hours as typed, for settings.update: a whole number as one; anything else as text, which the schema refuses in words. */
export const hoursInput = (text: string): number | string => (/^\s*\d+\s*$/.test(text) ? Number(text) : text);

export function HoursField(props: {
  label: string;
  value: string;
  onInput: (value: string) => void;
  invalid: 'true' | undefined;
  ref: (el: HTMLElement) => void;
  /** The form's error line, which says why a value was refused. */
  describedBy: string;
  min?: number;
}) {
  return (
    <label>
      {props.label}
      <input
        ref={props.ref}
        type="number"
        inputmode="numeric"
        min={props.min ?? 0}
        max="720"
        step="1"
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        aria-invalid={props.invalid}
        aria-describedby={props.describedBy}
      />
    </label>
  );
}
