// Task `send_sign_in_link`: issue a fresh sign-in token for the customer and email it.
// Issuing the token here, not in the request, keeps every emailed link fresh.
import type { Task } from 'graphile-worker';
import { z } from 'zod';
import { issueLinkToken, SIGN_IN_LINK_MINUTES } from '../auth/link-tokens.ts';
import { withTransaction } from '../db/pool.ts';
import { renderEmail } from '../mail/render-email.ts';
import type { JobDeps } from './worker.ts';

const Payload = z.object({ customerId: z.string().uuid() });

export function sendSignInLink(deps: JobDeps): Task {
  return async (payload) => {
    const { customerId } = Payload.parse(payload);
    const email = await withTransaction(deps.pool, async (db) => {
      const { rows } = await db.query<{ name: string; email: string }>(
        'SELECT name, email FROM customers WHERE id = $1',
        [customerId],
      );
      const customer = rows[0];
      if (!customer) return null; // deleted since: nothing to send
      const token = await issueLinkToken(db, {
        purpose: 'sign_in',
        customerId,
        expiresAt: new Date(Date.now() + SIGN_IN_LINK_MINUTES * 60_000),
      });
      const link = `${deps.publicUrl}/portal/sign-in/continue?token=${token}`;
      const rendered = await renderEmail(db, 'sign_in', { customer_name: customer.name, sign_in_link: link });
      return { to: customer.email, ...rendered };
    });
    if (email) await deps.mailer.send(email);
  };
}
