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
  const counts = createLiveRows<{ waiting: number; not_applied: number }>(() => ({
    sql: `SELECT count(*) FILTER (WHERE state = 'queued')::int AS waiting,
                 count(*) FILTER (WHERE state = 'rejected')::int AS not_applied
            FROM pending_writes`,
  }));
  const notApplied = createLiveRows<NotAppliedWrite>(() => ({
    sql: `SELECT write_id, summary, entity_table, entity_id, last_error, created_at
            FROM pending_writes WHERE state = 'rejected' ORDER BY seq`,
  }));
  return {
    waiting: () => counts.rows()?.[0]?.waiting ?? 0,
    notAppliedCount: () => counts.rows()?.[0]?.not_applied ?? 0,
    notApplied: () => notApplied.rows() ?? [],
  };
}
