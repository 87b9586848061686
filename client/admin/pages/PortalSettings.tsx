// Settings › Customer Portal › Flags & Permissions: whether customers may cancel from the
// portal and their emails' links, the cutoff, whether a comment is required, the fee a late
// cancellation costs and within how many hours, and whether fieldworkers may cancel their own
// bookings. Read from the replica like every screen; saved through the server (settings.update,
// with a write id), so saving needs a connection. Offline the form says so and keeps what was
// typed until it can be saved.
import { For, Show } from 'solid-js';
import { describeFeeRule, feeRuleOf } from '../../../shared/fees.ts';
import { BusyButton } from '../../lib/ui/form.tsx';
import { SettingsStatus } from '../components/SettingsStatus.tsx';
import { createSettingsForm } from '../components/settings-form.ts';
import { WholeNumberField, wholeNumberInput } from '../components/WholeNumberField.tsx';
import { type PortalSettingsRow, useActiveFees, usePortalSettings } from '../queries.ts';

/** The form's fields, named as the server's settings.update names them. */
type PortalForm = {
  customerCancelEnabled: boolean;
  customerCancelCutoffHours: string;
  cancelCommentRequired: boolean;
  customerCancelFeeId: string;
  customerFeeWindowHours: string;
  fieldworkerCancelEnabled: boolean;
  unseenCancelAlertMinutes: string;
};

const fromRow = (row: PortalSettingsRow): PortalForm => ({
  customerCancelEnabled: row.customer_cancel_enabled,
  customerCancelCutoffHours: String(row.customer_cancel_cutoff_hours),
  cancelCommentRequired: row.cancel_comment_required,
  customerCancelFeeId: row.customer_cancel_fee_id ?? '',
  customerFeeWindowHours: String(row.customer_fee_window_hours),
  fieldworkerCancelEnabled: row.fieldworker_cancel_enabled,
  unseenCancelAlertMinutes: String(row.unseen_cancel_alert_minutes),
});

const FLAG_HELP_ID = 'customer-cancel-help';
const ERROR_ID = 'portal-settings-error';

export function PortalSettings() {
  const settings = usePortalSettings();
  const fees = useActiveFees();
  const form = createSettingsForm<PortalForm>({
    synced: () => {
      const row = settings.row();
      return row ? fromRow(row) : null;
    },
    toInput: (field, value) =>
      field === 'customerCancelCutoffHours' ||
      field === 'customerFeeWindowHours' ||
      field === 'unseenCancelAlertMinutes'
        ? wholeNumberInput(String(value))
        : field === 'customerCancelFeeId'
          ? value || null
          : value,
    savedMessage: 'Saved. Customers and fieldworkers see the change at once.',
  });
  const { action, fields, said: saved, shown, change, submit } = form;
  const { ref, ariaInvalid } = fields;

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
            <WholeNumberField
              label="Customers may cancel up to this many hours before the start"
              value={form().customerCancelCutoffHours}
              onInput={(v) => change('customerCancelCutoffHours', v)}
              invalid={ariaInvalid('customerCancelCutoffHours')}
              ref={ref('customerCancelCutoffHours')}
              describedBy={ERROR_ID}
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
            <WholeNumberField
              label="The fee applies when a customer cancels within this many hours of the start"
              value={form().customerFeeWindowHours}
              onInput={(v) => change('customerFeeWindowHours', v)}
              invalid={ariaInvalid('customerFeeWindowHours')}
              ref={ref('customerFeeWindowHours')}
              describedBy={ERROR_ID}
            />
            <label class="choice">
              <input
                type="checkbox"
                checked={form().fieldworkerCancelEnabled}
                onChange={(e) => change('fieldworkerCancelEnabled', e.currentTarget.checked)}
              />
              Fieldworkers may cancel their own bookings
            </label>
            <WholeNumberField
              label="Warn the office when a fieldworker has not seen a cancellation of a job starting within 24 hours after this many minutes"
              value={form().unseenCancelAlertMinutes}
              onInput={(v) => change('unseenCancelAlertMinutes', v)}
              invalid={ariaInvalid('unseenCancelAlertMinutes')}
              ref={ref('unseenCancelAlertMinutes')}
              describedBy={ERROR_ID}
              min={1}
              max={1440}
            />
            <SettingsStatus id={ERROR_ID} error={action.error()} said={saved()} />
            <BusyButton busy={action.busy()} label="Save" busyLabel="Saving…" />
          </form>
        )}
      </Show>
    </section>
  );
}
