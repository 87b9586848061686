// Sends one claimed message and records the outcome in the ledger. A temporary failure
// (connection refused, 4xx) is thrown so graphile-worker retries with backoff; a permanent
// one (5xx: no such mailbox) or the last attempt is recorded as failed, for the admin to see.
import type { JobHelpers } from 'graphile-worker';
import { markError, markSent } from './ledger.ts';
import type { JobDeps } from './worker.ts';

export interface OutgoingEmail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export async function deliver(deps: JobDeps, helpers: JobHelpers, ledgerId: string, email: OutgoingEmail) {
  try {
    await deps.mailer.send({ ...email, messageId: `<${ledgerId}@${deps.mailer.domain}>` });
  } catch (error) {
    const code = (error as { responseCode?: number }).responseCode;
    const permanent = code !== undefined && code >= 500 && code < 600;
    const lastAttempt = helpers.job.attempts >= helpers.job.max_attempts;
    const message = error instanceof Error ? error.message : String(error);
    await markError(deps.pool, ledgerId, message, permanent || lastAttempt);
    if (permanent) {
      deps.log.warn(`Email ${ledgerId} to ${email.to} was refused for good: ${message}`);
      return;
    }
    throw error;
  }
  await markSent(deps.pool, ledgerId);
}
