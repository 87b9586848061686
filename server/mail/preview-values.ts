// What a template preview is rendered with: the soonest upcoming booking's own values (its
// customer, start in the business's zone, service, address, fieldworker), the business's, and
// samples for what only a sent email has (the comment and fee of a cancellation, a sign-in
// link). A preview issues no link token: its links show where they lead, not a working one.
import type pg from 'pg';
import { sampleValues } from '../../shared/email-placeholders.ts';

import type { EmailKind } from '../../shared/vocabulary.ts';
import { bookingDetailValues } from './booking-values.ts';

export interface PreviewValues {
  readonly values: Record<string, string>;
  /** Which booking the preview shows, in words; null when there is none upcoming (samples then). */
  readonly booking: string | null;
}

export async function previewValues(
  db: Pick<pg.ClientBase, 'query'>,
  kind: EmailKind,
): Promise<PreviewValues> {
  const { rows } = await db.query<{
    id: string | null;
    starts_at: Date | null;
    address: string | null;
    customer_name: string | null;
    service_name: string | null;
    fieldworker_name: string | null;
    business_name: string;
    business_phone: string;
    business_email: string;
    time_zone: string;
    customer_cancel_enabled: boolean;
  }>(
    `SELECT b.id, b.starts_at, b.address, c.name AS customer_name, s.name AS service_name, u.name AS fieldworker_name,
            bs.name AS business_name, bs.contact_phone AS business_phone, bs.contact_email AS business_email,
            bs.time_zone, bs.customer_cancel_enabled
       FROM business_settings bs
       LEFT JOIN LATERAL (SELECT * FROM bookings WHERE starts_at > now() AND status IN ('scheduled', 'confirmed')
                           ORDER BY starts_at, id LIMIT 1) b ON true
       LEFT JOIN customers c ON c.id = b.customer_id
       LEFT JOIN services s ON s.id = b.service_id
       LEFT JOIN users u ON u.id = b.fieldworker_id`,
  );
  const row = rows[0];
  const values = sampleValues(kind);
  if (!row) return { values, booking: null };
  Object.assign(values, {
    business_name: row.business_name,
    business_phone: row.business_phone,
    business_email: row.business_email,
  });
  if (!row.id || !row.starts_at) return { values, booking: null };
  const page = `…/portal/bookings/${row.id}?token=…`;
  const details = bookingDetailValues({ ...row, starts_at: row.starts_at });
  Object.assign(values, {
    ...details,
    view_link: page,
    // As the email would have it now: none while customers may not cancel.
    cancel_link: row.customer_cancel_enabled ? `${page}&cancel=1` : '',
  });
  return { values, booking: `${row.customer_name}’s ${row.service_name}, ${details.booking_date}` };
}
