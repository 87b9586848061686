// Settings: the office's settings, by area, each a screen of its own. Read from the replica
// like the rest of the app; saved through the server, so changing them needs a connection.
import { A } from '@solidjs/router';
import { For } from 'solid-js';

const SECTIONS = [
  {
    area: 'Business',
    screen: 'Business details',
    href: '/settings/business',
    about:
      'Name, contact details, address, time zone (how every screen and email shows times), currency and when reminders go out.',
  },
  {
    area: 'Customer Portal',
    screen: 'Flags & Permissions',
    href: '/settings/portal',
    about:
      'Whether customers may cancel online and by the link in their emails, until when, with which fee; whether fieldworkers may cancel their own bookings.',
  },
  {
    area: 'Financial Settings',
    screen: 'Tax and fees',
    href: '/settings/fees',
    about:
      'The cancellation fees the office may charge: a flat amount or a percent of the price, each with its tax rate.',
  },
  {
    area: 'Emails',
    screen: 'Email templates',
    href: '/settings/templates',
    about:
      'What the confirmation, reminder, cancellation and sign-in emails say, with a preview on a real upcoming booking.',
  },
  {
    area: 'People',
    screen: 'Staff',
    href: '/staff',
    about:
      'Who signs in to the office and fieldworker apps: invite someone, change a role, reset a password, deactivate.',
  },
  {
    area: 'Emails that did not go out',
    screen: 'Failed emails',
    href: '/emails/failed',
    about: 'Emails that could not be delivered, with why; send one again once the address is right.',
  },
] as const;

export function Settings() {
  return (
    <section aria-labelledby="settings-heading">
      <h2 id="settings-heading">Settings</h2>
      <For each={SECTIONS}>
        {(section, i) => (
          <section class="card" aria-labelledby={`settings-area-${i()}`}>
            <h3 id={`settings-area-${i()}`}>{section.area}</h3>
            <p>
              <A href={section.href}>{section.screen}</A>
            </p>
            <p class="muted">{section.about}</p>
          </section>
        )}
      </For>
    </section>
  );
}
