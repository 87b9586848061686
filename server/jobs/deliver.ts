// Sends one claimed message and records the outcome in the ledger. A temporary failure
// (connection refused, 4xx, and also a wrong SMTP password or relay setting: fixable, so
// worth retrying) is thrown so graphile-worker retries with backoff; the mail server
// refusing the recipient (5xx to RCPT TO) or the last attempt is recorded as failed, for
// the admin to see.
import type { JobHelpers } from 'graphile-worker';
import type { JobDeps } from './deps.ts';
import { markError, markSent } from './ledger.ts';

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
    const { code, command, responseCode } = error as {
      code?: string;
      command?: string;
      responseCode?: number;
    };
    const refusedRecipient =
      code === 'EENVELOPE' ||
      (command?.startsWith('RCPT') === true && responseCode !== undefined && responseCode >= 500);
    const permanent = refusedRecipient;
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
