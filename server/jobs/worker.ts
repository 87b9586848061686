// The job worker (graphile-worker): in the server process by default, or alone with
// `npm run worker`. Tasks live beside this file, one per file.
import { EventEmitter } from 'node:events';
import { type Runner, run, type WorkerEvents, Logger as WorkerLogger } from 'graphile-worker';
import { ensureVapidKeys } from '../push/vapid.ts';
import type { JobDeps } from './deps.ts';
import { sendCancellationEmail } from './send-cancellation-email.ts';
import { sendConfirmationEmail } from './send-confirmation-email.ts';
import { sendPush } from './send-push.ts';
import { sendReminderEmail } from './send-reminder-email.ts';
import { sendSignInLink } from './send-sign-in-link.ts';
import { sendStaffPasswordLink } from './send-staff-password-link.ts';
import { freeJobsOfDeadWorkers, openWorkerRegistry } from './worker-registry.ts';

export interface Worker {
  readonly state: () => 'running' | 'stopping' | 'stopped';
  stop(): Promise<void>;
}

export async function startWorker(deps: JobDeps): Promise<Worker> {
  await freeJobsOfDeadWorkers(deps.pool, deps.log);
  const registry = await openWorkerRegistry(deps.pool);
  const vapid = await ensureVapidKeys(deps.pool, deps.push.vapidKeys);
  let state: 'running' | 'stopping' | 'stopped' = 'running';
  const events: WorkerEvents = new EventEmitter();
  // Jobs are locked under the pool's id or a worker's id, depending on graphile-worker's path.
  const remember = (id: string) => {
    registry.record(id).catch((e) => deps.log.error('Could not record a job worker', e));
  };
  events.on('pool:create', ({ workerPool }) => remember(workerPool.id));
  events.on('worker:create', ({ worker }) => remember(worker.workerId));
  const runner: Runner = await run({
    // Our pool: its error handler keeps a restarting Postgres from crashing the process.
    pgPool: deps.pool,
    concurrency: 4,
    noHandleSignals: true,
    pollInterval: 1000,
    events,
    logger: new WorkerLogger((scope) => (level, message) => {
      // Ctrl+C reaches Postgres too, so connections may drop while we stop: not worth an error.
      if (state !== 'running') deps.log.debug(`worker: ${message}`);
      else if (level === 'error')
        deps.log.error(`worker${scope.taskIdentifier ? ` ${scope.taskIdentifier}` : ''}: ${message}`);
      else if (level === 'warning') deps.log.warn(`worker: ${message}`);
    }),
    taskList: {
      send_sign_in_link: sendSignInLink(deps),
      send_confirmation_email: sendConfirmationEmail(deps),
      send_reminder_email: sendReminderEmail(deps),
      send_cancellation_email: sendCancellationEmail(deps),
      send_staff_password_link: sendStaffPasswordLink(deps),
      send_push: sendPush(deps, vapid),
    },
  });
  const markStopped = () => {
    state = 'stopped';
  };
  runner.promise.then(markStopped, (error) => {
    deps.log.error('The job worker stopped', error);
    markStopped();
  });
  return {
    state: () => state,
    async stop() {
      if (state !== 'running') return;
      state = 'stopping';
      await runner.stop();
      await registry.close().catch(() => {});
      state = 'stopped';
    },
  };
}
