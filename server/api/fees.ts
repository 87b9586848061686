// Cancellation fees, for admins (Settings › Financial Settings › Tax and fees): create, edit,
// switch off and on again, each through the one write path. The apps read fees from their
// replica; these answer with the fee as it now is, and the txid to wait for.
import { SaveFeeInput, SetFeeActiveInput } from '../../shared/schemas.ts';
import { isPortalFee, saveFee, setFeeActive } from '../db/fees.ts';
import { adminProcedure, router } from './trpc.ts';
import { acceptWrite, performWrite, rejectWrite, writerOf } from './write.ts';

export const feesRouter = router({
  save: adminProcedure.input(SaveFeeInput).mutation(({ ctx, input }) => {
    const { writeId, ...fee } = input;
    const payload = { procedure: 'fees.save', by: writerOf(ctx.session), input: fee };
    return performWrite(ctx.pool, { writeId, payload }, async (db) => acceptWrite(await saveFee(db, fee)));
  }),

  /**
   * Switching off the fee the portal charges for late cancellations is allowed: customers'
   * late cancellations then cost nothing until another fee is chosen, and the answer says so.
   */
  setActive: adminProcedure.input(SetFeeActiveInput).mutation(({ ctx, input }) => {
    const { writeId, id, active } = input;
    const payload = { procedure: 'fees.setActive', by: writerOf(ctx.session), input: { id, active } };
    return performWrite(ctx.pool, { writeId, payload }, async (db) => {
      const fee = await setFeeActive(db, id, active);
      if (!fee) return rejectWrite('NOT_FOUND', 'That fee does not exist.');
      return acceptWrite({ fee, portalFeeOff: !active && (await isPortalFee(db, id)) });
    });
  }),
});
