// Staff, for admins (the admin app's Staff screen): invite, change role, deactivate or
// reactivate, send a password reset link; each through the one write path. The app reads
// the staff from its replica (the users shape); these answer with the member as they now are,
// and the txid to wait for. The rules live in server/db/staff.ts.
import {
  ChangeStaffRoleInput,
  InviteStaffInput,
  SendPasswordLinkInput,
  SetStaffActiveInput,
} from '../../shared/schemas.ts';
import {
  changeStaffRole,
  inviteStaff,
  isRefused,
  type Refused,
  sendPasswordResetLink,
  setStaffActive,
} from '../db/staff.ts';
import { adminProcedure, router } from './trpc.ts';
import { acceptWrite, performWrite, rejectWrite, type WriteAnswer, writerOf } from './write.ts';

/** A refusal from server/db/staff.ts as the write's rejection; anything else is accepted as it is. */
function answer<R extends { status: string }>(outcome: R | Refused): WriteAnswer<R> {
  return isRefused(outcome) ? rejectWrite(outcome.code, outcome.reason) : acceptWrite(outcome);
}

export const staffRouter = router({
  invite: adminProcedure.input(InviteStaffInput).mutation(({ ctx, input }) => {
    const { writeId, ...invite } = input;
    const payload = { procedure: 'staff.invite', by: writerOf(ctx.session), input: invite };
    return performWrite(ctx.pool, { writeId, payload }, async (db) => answer(await inviteStaff(db, invite)));
  }),

  changeRole: adminProcedure.input(ChangeStaffRoleInput).mutation(({ ctx, input }) => {
    const { writeId, id, role } = input;
    const payload = { procedure: 'staff.changeRole', by: writerOf(ctx.session), input: { id, role } };
    return performWrite(ctx.pool, { writeId, payload }, async (db) =>
      answer(await changeStaffRole(db, { id, role, by: ctx.session.userId })),
    );
  }),

  setActive: adminProcedure.input(SetStaffActiveInput).mutation(({ ctx, input }) => {
    const { writeId, id, active } = input;
    const payload = { procedure: 'staff.setActive', by: writerOf(ctx.session), input: { id, active } };
    return performWrite(ctx.pool, { writeId, payload }, async (db) =>
      answer(await setStaffActive(db, { id, active, by: ctx.session.userId })),
    );
  }),

  sendPasswordLink: adminProcedure.input(SendPasswordLinkInput).mutation(({ ctx, input }) => {
    const { writeId, id } = input;
    const payload = { procedure: 'staff.sendPasswordLink', by: writerOf(ctx.session), input: { id } };
    return performWrite(ctx.pool, { writeId, payload }, async (db) =>
      answer(await sendPasswordResetLink(db, id)),
    );
  }),
});
