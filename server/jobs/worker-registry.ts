// Remembers the ids under which job workers lock jobs (table job_workers), so that a server
// started after one was killed (SIGKILL, power loss) frees the jobs that worker had locked;
// graphile-worker itself would leave them locked for hours. A live worker holds a session
// advisory lock per id on a connection of its own: an id whose lock can be taken belongs to
// a worker that is gone, whatever host, container or pid it ran in.
import type { Pool, PoolClient } from '../db/pool.ts';
import type { Logger } from '../logger.ts';

const lockKey = `hashtext('job-worker:' || $1)`;

export interface WorkerRegistry {
  /** Records an id of this process's worker and holds its lock until `close`. */
  record(workerId: string): Promise<void>;
  close(): Promise<void>;
}

/** Unlocks the jobs of recorded workers that are gone; returns their ids. */
export async function freeJobsOfDeadWorkers(pool: Pool, log: Logger): Promise<string[]> {
  const client = await pool.connect();
  const dead: string[] = [];
  try {
    const { rows } = await client.query<{ worker_id: string }>('SELECT worker_id FROM job_workers');
    for (const { worker_id: id } of rows) {
      const taken = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${lockKey}) AS ok`, [
        id,
      ]);
      if (!taken.rows[0]?.ok) continue; // its worker is alive and holds it
      await client.query('SELECT graphile_worker.force_unlock_workers($1::text[])', [[id]]);
      await client.query('DELETE FROM job_workers WHERE worker_id = $1', [id]);
      await client.query(`SELECT pg_advisory_unlock(${lockKey})`, [id]);
      dead.push(id);
    }
  } finally {
    client.release();
  }
  if (dead.length)
    log.info(`Freed the jobs of ${dead.length} job worker(s) that stopped without shutting down.`);
  return dead;
}

export async function openWorkerRegistry(pool: Pool): Promise<WorkerRegistry> {
  const holder: PoolClient = await pool.connect();
  const ids: string[] = [];
  // Records arrive from graphile-worker's events without waiting; run them one at a time.
  let queue = Promise.resolve();
  return {
    record(workerId) {
      queue = queue
        .catch(() => {})
        .then(async () => {
          await holder.query(`SELECT pg_advisory_lock(${lockKey})`, [workerId]);
          await holder.query('INSERT INTO job_workers (worker_id) VALUES ($1) ON CONFLICT DO NOTHING', [
            workerId,
          ]);
          ids.push(workerId);
        });
      return queue;
    },
    async close() {
      await queue.catch(() => {});
      try {
        await holder.query('DELETE FROM job_workers WHERE worker_id = ANY($1)', [ids]);
        await holder.query('SELECT pg_advisory_unlock_all()');
      } finally {
        holder.release();
      }
    },
  };
}
