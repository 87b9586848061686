// Enqueue a job from Node, through the same SQL function the triggers use, so a job is
// added in the caller's transaction when it passes one.
import type { Queryable } from '../db/queryable.ts';

export async function addJob(
  db: Queryable,
  task: string,
  payload: Record<string, unknown>,
  options: { jobKey?: string; runAt?: Date; maxAttempts?: number } = {},
): Promise<void> {
  await db.query(
    `SELECT graphile_worker.add_job($1, $2::json, job_key := $3, run_at := $4, max_attempts := $5)`,
    [task, JSON.stringify(payload), options.jobKey ?? null, options.runAt ?? null, options.maxAttempts ?? 25],
  );
}
