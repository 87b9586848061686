// Business settings: the public card the portal shows, and the full settings for admins.
import { TRPCError } from '@trpc/server';
import { BusinessSettingsUpdate } from '../../shared/schemas.ts';
import { isActiveFee, readPublicInfo, readSettings, updateSettings } from '../db/settings.ts';
import { adminProcedure, publicProcedure, router } from './trpc.ts';
import { acceptWrite, performWrite, rejectWrite, writerOf } from './write.ts';

const NOT_SET_UP = 'The business has not been set up yet.';
const notSetUp = () => new TRPCError({ code: 'PRECONDITION_FAILED', message: NOT_SET_UP });

export const settingsRouter = router({
  /** Name and contact details, for pages anyone may see. */
  publicInfo: publicProcedure.query(async ({ ctx }) => {
    const info = await readPublicInfo(ctx.pool);
    if (!info) throw notSetUp();
    return info;
  }),

  get: adminProcedure.query(async ({ ctx }) => {
    const settings = await readSettings(ctx.pool);
    if (!settings) throw notSetUp();
    return settings;
  }),

  /** A partial update; answers with all the settings as they are now, and the txid to wait for. */
  update: adminProcedure.input(BusinessSettingsUpdate).mutation(({ ctx, input }) => {
    const { writeId, ...changes } = input;
    const payload = { procedure: 'settings.update', by: writerOf(ctx.session), input: changes };
    return performWrite(ctx.pool, { writeId, payload }, async (db) => {
      if (changes.customerCancelFeeId && !(await isActiveFee(db, changes.customerCancelFeeId))) {
        return rejectWrite('BAD_REQUEST', 'That fee does not exist or is inactive.');
      }
      if (!(await updateSettings(db, changes))) return rejectWrite('PRECONDITION_FAILED', NOT_SET_UP);
      const settings = await readSettings(db);
      if (!settings) throw new Error('business_settings lost its row mid-transaction');
      return acceptWrite(settings);
    });
  }),
});
