// Business settings: the public card the portal shows, and the full settings for admins.
import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import { BusinessSettingsUpdate } from '../../shared/schemas.ts';
import { adminProcedure, publicProcedure, router } from './trpc.ts';

const COLUMN_OF = {
  name: 'name',
  contactEmail: 'contact_email',
  contactPhone: 'contact_phone',
  timeZone: 'time_zone',
  currency: 'currency',
  customerCancelEnabled: 'customer_cancel_enabled',
  customerCancelCutoffHours: 'customer_cancel_cutoff_hours',
  cancelCommentRequired: 'cancel_comment_required',
  customerCancelFeeId: 'customer_cancel_fee_id',
  customerFeeWindowHours: 'customer_fee_window_hours',
  fieldworkerCancelEnabled: 'fieldworker_cancel_enabled',
  reminderHours: 'reminder_hours',
} as const;

const SELECT_ALL = `SELECT ${Object.entries(COLUMN_OF)
  .map(([key, column]) => `${column} AS "${key}"`)
  .join(', ')} FROM business_settings`;

const notSetUp = () =>
  new TRPCError({ code: 'PRECONDITION_FAILED', message: 'The business has not been set up yet.' });

export const settingsRouter = router({
  /** Name and contact details, for pages anyone may see. */
  publicInfo: publicProcedure.query(async ({ ctx }) => {
    const { rows } = await ctx.pool.query<{
      name: string;
      contactEmail: string;
      contactPhone: string;
      timeZone: string;
    }>(
      `SELECT name, contact_email AS "contactEmail", contact_phone AS "contactPhone", time_zone AS "timeZone"
         FROM business_settings`,
    );
    const info = rows[0];
    if (!info) throw notSetUp();
    return info;
  }),

  get: adminProcedure.query(async ({ ctx }) => {
    const { rows } = await ctx.pool.query(SELECT_ALL);
    if (!rows[0]) throw notSetUp();
    return rows[0] as Required<BusinessSettingsUpdateInput>;
  }),

  update: adminProcedure.input(BusinessSettingsUpdate).mutation(async ({ ctx, input }) => {
    const entries = Object.entries(input).filter(([, v]) => v !== undefined) as [
      keyof typeof COLUMN_OF,
      unknown,
    ][];
    if (input.customerCancelFeeId) {
      const fee = await ctx.pool.query('SELECT 1 FROM fees WHERE id = $1 AND active', [
        input.customerCancelFeeId,
      ]);
      if (!fee.rowCount)
        throw new TRPCError({ code: 'BAD_REQUEST', message: 'That fee does not exist or is inactive.' });
    }
    const sets = entries.map(([key], i) => `${COLUMN_OF[key]} = $${i + 1}`);
    // One statement: the change and the transaction id the apps wait for (DESIGN §3).
    const { rows } = await ctx.pool.query<{ txid: string }>(
      `UPDATE business_settings SET ${[...sets, 'updated_at = now()'].join(', ')}
       RETURNING pg_current_xact_id()::xid::text AS txid`,
      entries.map(([, v]) => v),
    );
    if (!rows[0]) throw notSetUp();
    const settings = (await ctx.pool.query(SELECT_ALL)).rows[0] as Required<BusinessSettingsUpdateInput>;
    return { ...settings, txid: rows[0].txid };
  }),
});

type BusinessSettingsUpdateInput = z.infer<typeof BusinessSettingsUpdate>;
