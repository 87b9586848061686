// "Schedule an appointment": a request for a new booking (service, preferred date and time,
// note) that the office sees as a booking with status Requested and confirms by email.
import { createResource, createSignal, For, Show } from 'solid-js';
import { AppointmentRequest } from '../../../shared/schemas.ts';
import { createBusinessInfo } from '../../lib/business.ts';
import { api } from '../../lib/trpc.ts';
import { BusyButton, createAction, FormError } from '../../lib/ui/form.tsx';
import { ModalDialog } from '../../lib/ui/ModalDialog.tsx';

export function ScheduleDialog(props: {
  fromBookingId: string;
  token: string | undefined;
  defaultServiceId: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  returnFocusTo?: () => HTMLElement | undefined;
}) {
  const [services] = createResource(() => api.portal.services.query());
  const action = createAction();
  const [sent, setSent] = createSignal(false);
  // One write id per opening: a retry after a dropped answer does not request twice.
  const [writeId, setWriteId] = createSignal(crypto.randomUUID());
  const business = createBusinessInfo();
  const openChange = (open: boolean) => {
    if (open) {
      setSent(false);
      setWriteId(crypto.randomUUID());
      action.setError('');
    }
    props.onOpenChange(open);
  };

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const parsed = AppointmentRequest.safeParse({
      writeId: writeId(),
      fromBookingId: props.fromBookingId,
      token: props.token,
      serviceId: form.get('serviceId'),
      date: form.get('date'),
      time: form.get('time'),
      note: form.get('note') ?? '',
    });
    if (!parsed.success) return action.setError(parsed.error.issues[0]?.message ?? 'Check the form.');
    void action.run(async () => {
      await api.portal.requestAppointment.mutate(parsed.data);
      setSent(true);
    });
  };

  return (
    <ModalDialog
      title="Schedule an appointment"
      open={props.open}
      onOpenChange={openChange}
      returnFocusTo={props.returnFocusTo}
    >
      <Show
        when={!sent()}
        fallback={
          <p class="notice" role="status">
            Request sent. The office will confirm your appointment by email.
          </p>
        }
      >
        <form class="stack" onSubmit={submit} noValidate>
          <label>
            Service
            <select name="serviceId" required>
              <For each={services() ?? []}>
                {(s) => (
                  <option value={s.id} selected={s.id === props.defaultServiceId}>
                    {s.name}
                  </option>
                )}
              </For>
            </select>
          </label>
          <p id="time-zone-hint" class="muted">
            Times are in the business's time zone
            {business() ? ` (${business()?.timeZone.replace('_', ' ')})` : ''}.
          </p>
          <label>
            Preferred date
            <input name="date" type="date" required />
          </label>
          <label>
            Preferred time
            <input name="time" type="time" required step="900" aria-describedby="time-zone-hint" />
          </label>
          <label>
            Note (optional)
            <textarea name="note" rows="3" maxLength={1000} />
          </label>
          <FormError message={action.error()} />
          <BusyButton busy={action.busy()} label="Request appointment" busyLabel="Sending…" />
        </form>
      </Show>
    </ModalDialog>
  );
}
