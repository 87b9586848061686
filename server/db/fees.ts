// Cancellation fees: created, edited and switched off by admins. A booking cancelled with a fee
// keeps the fee's name and amounts as they were (bookings.cancel_fee_*, booking_events), so
// editing or switching off a fee never changes what a past cancellation cost.
import type { SaveFeeInput } from '../../shared/schemas.ts';
import type { Queryable } from './queryable.ts';

export interface FeeRecord {
  readonly id: string;
  readonly name: string;
  readonly kind: 'flat' | 'percent';
  readonly amountMinor: number | null;
  readonly percentBp: number | null;
  readonly taxRateBp: number;
  readonly active: boolean;
}

const COLUMNS = `id, name, kind, amount_minor AS "amountMinor", percent_bp AS "percentBp",
                 tax_rate_bp AS "taxRateBp", active`;

/** Creates the fee, or changes it if its id exists; the unused amount of the other kind is cleared. */
export async function saveFee(db: Queryable, fee: Omit<SaveFeeInput, 'writeId'>): Promise<FeeRecord> {
  const { rows } = await db.query<FeeRecord>(
    `INSERT INTO fees (id, name, kind, amount_minor, percent_bp, tax_rate_bp)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind,
       amount_minor = EXCLUDED.amount_minor, percent_bp = EXCLUDED.percent_bp,
       tax_rate_bp = EXCLUDED.tax_rate_bp, updated_at = now()
     RETURNING ${COLUMNS}`,
    [
      fee.id,
      fee.name,
      fee.kind,
      fee.kind === 'flat' ? fee.amountMinor : null,
      fee.kind === 'percent' ? fee.percentBp : null,
      fee.taxRateBp,
    ],
  );
  return rows[0] as FeeRecord;
}

/** Switches a fee off or on; null when there is no such fee. */
export async function setFeeActive(db: Queryable, id: string, active: boolean): Promise<FeeRecord | null> {
  const { rows } = await db.query<FeeRecord>(
    `UPDATE fees SET active = $2, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, active],
  );
  return rows[0] ?? null;
}

/** Whether the portal's late-cancellation setting uses this fee. */
export async function isPortalFee(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM business_settings WHERE customer_cancel_fee_id = $1', [
    id,
  ]);
  return (rowCount ?? 0) > 0;
}
