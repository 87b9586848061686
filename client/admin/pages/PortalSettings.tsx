// Settings › Customer Portal › Flags & Permissions: whether customers may cancel from the
// portal and their emails' links, the cutoff, whether a comment is required, the fee a late
// cancellation costs and within how many hours, and whether fieldworkers may cancel their own
// bookings. Read from the replica like every screen; saved through the server (settings.update,
// with a write id), so saving needs a connection. Offline the form says so and keeps what was
// typed until it can be saved.
import { createEffect, createSignal, For, Show } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { describeFeeRule, feeRuleOf } from '../../../shared/fees.ts';
import { BusinessSettingsUpdate } from '../../../shared/schemas.ts';
import { useReplica } from '../../lib/replica/context.tsx';
import { api } from '../../lib/trpc.ts';
import { BusyButton, createAction, createFieldErrors, FormError } from '../../lib/ui/form.tsx';
import { NeedsConnection } from '../components/NeedsConnection.tsx';
import { type PortalSettingsRow, useActiveFees, usePortalSettings } from '../queries.ts';

/** The form's fields, named as the server's settings.update names them. */
interface PortalForm {
  customerCancelEnabled: boolean;
  customerCancelCutoffHours: string;
  cancelCommentRequired: boolean;
  customerCancelFeeId: string;
  customerFeeWindowHours: string;
  fieldworkerCancelEnabled: boolean;
}
type Field = keyof PortalForm;

const fromRow = (row: PortalSettingsRow): PortalForm => ({
  customerCancelEnabled: row.customer_cancel_enabled,
  customerCancelCutoffHours: String(row.customer_cancel_cutoff_hours),
  cancelCommentRequired: row.cancel_comment_required,
  customerCancelFeeId: row.customer_cancel_fee_id ?? '',
  customerFeeWindowHours: String(row.customer_fee_window_hours),
  fieldworkerCancelEnabled: row.fieldworker_cancel_enabled,
});

/** Hours typed as whole numbers; anything else goes to the schema as text, which refuses it by name. */
const hours = (text: string): number | string => (/^\s*\d+\s*$/.test(text) ? Number(text) : text);

const FLAG_HELP_ID = 'customer-cancel-help';
const ERROR_ID = 'portal-settings-error';

