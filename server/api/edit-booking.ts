// Editing a booking from the admin app (reschedule, reassign, notes, status; online, or replayed
// from an offline queue), through the one write path: lock the booking, decide with
// shared/edit-decision.ts, write only what the decision says changes. The booking trigger then
// writes the audit events ('rescheduled', 'reassigned', 'status_changed'), the fieldworkers'
// notifications, the confirmation of a scheduled request and the moved reminder.
import type { z } from 'zod';
import { decideBookingEdit, type EditMeanwhile } from '../../shared/edit-decision.ts';
import { editRejection } from '../../shared/outcomes.ts';
import type { EditBookingInput } from '../../shared/schemas.ts';
import { setActor } from '../db/actor.ts';
import { bookingReferences, loadBookingToEdit, writeBookingEdit } from '../db/bookings.ts';
import type { Pool } from '../db/pool.ts';
import { acceptWrite, performWrite, rejectWrite, writerOf } from './write.ts';

export type EditResponse =
  /** `changedMeanwhile`: what differed between what the person saw and the booking when it was applied. */
  | { outcome: 'updated'; changedMeanwhile: EditMeanwhile[] }
  /** Everything already was as the edit sets it: nothing written, no audit event. */
  | { outcome: 'unchanged' };

export function editBooking(
  pool: Pool,
  admin: { readonly userId: string },
  input: z.output<typeof EditBookingInput>,
): Promise<EditResponse & { txid: string }> {
  const { writeId, ...edit } = input;
  const payload = {
    procedure: 'bookings.update',
    by: writerOf({ role: 'admin', userId: admin.userId }),
    input: edit,
  };
  return performWrite<EditResponse>(pool, { writeId, payload }, async (db) => {
    const booking = await loadBookingToEdit(db, edit.id, { lock: true });
    const outcome = decideBookingEdit({ now: new Date(), booking, saw: edit.saw, changes: edit.changes });
    switch (outcome.kind) {
      case 'rejected': {
        const { code, message } = editRejection(outcome);
        return rejectWrite(code, message);
      }
      case 'unchanged':
        return acceptWrite({ outcome: 'unchanged' });
      case 'applied': {
        const fieldworkerId = outcome.set.fieldworkerId;
        if (fieldworkerId && !(await bookingReferences(db, { fieldworkerId })).fieldworker) {
          const { code, message } = editRejection({ reason: 'unknown_fieldworker' });
          return rejectWrite(code, message);
        }
        await setActor(db, {
          role: 'admin',
          userId: admin.userId,
          channel: 'admin_app',
          clientAt: edit.clientAt ?? null,
          writeId,
        });
        await writeBookingEdit(db, { bookingId: edit.id, set: outcome.set, writeId });
        return acceptWrite({ outcome: 'updated', changedMeanwhile: [...outcome.changedMeanwhile] });
      }
    }
  });
}
