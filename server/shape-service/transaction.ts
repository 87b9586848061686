// A committed transaction as the replication stream delivers it, in the order of its
// operations: what the shape cache routes into shape logs.
import type { Row } from './shape-definition.ts';

/** A table as a pgoutput Relation message describes it. */
export interface RelationRef {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  readonly columns: readonly { readonly name: string; readonly typeOid: number }[];
}

export type TxnItem =
  | { readonly kind: 'insert'; readonly rel: RelationRef; readonly new: Row }
  /** `old` is the whole old row (REPLICA IDENTITY FULL); null if the table lost that setting. */
  | { readonly kind: 'update'; readonly rel: RelationRef; readonly old: Row | null; readonly new: Row }
  | { readonly kind: 'delete'; readonly rel: RelationRef; readonly old: Row }
  | { readonly kind: 'truncate'; readonly rels: readonly RelationRef[] }
  /** The table's shape as of this point in the stream (sent before its first change, and after DDL). */
  | { readonly kind: 'relation'; readonly rel: RelationRef };

export interface Txn {
  /** 32-bit transaction id, as pg_current_xact_id()::xid::text gives it. */
  readonly xid: number;
  /** LSN of the commit record: orders transactions, and is the `lsn` of their messages. */
  readonly lsn: bigint;
  readonly items: readonly TxnItem[];
}

/** What the replication stream hands the shape cache, in stream order. */
export type StreamItem =
  | { readonly kind: 'txn'; readonly txn: Txn }
  /** Every transaction that commits from now on has a commit LSN at or above `walEnd`. */
  | { readonly kind: 'keepalive'; readonly walEnd: bigint }
  /** The stream restarted from scratch (its slot was lost): every shape must be refetched. */
  | { readonly kind: 'reset' };
