// The queue's journal: every queued write, kept in a small IndexedDB store of its own until
// the replica that holds it is on disk. A write must survive a page closed right after "saved",
// and writing the replica to disk means IDBFS looking over every file of the database and
// writing each changed one whole: 0.3–0.5 s a write (bench:admin), where one record here
// costs a few milliseconds. On opening, the leader puts back any journalled write the replica
// on disk does not have (replayJournal), before the sender starts.
//
// Its entries go once the replica on disk has them (after a write to disk, the writes that
// were in `pending_writes` when it began) or once the server has answered them.
import type { PGliteInterface } from '@electric-sql/pglite';
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { DiskWriteHooks } from '../replica/disk-flush.ts';

/** What the journal needs of a write (queue.ts journals its LocalWrite whole). */
export interface JournalledWrite {
  readonly writeId: string;
}

export interface JournalEntry<W extends JournalledWrite = JournalledWrite> {
  readonly write: W;
  readonly userId: string;
  /** When it was queued: entries are put back in this order. */
  readonly at: number;
}

interface JournalSchema extends DBSchema {
  writes: { key: string; value: JournalEntry; indexes: { at: number } };
}

export interface Journal<W extends JournalledWrite = JournalledWrite> {
  add(entry: JournalEntry<W>): Promise<void>;
  /** Oldest first. */
  entries(): Promise<JournalEntry<W>[]>;
  ids(): Promise<string[]>;
  remove(writeIds: readonly string[]): Promise<void>;
}

const opened = new Map<string, Promise<IDBPDatabase<JournalSchema>>>();

/** The journal of one replica (one user's database): `<replica name>-journal`. */
export function journalOf<W extends JournalledWrite>(replicaName: string): Journal<W> {
  const db = () => {
    let database = opened.get(replicaName);
    if (!database) {
      database = openDB<JournalSchema>(`${replicaName}-journal`, 1, {
        upgrade(upgrading) {
          upgrading.createObjectStore('writes', { keyPath: 'write.writeId' }).createIndex('at', 'at');
        },
      });
      opened.set(replicaName, database);
    }
    return database;
  };
  return {
    async add(entry) {
      // Strict: on disk when it resolves, not only handed to the operating system.
      const tx = (await db()).transaction('writes', 'readwrite', { durability: 'strict' });
      await Promise.all([tx.store.put(entry), tx.done]);
    },
    async entries() {
      return (await db()).getAllFromIndex('writes', 'at') as Promise<JournalEntry<W>[]>;
    },
    async ids() {
      return (await db()).getAllKeys('writes');
    },
    async remove(writeIds) {
      if (!writeIds.length) return;
      const tx = (await db()).transaction('writes', 'readwrite');
      await Promise.all([...writeIds.map((id) => tx.store.delete(id)), tx.done]);
    },
  };
}

/**
 * The leader's side: which entries to let go after a write of the replica to disk. Those whose
 * write was in `pending_writes` when the write to disk began, and those the server answered
 * before it began (their answer is in the replica on disk, or they were forgotten as done).
 */
export function trimJournalOnDisk(
  pg: Pick<PGliteInterface, 'query'>,
  journal: Journal,
): DiskWriteHooks<string[]> & { answered(writeIds: readonly string[]): void } {
  const answered = new Set<string>();
  return {
    answered(writeIds) {
      for (const id of writeIds) answered.add(id);
    },
    async before() {
      const journalled = await journal.ids();
      const done = [...answered];
      answered.clear();
      if (!journalled.length) return [];
      const { rows } = await pg.query<{ write_id: string }>(
        'SELECT write_id FROM pending_writes WHERE write_id = ANY($1::uuid[])',
        [journalled],
      );
      const inJournal = new Set(journalled);
      return [...rows.map((r) => r.write_id), ...done.filter((id) => inJournal.has(id))];
    },
    after: (onDisk) => journal.remove(onDisk),
  };
}
