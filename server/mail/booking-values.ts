// The placeholders a booking email fills from its booking (its links aside): one reading of a
// booking for an email, used by the emails themselves (jobs/booking-email.ts) and by a
// template's preview (preview-values.ts), so a preview shows what the email will say.
import { formatDateTime } from '../../shared/time.ts';

export function bookingDetailValues(b: {
  readonly customer_name: string | null;
  readonly starts_at: Date;
  readonly time_zone: string;
  readonly service_name: string | null;
  readonly address: string | null;
  readonly fieldworker_name: string | null;
}): Record<string, string> {
  return {
    customer_name: b.customer_name ?? '',
    booking_date: formatDateTime(b.starts_at, b.time_zone),
    service: b.service_name ?? '',
    booking_address: b.address ?? '',
    fieldworker_name: b.fieldworker_name?.split(' ')[0] ?? '',
  };
}