export function PortalSettings() {
  const settings = usePortalSettings();
  const fees = useActiveFees();
  const replica = useReplica();
  const action = createAction();
  const fields = createFieldErrors<Field>(action);
  const { ref, ariaInvalid, refuse } = fields;
  const [saved, setSaved] = createSignal('');

  // What is typed, over what the replica holds: `typed` is empty until something is changed,
  // and a field leaves it once the synced settings say the same (the save has come back).
  const [typed, setTyped] = createStore<Partial<PortalForm>>({});
  const shown = (): PortalForm | null => {
    const row = settings.row();
    return row ? { ...fromRow(row), ...typed } : null;
  };
  createEffect(() => {
    const row = settings.row();
    if (!row) return;
    const synced = fromRow(row);
    const pending = Object.fromEntries(
      Object.entries(typed).filter(([field, value]) => synced[field as Field] !== value),
    );
    if (Object.keys(pending).length !== Object.keys(typed).length) setTyped(reconcile(pending));
  });
  const change = <F extends Field>(field: F, value: PortalForm[F]) => {
    setSaved('');
    fields.clear();
    writeId = crypto.randomUUID();
    setTyped(field, value as never);
  };
  /** One write id per set of changes saved: Save pressed again after a lost answer is the same write. */
  let writeId = crypto.randomUUID();

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    fields.clear();
    const row = settings.row();
    if (!row) return;
    const synced = fromRow(row);
    const changed = (Object.keys(typed) as Field[]).filter((f) => typed[f] !== synced[f]);
    if (!changed.length) return setSaved('Nothing has changed.');
    const input: Record<string, unknown> = { writeId };
    for (const field of changed) {
      const value = typed[field];
      input[field] =
        field === 'customerCancelCutoffHours' || field === 'customerFeeWindowHours'
          ? hours(String(value))
          : field === 'customerCancelFeeId'
            ? value || null
            : value;
    }
    const checked = BusinessSettingsUpdate.safeParse(input);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      const field = issue?.path[0];
      return refuse(
        typeof field === 'string' && field in synced ? (field as Field) : null,
        issue?.message ?? 'Check the form.',
      );
    }
    void action.run(async () => {
      await replica.callServer(() => api.settings.update.mutate(checked.data));
      writeId = crypto.randomUUID();
      setSaved('Saved. Customers and fieldworkers see the change at once.');
    });
  };

  return (
    <section aria-labelledby="portal-settings-heading">
      <p class="muted">Settings › Customer Portal</p>
      <h2 id="portal-settings-heading">Flags &amp; Permissions</h2>
      <Show when={shown()} fallback={<p role="status">Loading the settings on this device…</p>}>
        {(form) => (
          <form class="stack card" onSubmit={submit} noValidate aria-labelledby="portal-settings-heading">
            <label class="choice">
              <input
                type="checkbox"
                checked={form().customerCancelEnabled}
                onChange={(e) => change('customerCancelEnabled', e.currentTarget.checked)}
                aria-describedby={FLAG_HELP_ID}
              />
              Allow customers to cancel bookings through the customer portal and email links
            </label>
            <p id={FLAG_HELP_ID} class={form().customerCancelEnabled ? 'muted hint' : 'hint warning'}>
              {form().customerCancelEnabled
                ? 'Customers see a Cancel booking button in the portal, and emails carry a cancel link ({{cancel_link}}), within the rules below.'
                : 'Off: the portal shows no cancel button, {{cancel_link}} in emails renders nothing, and cancel links already sent cancel nothing. Customers are asked to contact you instead.'}
            </p>
            <HoursField
              label="Customers may cancel up to this many hours before the start"
              value={form().customerCancelCutoffHours}
              onInput={(v) => change('customerCancelCutoffHours', v)}
              invalid={ariaInvalid('customerCancelCutoffHours')}
              ref={ref('customerCancelCutoffHours')}
            />
            <label class="choice">
              <input
                type="checkbox"
                checked={form().cancelCommentRequired}
                onChange={(e) => change('cancelCommentRequired', e.currentTarget.checked)}
              />
              Customers must say why they cancel (a comment is required)
            </label>
            <label>
              Fee for a customer's late cancellation
              <select
                ref={ref('customerCancelFeeId')}
                value={form().customerCancelFeeId}
                onChange={(e) => change('customerCancelFeeId', e.currentTarget.value)}
                aria-invalid={ariaInvalid('customerCancelFeeId')}
                aria-describedby={ERROR_ID}
              >
                <option value="">No fee</option>
                <For each={fees.rows() ?? []}>
                  {(fee) => (
                    <option value={fee.id} selected={fee.id === form().customerCancelFeeId}>
                      {fee.name} · {describeFeeRule(feeRuleOf(fee), settings.row()?.currency ?? 'USD')}
                    </option>
                  )}
                </For>
                <Show
                  when={
                    form().customerCancelFeeId &&
                    !(fees.rows() ?? []).some((f) => f.id === form().customerCancelFeeId)
                  }
                >
                  <option value={form().customerCancelFeeId} selected>
                    A fee that is no longer active
                  </option>
                </Show>
              </select>
            </label>
            <HoursField
              label="The fee applies when a customer cancels within this many hours of the start"
              value={form().customerFeeWindowHours}
              onInput={(v) => change('customerFeeWindowHours', v)}
              invalid={ariaInvalid('customerFeeWindowHours')}
              ref={ref('customerFeeWindowHours')}
            />
            <label class="choice">
              <input
                type="checkbox"
                checked={form().fieldworkerCancelEnabled}
                onChange={(e) => change('fieldworkerCancelEnabled', e.currentTarget.checked)}
              />
              Fieldworkers may cancel their own bookings
            </label>
            <div id={ERROR_ID}>
              <NeedsConnection />
              <FormError message={action.error()} />
              <Show when={saved()}>
                <p class="notice" role="status">
                  {saved()}
                </p>
              </Show>
            </div>
            <BusyButton busy={action.busy()} label="Save" busyLabel="Saving…" />
          </form>
        )}
      </Show>
    </section>
  );
}

/** A number of whole hours (0 to 720), its refusals said in the form's error line. */
function HoursField(props: {
  label: string;
  value: string;
  onInput: (value: string) => void;
  invalid: 'true' | undefined;
  ref: (el: HTMLElement) => void;
}) {
  return (
    <label>
      {props.label}
      <input
        ref={props.ref}
        type="number"
        inputmode="numeric"
        min="0"
        max="720"
        step="1"
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        aria-invalid={props.invalid}
        aria-describedby={ERROR_ID}
      />
    </label>
  );
}
