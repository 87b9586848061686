// The job worker (graphile-worker): in the server process by default, or alone with
// `npm run worker`. Tasks live beside this file, one per file.
import { type Runner, run, Logger as WorkerLogger } from 'graphile-worker';
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../logger.ts';
import type { Mailer } from '../mail/transport.ts';
import { sendSignInLink } from './send-sign-in-link.ts';

export interface JobDeps {
  readonly pool: Pool;
  readonly mailer: Mailer;
  readonly publicUrl: string;
  readonly log: Logger;
}

export interface Worker {
  readonly state: () => 'running' | 'stopping' | 'stopped';
  stop(): Promise<void>;
}

export async function startWorker(deps: JobDeps): Promise<Worker> {
  let state: 'running' | 'stopping' | 'stopped' = 'running';
  const runner: Runner = await run({
    // Our pool: its error handler keeps a restarting Postgres from crashing the process.
    pgPool: deps.pool,
    concurrency: 4,
    noHandleSignals: true,
    pollInterval: 2000,
    logger: new WorkerLogger((scope) => (level, message) => {
      // Ctrl+C reaches Postgres too, so connections may drop while we stop: not worth an error.
      if (state !== 'running') deps.log.debug(`worker: ${message}`);
      else if (level === 'error')
        deps.log.error(`worker${scope.taskIdentifier ? ` ${scope.taskIdentifier}` : ''}: ${message}`);
      else if (level === 'warning') deps.log.warn(`worker: ${message}`);
    }),
    taskList: {
      send_sign_in_link: sendSignInLink(deps),
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
      state = 'stopped';
    },
  };
}
