// The queue as screens need it: how many writes wait, and which were refused (Not applied).
import { createLiveRows } from '../replica/live.ts';

export interface NotAppliedWrite {
  readonly write_id: string;
  readonly summary: string;
  readonly entity_table: string;
  readonly entity_id: string;
  readonly last_error: string | null;
  readonly created_at: string;
}

export function createQueueState() {
  // One live query for both: each one set up costs far more than reading it, and every change
  // to the queue reruns it.
  const state = createLiveRows<{ waiting: number; not_applied: NotAppliedWrite[] }>(() => ({
    sql: `SELECT count(*) FILTER (WHERE state = 'queued')::int AS waiting,
                 coalesce(json_agg(json_build_object(
                   'write_id', write_id, 'summary', summary, 'entity_table', entity_table,
                   'entity_id', entity_id, 'last_error', last_error, 'created_at', created_at
                 ) ORDER BY seq) FILTER (WHERE state = 'rejected'), '[]') AS not_applied
            FROM pending_writes`,
  }));
  const row = () => state.rows()?.[0];
  return {
    waiting: () => row()?.waiting ?? 0,
    notAppliedCount: () => row()?.not_applied.length ?? 0,
    notApplied: () => row()?.not_applied ?? [],
  };
}
