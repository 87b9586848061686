// Edit booking: the start (on the business's clock), the fieldworker and the notes. Only what
// was changed is sent, with what the device showed, so the server can tell a reschedule made
// here from one made meanwhile elsewhere (DESIGN §3). The job keeps its length when moved.
import { createSignal, onMount } from 'solid-js';
import { EditBookingInput } from '../../../shared/schemas.ts';
import { useReplica } from '../../lib/replica/context.tsx';
import { BusyButton, createAction, createFieldErrors, FormError } from '../../lib/ui/form.tsx';
import { type BookingChanges, editBookingLocally } from '../../lib/writes/booking-writes.ts';
import { zonedInputs } from '../../lib/zoned-time.ts';
import { addMinutes, SAVED_ON_DEVICE, startFromInputs } from '../format.ts';
import type { BookingDetailRow, FieldworkerRow } from '../queries.ts';
import { DateTimeFields } from './DateTimeFields.tsx';
import { FieldworkerSelect } from './FieldworkerSelect.tsx';

type Field = 'date' | 'time' | 'fieldworker' | 'notes';
const ERROR_ID = 'edit-booking-error';

export function EditBookingForm(props: {
  booking: BookingDetailRow;
  fieldworkers: readonly FieldworkerRow[];
  timeZone: string;
  onSaved: (message: string) => void;
  onClose: () => void;
}) {
  const replica = useReplica();
  const action = createAction();
  // Filled from the booking as it was when the form opened; a sync meanwhile does not
  // overwrite what the person is typing (the server reports it instead).
  const was = {
    start: zonedInputs(props.booking.starts_at, props.timeZone),
    fieldworker: props.booking.fieldworker_id ?? '',
    notes: props.booking.notes ?? '',
    lengthMinutes:
      (new Date(props.booking.ends_at).getTime() - new Date(props.booking.starts_at).getTime()) / 60_000,
  };
  const [date, setDate] = createSignal(was.start.date);
  const [time, setTime] = createSignal(was.start.time);
  const [fieldworker, setFieldworker] = createSignal(was.fieldworker);
  const [notes, setNotes] = createSignal(was.notes);
  const fields = createFieldErrors<Field>(action);

  // The form takes the place of the Edit booking button: carry focus into it.
  onMount(() => fields.focus('date'));

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    fields.clear();
    const changes: BookingChanges = {};
    if (date() !== was.start.date || time() !== was.start.time) {
      const start = startFromInputs(date(), time(), props.timeZone);
      if ('field' in start) return fields.refuse(start.field, start.message);
      changes.startsAt = start.startsAt;
      changes.endsAt = addMinutes(start.startsAt, was.lengthMinutes);
    }
    if (fieldworker() !== was.fieldworker) changes.fieldworkerId = fieldworker() || null;
    if (notes() !== was.notes) changes.notes = notes();
    if (Object.keys(changes).length === 0) {
      return fields.refuse(
        null,
        'Nothing has changed: change the time, the fieldworker or the notes, or close the form.',
      );
    }
    const checked = EditBookingInput.safeParse({
      id: props.booking.id,
      writeId: crypto.randomUUID(),
      saw: {
        startsAt: new Date(props.booking.starts_at).toISOString(),
        fieldworkerId: props.booking.fieldworker_id,
        status: props.booking.status,
      },
      changes,
    });
    if (!checked.success) {
      const issue = checked.error.issues[0];
      const key = issue?.path[1];
      const field: Field | null =
        key === 'startsAt' || key === 'endsAt'
          ? 'date'
          : key === 'fieldworkerId'
            ? 'fieldworker'
            : key === 'notes'
              ? 'notes'
              : null;
      return fields.refuse(field, issue?.message ?? 'Check the form.');
    }
    void action.run(async () => {
      await editBookingLocally(replica, props.booking.id, changes);
      props.onSaved(`Changes saved. ${SAVED_ON_DEVICE}`);
    });
  };

  return (
    <form class="stack" onSubmit={submit} noValidate aria-labelledby="edit-booking-heading">
      <h3 id="edit-booking-heading">Edit booking</h3>
      <DateTimeFields
        legend="Start"
        timeZone={props.timeZone}
        date={date()}
        time={time()}
        onDate={setDate}
        onTime={setTime}
        invalid={fields.invalid()}
        describedBy={ERROR_ID}
        dateRef={fields.ref('date')}
        timeRef={fields.ref('time')}
      />
      <FieldworkerSelect
        fieldworkers={props.fieldworkers}
        value={fieldworker()}
        onChange={setFieldworker}
        noneLabel="Not assigned"
        invalid={fields.invalid() === 'fieldworker'}
        describedBy={ERROR_ID}
        ref={fields.ref('fieldworker')}
      />
      <label>
        Notes
        <textarea
          ref={fields.ref('notes')}
          rows="4"
          maxLength={2000}
          value={notes()}
          onInput={(e) => setNotes(e.currentTarget.value)}
          aria-invalid={fields.ariaInvalid('notes')}
          aria-describedby={ERROR_ID}
        />
      </label>
      <div id={ERROR_ID}>
        <FormError message={action.error()} />
      </div>
      <div class="actions">
        <button type="button" class="secondary" onClick={() => props.onClose()}>
          Close without saving
        </button>
        <BusyButton busy={action.busy()} label="Save changes" busyLabel="Saving…" />
      </div>
    </form>
  );
}
