// Task `send_reminder_email`: runs at starts_at − reminder_hours. The trigger replaces the
// job on reschedule and removes it on cancel; the checks here catch a job already running
// when that happened (its event key is the start time it was scheduled for).
import { bookingEmailTask } from './booking-email.ts';
import type { JobDeps } from './deps.ts';

export const sendReminderEmail = (deps: JobDeps) =>
  bookingEmailTask(deps, 'reminder', {
    isStillDue: (b, eventKey) =>
      (b.status === 'scheduled' || b.status === 'confirmed') &&
      String(Math.floor(b.starts_at.getTime() / 1000)) === eventKey,
    withCancelLink: true,
  });
