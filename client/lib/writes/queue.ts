// Writing through the local database: a change is one local transaction that puts the rows as
// they will look into the overlays and the write into `pending_writes`. Screens show it at once
// (the views prefer overlay rows, marked by `pending_write_id`); the leader worker's sender
// (sender.ts) takes it from there. Nothing here talks to the server.
import { SYNCED_TABLES, type SyncedTable } from '../../../shared/shape-catalog.ts';
import type { Replica } from '../replica/open-replica.ts';
import { overlayName } from '../replica/schema.ts';

export interface OverlayRow {
  /** The synced table the row belongs to (its overlay is `<table>_local`). */
  readonly table: SyncedTable;
  /** Every column of the role's view of that table, as the row will look once applied. */
  readonly row: Readonly<Record<string, unknown>>;
}

export interface LocalWrite {
  /** Made on this device (crypto.randomUUID()) before the input is validated with it. */
  readonly writeId: string;
  /** The tRPC procedure the sender calls, e.g. 'bookings.cancel'. */
  readonly procedure: string;
  /** Its input without the write id (the sender adds it). */
  readonly input: Readonly<Record<string, unknown>>;
  readonly entity: { readonly table: string; readonly id: string };
  /** A line for people: what this write does ("Cancel Deep clean on Tue 3 Dec"). */
  readonly summary: string;
  readonly overlays: readonly OverlayRow[];
}

const FLUSH_WAIT_MS = 5000;

/** Queues `write` for the signed-in user; resolves with its write id once it is on the device. */
export async function queueWrite(replica: Replica, write: LocalWrite): Promise<string> {
  const { writeId } = write;
  const run = () =>
    replica.transaction(async (tx) => {
      for (const { table, row } of write.overlays) {
        const columns = [...Object.keys(row), 'pending_write_id'];
        const values = [...Object.values(row).map(toSqlValue), writeId];
        const updates = columns.map((c) => `${c} = EXCLUDED.${c}`).join(', ');
        await tx.query(
          `INSERT INTO ${overlayName(table)} (${columns.join(', ')})
           VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})
           ON CONFLICT (${SYNCED_TABLES[table].primaryKey.join(', ')}) DO UPDATE SET ${updates}`,
          values,
        );
      }
      await tx.query(
        `INSERT INTO pending_writes (write_id, user_id, procedure, input, entity_table, entity_id, summary)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          writeId,
          replica.meta.userId,
          write.procedure,
          JSON.stringify(write.input),
          write.entity.table,
          write.entity.id,
          write.summary,
        ],
      );
    });
  try {
    await run();
    // The leader writes it to disk and sends it (replica.worker.ts). Wait for the disk, so a
    // page closed right after "saved" keeps it; if the leader is slow to say so, it is still queued.
    await replica.ask({ type: 'queued' }, 'flushed', FLUSH_WAIT_MS).catch(() => undefined);
  } catch (error) {
    // A retry after a failover may find the first attempt did commit: the write is queued.
    const rows = await replica
      .query<{ n: number }>('SELECT count(*)::int AS n FROM pending_writes WHERE write_id = $1', [writeId])
      .catch(() => [{ n: 0 }]);
    if (rows[0]?.n !== 1) throw error;
  }
  return writeId;
}

/** The person dismissed a Not applied write. */
export async function dismissRejectedWrite(replica: Replica, writeId: string): Promise<void> {
  await replica.query("DELETE FROM pending_writes WHERE write_id = $1 AND state = 'rejected'", [writeId]);
}

const toSqlValue = (value: unknown) =>
  value instanceof Date
    ? value.toISOString()
    : value !== null && typeof value === 'object'
      ? JSON.stringify(value)
      : value;
