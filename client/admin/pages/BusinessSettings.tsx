// Settings › Business: the business's name, contact email and phone, address, time zone,
// currency and when reminders go out. The time zone is how every screen and email shows
// times (the screens read it from the replica, the emails from the server). Saved through
// settings.update like the other settings (components/settings-form.ts).
import { For, Show } from 'solid-js';
import { BusyButton } from '../../lib/ui/form.tsx';
import { SettingsStatus } from '../components/SettingsStatus.tsx';
import { createSettingsForm } from '../components/settings-form.ts';
import { WholeNumberField, wholeNumberInput } from '../components/WholeNumberField.tsx';
import { useBusinessDetails } from '../queries.ts';

type BusinessForm = {
  name: string;
  contactEmail: string;
  contactPhone: string;
  address: string;
  timeZone: string;
  currency: string;
  reminderHours: string;
};

const ERROR_ID = 'business-settings-error';
/** Every time zone this browser knows, by its IANA name. */
const TIME_ZONES: readonly string[] = Intl.supportedValuesOf('timeZone');

export function BusinessSettings() {
  const business = useBusinessDetails();
  const form = createSettingsForm<BusinessForm>({
    synced: () => {
      const row = business.row();
      return row
        ? {
            name: row.name,
            contactEmail: row.contact_email,
            contactPhone: row.contact_phone,
            address: row.address,
            timeZone: row.time_zone,
            currency: row.currency,
            reminderHours: String(row.reminder_hours),
          }
        : null;
    },
    toInput: (field, value) => (field === 'reminderHours' ? wholeNumberInput(String(value)) : value),
    savedMessage: 'Saved. Every screen and the next emails follow it.',
  });
  const { action, fields, said, shown, change, submit } = form;
  const { ref, ariaInvalid } = fields;
  /** The zone saved, even if this browser does not list it, stays a choice. */
  const zones = () => {
    const current = shown()?.timeZone;
    return current && !TIME_ZONES.includes(current) ? [current, ...TIME_ZONES] : TIME_ZONES;
  };
  const text = (
    field: 'name' | 'contactEmail' | 'contactPhone' | 'currency',
    label: string,
    type = 'text',
  ) => (
    <label>
      {label}
      <input
        ref={ref(field)}
        type={type}
        value={shown()?.[field] ?? ''}
        onInput={(e) => change(field, e.currentTarget.value)}
        aria-invalid={ariaInvalid(field)}
        aria-describedby={ERROR_ID}
      />
    </label>
  );

  return (
    <section aria-labelledby="business-settings-heading">
      <p class="muted">Settings</p>
      <h2 id="business-settings-heading">Business</h2>
      <Show when={shown()} fallback={<p role="status">Loading the settings on this device…</p>}>
        {(f) => (
          <form class="stack card" onSubmit={submit} noValidate aria-labelledby="business-settings-heading">
            {text('name', 'Name')}
            {text('contactEmail', 'Contact email', 'email')}
            {text('contactPhone', 'Contact phone', 'tel')}
            <label>
              Address
              <textarea
                ref={ref('address')}
                rows="3"
                value={f().address}
                onInput={(e) => change('address', e.currentTarget.value)}
                aria-invalid={ariaInvalid('address')}
                aria-describedby={ERROR_ID}
              />
            </label>
            <label>
              Time zone
              <select
                ref={ref('timeZone')}
                value={f().timeZone}
                onChange={(e) => change('timeZone', e.currentTarget.value)}
                aria-invalid={ariaInvalid('timeZone')}
                aria-describedby="time-zone-help"
              >
                <For each={zones()}>
                  {(zone) => (
                    <option value={zone} selected={zone === f().timeZone}>
                      {zone.replaceAll('_', ' ')}
                    </option>
                  )}
                </For>
              </select>
            </label>
            <p id="time-zone-help" class="hint muted">
              Every screen and email shows times in this zone.
            </p>
            {text('currency', 'Currency (three letters, like USD)')}
            <WholeNumberField
              label="Reminder emails go out this many hours before the start"
              value={f().reminderHours}
              onInput={(v) => change('reminderHours', v)}
              invalid={ariaInvalid('reminderHours')}
              ref={ref('reminderHours')}
              describedBy={ERROR_ID}
              min={1}
            />
            <SettingsStatus id={ERROR_ID} error={action.error()} said={said()} />
            <BusyButton busy={action.busy()} label="Save" busyLabel="Saving…" />
          </form>
        )}
      </Show>
    </section>
  );
}
