// Remembers this host's job workers (table job_workers) so that a server started after one
// was killed (SIGKILL, power loss) frees the jobs that worker had locked. graphile-worker
// itself would leave them locked for hours before treating them as abandoned.
import os from 'node:os';
import { isAlive } from '../db/embedded-postgres.ts';
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../logger.ts';

/** Unlocks the jobs of this host's workers whose process is gone; returns their ids. */
export async function freeJobsOfDeadWorkers(pool: Pool, log: Logger): Promise<string[]> {
  const { rows } = await pool.query<{ worker_id: string; pid: number }>(
    'SELECT worker_id, pid FROM job_workers WHERE host = $1',
    [os.hostname()],
  );
  const dead = rows.filter((r) => r.pid !== process.pid && !isAlive(r.pid)).map((r) => r.worker_id);
  if (!dead.length) return [];
  await pool.query('SELECT graphile_worker.force_unlock_workers($1::text[])', [dead]);
  await pool.query('DELETE FROM job_workers WHERE worker_id = ANY($1)', [dead]);
  log.info(`Freed the jobs of ${dead.length} job worker(s) that stopped without shutting down.`);
  return dead;
}

export async function recordWorker(pool: Pool, workerId: string): Promise<void> {
  await pool.query(
    'INSERT INTO job_workers (worker_id, host, pid) VALUES ($1, $2, $3) ON CONFLICT (worker_id) DO NOTHING',
    [workerId, os.hostname(), process.pid],
  );
}

export async function forgetWorkers(pool: Pool, workerIds: string[]): Promise<void> {
  await pool.query('DELETE FROM job_workers WHERE worker_id = ANY($1)', [workerIds]);
}
