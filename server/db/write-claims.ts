// Idempotent writes (DESIGN §3): every change carries a client-made write id, claimed here
// in the same transaction as the change. A repeat with the same payload gets the first
// answer back; the same id with another payload is refused by the caller.
import { createHash } from 'node:crypto';
import type pg from 'pg';

type Queryable = Pick<pg.ClientBase, 'query'>;

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
  return row ? { payloadHash: row.payload_hash, response: row.response } : null;
}

/** The answer a repeat of this write id will get. */
export async function recordResponse(db: Queryable, writeId: string, response: unknown): Promise<void> {
  await db.query('UPDATE write_claims SET response = $2 WHERE write_id = $1', [
    writeId,
    JSON.stringify(response),
  ]);
}

export const WRITE_ID_REUSED =
  'This change could not be applied because its change id was already used for a different change.';
