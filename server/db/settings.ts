// The business's one settings row: the public card, the admin's full settings, and the
// cancellation policy the cancel decision reads.
import type { CancelPolicy } from '../../shared/cancel-decision.ts';
import { feeRuleOf } from '../../shared/fees.ts';
import type { Queryable } from './queryable.ts';

/** Setting name as the API spells it → its column. */
export const SETTINGS_COLUMNS = {
  name: 'name',
  contactEmail: 'contact_email',
  contactPhone: 'contact_phone',
  address: 'address',
  timeZone: 'time_zone',
  currency: 'currency',
  customerCancelEnabled: 'customer_cancel_enabled',
  customerCancelCutoffHours: 'customer_cancel_cutoff_hours',
  cancelCommentRequired: 'cancel_comment_required',
  customerCancelFeeId: 'customer_cancel_fee_id',
  customerFeeWindowHours: 'customer_fee_window_hours',
  fieldworkerCancelEnabled: 'fieldworker_cancel_enabled',
  reminderHours: 'reminder_hours',
  unseenCancelAlertMinutes: 'unseen_cancel_alert_minutes',
} as const;
export type SettingName = keyof typeof SETTINGS_COLUMNS;

export interface BusinessSettings {
  name: string;
  contactEmail: string;
  contactPhone: string;
  address: string;
  timeZone: string;
  currency: string;
  customerCancelEnabled: boolean;
  customerCancelCutoffHours: number;
  cancelCommentRequired: boolean;
  customerCancelFeeId: string | null;
  customerFeeWindowHours: number;
  fieldworkerCancelEnabled: boolean;
  reminderHours: number;
  unseenCancelAlertMinutes: number;
}

export interface PublicBusinessInfo {
  name: string;
  contactEmail: string;
  contactPhone: string;
  timeZone: string;
}

const SELECT_ALL = `SELECT ${Object.entries(SETTINGS_COLUMNS)
  .map(([key, column]) => `${column} AS "${key}"`)
  .join(', ')} FROM business_settings`;

/** null: the business has not been set up (no settings row). */
export async function readSettings(db: Queryable): Promise<BusinessSettings | null> {
  const { rows } = await db.query<BusinessSettings>(SELECT_ALL);
  return rows[0] ?? null;
}

export async function readPublicInfo(db: Queryable): Promise<PublicBusinessInfo | null> {
  const { rows } = await db.query<PublicBusinessInfo>(
    `SELECT name, contact_email AS "contactEmail", contact_phone AS "contactPhone", time_zone AS "timeZone"
       FROM business_settings`,
  );
  return rows[0] ?? null;
}

/** Changes the named settings; false when there is no settings row to change. */
export async function updateSettings(
  db: Queryable,
  changes: Partial<Record<SettingName, unknown>>,
): Promise<boolean> {
  const entries = Object.entries(changes).filter(([, v]) => v !== undefined) as [SettingName, unknown][];
  const sets = entries.map(([key], i) => `${SETTINGS_COLUMNS[key]} = $${i + 1}`);
  const result = await db.query(
    `UPDATE business_settings SET ${[...sets, 'updated_at = now()'].join(', ')}`,
    entries.map(([, v]) => v),
  );
  return (result.rowCount ?? 0) > 0;
}

export async function isActiveFee(db: Queryable, feeId: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM fees WHERE id = $1 AND active', [feeId]);
  return (rowCount ?? 0) > 0;
}

interface PolicyRow {
  customer_cancel_enabled: boolean;
  customer_cancel_cutoff_hours: number;
  cancel_comment_required: boolean;
  fieldworker_cancel_enabled: boolean;
  customer_fee_window_hours: number;
  fee_id: string | null;
  fee_name: string | null;
  fee_kind: 'flat' | 'percent' | null;
  fee_amount_minor: number | null;
  fee_percent_bp: number | null;
  fee_tax_rate_bp: number | null;
}

/** The cancellation policy (shared/cancel-decision.ts), with the customer fee if one is active. */
export async function loadCancelPolicy(db: Queryable): Promise<CancelPolicy | null> {
  const { rows } = await db.query<PolicyRow>(
    `SELECT s.customer_cancel_enabled, s.customer_cancel_cutoff_hours, s.cancel_comment_required,
            s.fieldworker_cancel_enabled, s.customer_fee_window_hours,
            f.id AS fee_id, f.name AS fee_name, f.kind AS fee_kind, f.amount_minor AS fee_amount_minor,
            f.percent_bp AS fee_percent_bp, f.tax_rate_bp AS fee_tax_rate_bp
       FROM business_settings s
       LEFT JOIN fees f ON f.id = s.customer_cancel_fee_id AND f.active`,
  );
  const row = rows[0];
  if (!row) return null;
  return {
    customerCancelEnabled: row.customer_cancel_enabled,
    customerCancelCutoffHours: row.customer_cancel_cutoff_hours,
    customerCommentRequired: row.cancel_comment_required,
    fieldworkerCancelEnabled: row.fieldworker_cancel_enabled,
    customerFee:
      row.fee_id && row.fee_kind
        ? {
            feeId: row.fee_id,
            name: row.fee_name ?? '',
            rule: feeRuleOf({
              kind: row.fee_kind,
              amount_minor: row.fee_amount_minor,
              percent_bp: row.fee_percent_bp,
              tax_rate_bp: row.fee_tax_rate_bp,
            }),
            windowHours: row.customer_fee_window_hours,
          }
        : null,
  };
}
