// Idempotent writes (DESIGN §3): every change carries a client-made write id, claimed here
// in the same transaction as the change. A repeat with the same payload gets the first
// answer back; the same id with another payload is refused. server/api/write.ts is the one
// place that uses these; routers go through it.
import { createHash } from 'node:crypto';
import type { Queryable } from './queryable.ts';

export interface PriorClaim<R> {
  readonly payloadHash: string;
  readonly response: R;
}

export const hashPayload = (payload: unknown): string =>
  createHash('sha256').update(JSON.stringify(payload)).digest('hex');

/**
 * Claims the write id, or returns the earlier claim. Two concurrent requests with one write
 * id serialise on the primary key: the second waits for the first's COMMIT and sees its answer.
 */
export async function claimWrite<R>(
  db: Queryable,
  writeId: string,
  payloadHash: string,
): Promise<PriorClaim<R> | null> {
  const inserted = await db.query(
    `INSERT INTO write_claims (write_id, payload_hash, response) VALUES ($1, $2, 'null') ON CONFLICT DO NOTHING`,
    [writeId, payloadHash],
  );
  if (inserted.rowCount) return null;
  const { rows } = await db.query<{ payload_hash: string; response: R }>(
    'SELECT payload_hash, response FROM write_claims WHERE write_id = $1',
    [writeId],
  );
  const row = rows[0];
  if (!row) throw new Error(`write id ${writeId} is neither new nor claimed`);
  return { payloadHash: row.payload_hash, response: row.response };
}

/** The answer a repeat of this write id will get. */
export async function recordResponse(db: Queryable, writeId: string, response: unknown): Promise<void> {
  await db.query('UPDATE write_claims SET response = $2 WHERE write_id = $1', [
    writeId,
    JSON.stringify(response),
  ]);
}

/**
 * This transaction's id, as the shapes report it on the rows it changed (`txids` on change
 * messages): the client drops its optimistic copy when that txid arrives. Fails loudly: an
 * empty txid would leave an app waiting for ever.
 */
export async function readTxid(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ txid: string | null }>('SELECT pg_current_xact_id()::xid::text AS txid');
  const txid = rows[0]?.txid;
  if (!txid) throw new Error('pg_current_xact_id() returned no transaction id');
  return txid;
}
