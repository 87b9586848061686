// A staff member's own notifications (the fieldworker app's list): marked read, offline too,
// through the device's queue and the one write path. Someone else's notification ids change
// nothing and say nothing: the update only touches the caller's rows.
import { MarkNotificationsReadInput } from '../../shared/schemas.ts';
import { router, staffProcedure } from './trpc.ts';
import { acceptWrite, performWrite, writerOf } from './write.ts';

export const notificationsRouter = router({
  markRead: staffProcedure.input(MarkNotificationsReadInput).mutation(({ ctx, input }) => {
    const { writeId, ids, readAt } = input;
    const payload = {
      procedure: 'notifications.markRead',
      by: writerOf(ctx.session),
      input: { ids, readAt },
    };
    return performWrite(ctx.pool, { writeId, payload }, async (db) => {
      // The device's time, but never in the future nor before the notification existed.
      const { rowCount } = await db.query(
        `UPDATE notifications SET read_at = least(greatest($3::timestamptz, created_at), now())
          WHERE user_id = $1 AND id = ANY($2) AND read_at IS NULL`,
        [ctx.session.userId, ids, readAt],
      );
      const marked = rowCount ?? 0;
      // Read already (on another device): the app drops its local copy at once, with no change to wait for.
      return acceptWrite(marked ? { marked } : { marked, outcome: 'unchanged' as const });
    });
  }),
});
