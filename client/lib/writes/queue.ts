// Writing through the local database: a change is one local transaction that puts the rows as
// they will look into the overlays and the write into `pending_writes`. Screens show it at once
// (the views prefer overlay rows, marked by `pending_write_id`); the leader worker's sender
// (sender.ts) takes it from there. Each write is first put in the queue's journal (journal.ts),
// which keeps it safe until the replica reaches disk. Nothing here talks to the server.
import type { PGliteInterface } from '@electric-sql/pglite';
import { SYNCED_TABLES, type SyncedTable } from '../../../shared/shape-catalog.ts';
import type { Replica } from '../replica/open-replica.ts';
import { overlayName } from '../replica/schema.ts';
import { type JournalEntry, journalOf } from './journal.ts';

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

/**
 * Queues `write` for the signed-in user; resolves with its write id once it is on the device:
 * in the journal, and in the replica (where the screens see it and the sender finds it).
 */
export async function queueWrite(replica: Replica, write: LocalWrite): Promise<string> {
  const { writeId } = write;
  const journal = journalOf<LocalWrite>(replica.name);
  await journal.add({ write, userId: replica.meta.userId, at: Date.now() });
  try {
    await replica.transaction((tx) => writeLocally(tx, write, replica.meta.userId));
  } catch (error) {
    // A retry after a failover may find the first attempt did commit: the write is queued.
    const rows = await replica
      .query<{ n: number }>('SELECT count(*)::int AS n FROM pending_writes WHERE write_id = $1', [writeId])
      .catch(() => [{ n: 0 }]);
    if (rows[0]?.n !== 1) {
      await journal.remove([writeId]).catch(() => undefined);
      throw error;
    }
  }
  replica.tell({ type: 'queued' }); // the leader sends it (replica.worker.ts)
  return writeId;
}

/**
 * Puts back the journalled writes of `userId` that the replica does not have (the page closed
 * before the replica reached disk), oldest first, so they are sent in the order they were made.
 * In the leader worker, before the sender starts. Resolves with how many it put back.
 */
export async function replayJournal(
  pg: PGliteInterface,
  userId: string,
  journalled: readonly JournalEntry<LocalWrite>[],
): Promise<number> {
  const entries = journalled.filter((e) => e.userId === userId);
  if (!entries.length) return 0;
  const { rows } = await pg.query<{ write_id: string }>(
    'SELECT write_id FROM pending_writes WHERE write_id = ANY($1::uuid[])',
    [entries.map((e) => e.write.writeId)],
  );
  const known = new Set(rows.map((r) => r.write_id));
  const missing = entries.filter((e) => !known.has(e.write.writeId));
  if (missing.length) {
    await pg.transaction(async (tx) => {
      for (const { write } of missing) await writeLocally(tx, write, userId);
    });
  }
  return missing.length;
}

/** The one local transaction of a write: its rows into the overlays, itself into the queue. */
async function writeLocally(tx: Pick<PGliteInterface, 'query'>, write: LocalWrite, userId: string) {
  for (const { table, row } of write.overlays) {
    const columns = [...Object.keys(row), 'pending_write_id'];
    const values = [...Object.values(row).map(toSqlValue), write.writeId];
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
      write.writeId,
      userId,
      write.procedure,
      JSON.stringify(write.input),
      write.entity.table,
      write.entity.id,
      write.summary,
    ],
  );
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
