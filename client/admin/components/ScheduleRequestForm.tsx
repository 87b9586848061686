// Scheduling one request: a start on the business's clock (the customer's wish filled in) and a
// fieldworker, then Schedule. The end follows from the service's duration. The write goes to
// the device first; the server's trigger sends the customer the confirmation email.
import { createSignal } from 'solid-js';
import { useReplica } from '../../lib/replica/context.tsx';
import { BusyButton, createAction, createFieldErrors, FormError } from '../../lib/ui/form.tsx';
import { editBookingLocally } from '../../lib/writes/booking-writes.ts';
import { zonedInputs } from '../../lib/zoned-time.ts';
import { addMinutes, startFromInputs } from '../format.ts';
import type { FieldworkerRow, RequestRow } from '../queries.ts';
import { DateTimeFields } from './DateTimeFields.tsx';
import { FieldworkerSelect } from './FieldworkerSelect.tsx';

export function ScheduleRequestForm(props: {
  request: RequestRow;
  fieldworkers: readonly FieldworkerRow[];
  timeZone: string;
  /** Called once the write is on the device (the request then leaves the list). */
  onScheduled: (request: RequestRow) => void;
}) {
  const replica = useReplica();
  const action = createAction();
  // The form starts from the request as it was when it appeared; a later sync does not
  // overwrite what the person is typing.
  const wished = zonedInputs(props.request.starts_at, props.timeZone);
  const [date, setDate] = createSignal(wished.date);
  const [time, setTime] = createSignal(wished.time);
  const [fieldworker, setFieldworker] = createSignal(props.request.fieldworker_id ?? '');
  const fields = createFieldErrors<'date' | 'time' | 'fieldworker'>(action);
  const errorId = `schedule-error-${props.request.id}`;

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    fields.clear();
    const start = startFromInputs(date(), time(), props.timeZone);
    if ('field' in start) return fields.refuse(start.field, start.message);
    if (!fieldworker()) return fields.refuse('fieldworker', 'Choose who will do the job.');
    const duration =
      props.request.duration_minutes ??
      (new Date(props.request.ends_at).getTime() - new Date(props.request.starts_at).getTime()) / 60_000;
    void action.run(async () => {
      await editBookingLocally(replica, props.request.id, {
        status: 'scheduled',
        startsAt: start.startsAt,
        endsAt: addMinutes(start.startsAt, duration),
        fieldworkerId: fieldworker(),
      });
      props.onScheduled(props.request);
    });
  };

  return (
    <form
      class="stack"
      onSubmit={submit}
      noValidate
      aria-label={`Schedule ${props.request.service_name ?? 'request'}`}
    >
      <DateTimeFields
        legend="Start"
        timeZone={props.timeZone}
        date={date()}
        time={time()}
        onDate={setDate}
        onTime={setTime}
        invalid={fields.invalid()}
        describedBy={errorId}
        dateRef={fields.ref('date')}
        timeRef={fields.ref('time')}
      />
      <FieldworkerSelect
        fieldworkers={props.fieldworkers}
        value={fieldworker()}
        onChange={setFieldworker}
        noneLabel="Choose a fieldworker"
        invalid={fields.invalid() === 'fieldworker'}
        describedBy={errorId}
        ref={fields.ref('fieldworker')}
      />
      <div id={errorId}>
        <FormError message={action.error()} />
      </div>
      <BusyButton busy={action.busy()} label="Schedule" busyLabel="Scheduling…" />
    </form>
  );
}
