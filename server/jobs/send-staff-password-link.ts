// Task `send_staff_password_link`: the invitation or password reset link a staff member was
// sent from the admin app's Staff screen (queued by server/db/staff.ts), once per request (the
// request id is the ledger's event key). The link is issued here, when the email is made, and
// replaces any link sent before, so only the newest email's link works. An account deactivated
// meanwhile gets nothing.
import type { Task } from 'graphile-worker';
import { z } from 'zod';
import { STAFF_EMAIL_KINDS, type StaffRole } from '../../shared/vocabulary.ts';
import { issuePasswordLink, SET_PASSWORD_PATH } from '../auth/staff-accounts.ts';
import { withTransaction } from '../db/pool.ts';
import { renderStaffEmail } from '../mail/staff-emails.ts';
import { deliver } from './deliver.ts';
import type { JobDeps } from './deps.ts';
import { claimMessage, recordSubject } from './ledger.ts';

const Payload = z.object({
  userId: z.string().uuid(),
  kind: z.enum(STAFF_EMAIL_KINDS),
  requestId: z.string().uuid(),
});
export type StaffPasswordLinkJob = z.infer<typeof Payload>;

export function sendStaffPasswordLink(deps: JobDeps): Task {
  return async (payload, helpers) => {
    const { userId, kind, requestId } = Payload.parse(payload);
    const prepared = await withTransaction(deps.pool, async (db) => {
      const { rows } = await db.query<{
        name: string;
        email: string;
        role: StaffRole;
        business_name: string;
      }>(
        `SELECT u.name, u.email, u.role, b.name AS business_name
           FROM users u CROSS JOIN business_settings b WHERE u.id = $1 AND u.active`,
        [userId],
      );
      const member = rows[0];
      if (!member) return null; // deactivated (or gone) since: no link
      const ledgerId = await claimMessage(db, helpers.job.id, {
        bookingId: null,
        customerId: null,
        kind,
        eventKey: requestId,
        recipient: member.email,
      });
      if (!ledgerId) return null; // sent already, failed for good, or being sent by another run
      const { token } = await issuePasswordLink(db, userId);
      const rendered = renderStaffEmail(kind, {
        name: member.name,
        email: member.email,
        role: member.role,
        businessName: member.business_name,
        link: `${deps.publicUrl}${SET_PASSWORD_PATH}?token=${token}`,
      });
      await recordSubject(db, ledgerId, rendered.subject);
      return { ledgerId, email: { to: member.email, ...rendered } };
    });
    if (prepared) await deliver(deps, helpers, prepared.ledgerId, prepared.email);
  };
}
