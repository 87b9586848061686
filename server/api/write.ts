// The one write path (DESIGN §3): every mutation that changes data goes through performWrite.
// In one transaction it claims the client's write id, runs the change, reads the txid and
// records the answer, so a repeat (an offline queue resending after a lost reply) gets the
// first answer and changes nothing, and the same id with another payload is refused.
//
// A change answers with a value or a rejection. A rejection is an expected outcome, not a
// failure: its changes are rolled back to a savepoint, but the claim and the answer commit,
// so a repeat is rejected the same way. An exception (a bug, the database gone, a SQLSTATE the
// trigger raised) rolls everything back, claim included, so the write can be sent again.
import { TRPCError } from '@trpc/server';
import { type ErrorCode, WRITE_ID_REUSED } from '../../shared/outcomes.ts';
import { type Pool, type PoolClient, withTransaction } from '../db/pool.ts';
import { claimWrite, hashPayload, readTxid, recordResponse } from '../db/write-claims.ts';

export interface WriteRequest {
  readonly writeId: string;
  /** What makes this write this write: the procedure, who sends it, its input without the write id. */
  readonly payload: { readonly procedure: string; readonly by: string; readonly input: unknown };
}

export interface WriteRejection {
  readonly ok: false;
  readonly code: ErrorCode;
  readonly message: string;
}
export type WriteAnswer<R> = { readonly ok: true; readonly value: R } | WriteRejection;

export const acceptWrite = <R>(value: R): WriteAnswer<R> => ({ ok: true, value });
export const rejectWrite = (code: ErrorCode, message: string): WriteRejection => ({
  ok: false,
  code,
  message,
});

/** Responses travel as JSON, and a repeat is read back from JSON: the first answer is shaped the same. */
type Stored<R> = (R & { txid: string }) | { error: { code: ErrorCode; message: string } };

export async function performWrite<R extends object>(
  pool: Pool,
  request: WriteRequest,
  change: (db: PoolClient) => Promise<WriteAnswer<R>>,
): Promise<R & { txid: string }> {
  const stored = await withTransaction(pool, async (db): Promise<Stored<R>> => {
    const payloadHash = hashPayload(request.payload);
    const prior = await claimWrite<Stored<R>>(db, request.writeId, payloadHash);
    if (prior) {
      // The claim belongs to the first payload: refuse without touching its answer.
      return prior.payloadHash === payloadHash
        ? prior.response
        : { error: { code: 'CONFLICT', message: WRITE_ID_REUSED } };
    }
    await db.query('SAVEPOINT write_change');
    const answer = await change(db);
    let response: Stored<R>;
    if (answer.ok) {
      response = JSON.parse(JSON.stringify({ ...answer.value, txid: await readTxid(db) }));
    } else {
      await db.query('ROLLBACK TO SAVEPOINT write_change');
      response = { error: { code: answer.code, message: answer.message } };
    }
    await recordResponse(db, request.writeId, response);
    return response;
  });
  if ('error' in stored) throw new TRPCError(stored.error);
  return stored;
}

/** Who sends a write, for its payload: a staff member or a customer, never a bare role. */
export function writerOf(who: { role: string; userId?: string; customerId?: string }): string {
  return who.role === 'customer' ? `customer:${who.customerId}` : `${who.role}:${who.userId}`;
}
