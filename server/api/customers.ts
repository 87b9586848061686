// Customers, for admins (the admin app's Customers screen): add and edit, through the one
// write path. The app reads customers from its replica; this answers with the customer as
// saved, and the txid to wait for.
import { EMAIL_BELONGS_TO_ANOTHER } from '../../shared/outcomes.ts';
import { SaveCustomerInput } from '../../shared/schemas.ts';
import { saveCustomer } from '../db/customers.ts';
import { adminProcedure, router } from './trpc.ts';
import { acceptWrite, performWrite, rejectWrite, writerOf } from './write.ts';

export const customersRouter = router({
  save: adminProcedure.input(SaveCustomerInput).mutation(({ ctx, input }) => {
    const { writeId, ...customer } = input;
    const payload = { procedure: 'customers.save', by: writerOf(ctx.session), input: customer };
    return performWrite(ctx.pool, { writeId, payload }, async (db) => {
      const saved = await saveCustomer(db, customer);
      return saved === 'email_taken' ? rejectWrite('CONFLICT', EMAIL_BELONGS_TO_ANOTHER) : acceptWrite(saved);
    });
  }),
});
