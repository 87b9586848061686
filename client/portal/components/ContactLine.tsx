// "Call or email us": the business's contact details wherever the portal cannot help.
import { Show } from 'solid-js';
import { createBusinessInfo } from '../../lib/business.ts';

export function ContactLine(props: { lead?: string }) {
  const business = createBusinessInfo();
  return (
    <Show when={business()}>
      {(b) => (
        <p>
          {props.lead ?? 'To change or cancel it,'} call{' '}
          <a href={`tel:${b().contactPhone.replace(/\s/g, '')}`}>{b().contactPhone}</a> or email{' '}
          <a href={`mailto:${b().contactEmail}`}>{b().contactEmail}</a>.
        </p>
      )}
    </Show>
  );
}
