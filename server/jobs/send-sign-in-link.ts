// Task `send_sign_in_link`: find the customer an email belongs to, issue a fresh sign-in
// token and email it, once per request (the request id is the ledger's event key). Every
// request for a link gets this job, customer or not: the lookup happens here, out of the
// requester's sight, so the answer's timing cannot tell who is a customer. An email that
// belongs to no one gets nothing. Issuing the token here, not in the request handler, keeps
// every emailed link fresh.
import type { Task } from 'graphile-worker';
import { z } from 'zod';
import { issueLinkToken, SIGN_IN_LINK_MINUTES } from '../auth/link-tokens.ts';
import { withTransaction } from '../db/pool.ts';
import { renderEmail } from '../mail/render-email.ts';
import { deliver } from './deliver.ts';
import type { JobDeps } from './deps.ts';
import { claimMessage, recordSubject } from './ledger.ts';

const Payload = z.union([
  z.object({ email: z.string(), requestId: z.string().uuid() }),
  // A job queued by an earlier version, which looked the customer up in the request.
  z.object({ customerId: z.string().uuid(), requestId: z.string().uuid() }),
]);

export function sendSignInLink(deps: JobDeps): Task {
  return async (payload, helpers) => {
    const request = Payload.parse(payload);
    const { requestId } = request;
    const prepared = await withTransaction(deps.pool, async (db) => {
      const { rows } = await db.query<{ id: string; name: string; email: string }>(
        'email' in request
          ? 'SELECT id, name, email FROM customers WHERE lower(email) = lower($1)'
          : 'SELECT id, name, email FROM customers WHERE id = $1',
        ['email' in request ? request.email : request.customerId],
      );
      const customer = rows[0];
      if (!customer) return null; // no customer has this email (or not any more): nothing to send
      const customerId = customer.id;
      const ledgerId = await claimMessage(db, helpers.job.id, {
        bookingId: null,
        customerId,
        kind: 'sign_in',
        eventKey: requestId,
        recipient: customer.email,
      });
      if (!ledgerId) return null; // sent already, failed for good, or being sent by another run
      const token = await issueLinkToken(db, {
        purpose: 'sign_in',
        customerId,
        expiresAt: new Date(Date.now() + SIGN_IN_LINK_MINUTES * 60_000),
      });
      const link = `${deps.publicUrl}/portal/sign-in/continue?token=${token}`;
      const rendered = await renderEmail(db, 'sign_in', { customer_name: customer.name, sign_in_link: link });
      await recordSubject(db, ledgerId, rendered.subject);
      return { ledgerId, email: { to: customer.email, ...rendered } };
    });
    if (prepared) await deliver(deps, helpers, prepared.ledgerId, prepared.email);
  };
}
