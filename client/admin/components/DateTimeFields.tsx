// A start as a person picks it: a date and a time on the business's clock, with the zone named,
// so nobody has to work out what their browser's zone has to do with the job.
export function DateTimeFields(props: {
  legend: string;
  timeZone: string;
  date: string;
  time: string;
  onDate: (value: string) => void;
  onTime: (value: string) => void;
  /** The field the form's last check refused: 'date' or 'time' marks one of these aria-invalid. */
  invalid?: string | null;
  describedBy?: string;
  dateRef?: (el: HTMLInputElement) => void;
  timeRef?: (el: HTMLInputElement) => void;
}) {
  return (
    <fieldset class="date-time">
      <legend>
        {props.legend} <span class="muted">({props.timeZone.replaceAll('_', ' ')} time)</span>
      </legend>
      <label>
        Date
        <input
          ref={(el) => props.dateRef?.(el)}
          type="date"
          required
          value={props.date}
          onInput={(e) => props.onDate(e.currentTarget.value)}
          aria-invalid={props.invalid === 'date' ? 'true' : undefined}
          aria-describedby={props.describedBy}
        />
      </label>
      <label>
        Time
        <input
          ref={(el) => props.timeRef?.(el)}
          type="time"
          required
          value={props.time}
          onInput={(e) => props.onTime(e.currentTarget.value)}
          aria-invalid={props.invalid === 'time' ? 'true' : undefined}
          aria-describedby={props.describedBy}
        />
      </label>
    </fieldset>
  );
}
