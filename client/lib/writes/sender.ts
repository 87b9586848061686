// The write sender: runs in the replica's leader worker only, so one device sends each queued
// write from one place. It sends `pending_writes` in order, each with its write id; the
// server's write claim answers a repeat with the first answer, so a crash between sending and
// recording the answer costs nothing but a resend.
//
// Writes go in batches, one request each (nextBatch): consecutive writes to different records,
// which the server may apply in any order, so a batch changes nothing about the order that
// matters. A write to a record already in the batch, and any write after a create, waits for
// the next batch. (bench:admin: replaying 191 cancellations one request each took 2.8× the
// server's own time; most of it was settling each answer locally, which now happens per batch.)
//
// What an answer does to the queue:
//   applied (a change)        state 'applied' with its txid; the overlay row goes when the synced
//                             row with that write id (or a change with that txid) arrives;
//   applied, nothing changed  ('already-cancelled', 'unchanged') the overlay goes now;
//   refused                   the overlay goes now, the write stays as Not applied with the
//                             server's sentence until the person dismisses it;
//   401                       hold the queue until someone signs in again ('resume');
//   unreachable, 5xx, 429     hold the queue and retry with backoff; nothing is lost.
import type { PGliteInterface } from '@electric-sql/pglite';
import { createTRPCUntypedClient, httpBatchLink, TRPCClientError } from '@trpc/client';

export interface QueuedWrite {
  readonly write_id: string;
  readonly procedure: string;
  readonly input: Record<string, unknown>;
  /** The record it changes: two writes to one record never share a batch. */
  readonly entity_table: string;
  readonly entity_id: string;
}

/** Writes per request: enough to share the settling, few enough that a slow one is not a long wait. */
const BATCH_SIZE = 10;

export type SenderState = 'idle' | 'sending' | 'waiting-for-network' | 'session-expired';

/** tRPC codes that mean "the server looked at this write and refused it": retrying will not help. */
const REFUSALS = new Set([
  'BAD_REQUEST',
  'CONFLICT',
  'NOT_FOUND',
  'FORBIDDEN',
  'PRECONDITION_FAILED',
  'UNPROCESSABLE_CONTENT',
  'PAYLOAD_TOO_LARGE',
]);
/** Answers that say the write was taken but changed nothing: no synced row will carry its id. */
const NOTHING_CHANGED = new Set(['already-cancelled', 'unchanged']);
const SEND_TIMEOUT_MS = 15_000;
const MAX_BACKOFF_MS = 10_000;

export interface WriteSender {
  /** Look at the queue now (a write was queued, the network came back, someone signed in). */
  wake(): void;
  stop(): void;
}

export function startWriteSender(
  pg: PGliteInterface,
  options: {
    readonly origin: string;
    readonly userId: string;
    readonly overlays: readonly string[];
    readonly onState: (state: SenderState) => void;
    /** Writes the database to disk and waits (the worker runs PGlite with relaxed durability). */
    readonly flush: () => Promise<void>;
    /** After writes settle (the server answered them): the queue's counts changed. */
    readonly onSettled: (writeIds: string[]) => void;
  },
): WriteSender {
  const api = createTRPCUntypedClient({
    links: [
      httpBatchLink({
        url: `${options.origin}/api/trpc`,
        maxItems: BATCH_SIZE,
        fetch: (url, init) =>
          fetch(url, { ...(init as RequestInit), signal: AbortSignal.timeout(SEND_TIMEOUT_MS) }),
      }),
    ],
  });
  let stopped = false;
  let running = false;
  let wakeAgain = false;
  let holdForSignIn = false;
  let backoff = 0;
  let settledSinceFlush = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const setState = (state: SenderState) => options.onState(state);

  async function nextBatch(): Promise<QueuedWrite[]> {
    const { rows } = await pg.query<QueuedWrite>(
      `SELECT write_id, procedure, input, entity_table, entity_id FROM pending_writes
        WHERE state = 'queued' AND user_id = $1 ORDER BY seq LIMIT $2`,
      [options.userId, BATCH_SIZE],
    );
    return batchOf(rows);
  }

  async function dropOverlays(writeId: string, tx: Pick<PGliteInterface, 'query'>) {
    for (const overlay of options.overlays)
      await tx.query(`DELETE FROM ${overlay} WHERE pending_write_id = $1`, [writeId]);
  }

  /** Records the server's answers to a batch's writes, in one local transaction. */
  async function settle(answered: readonly { write: QueuedWrite; outcome: Settled }[]) {
    if (!answered.length) return;
    await pg.transaction(async (tx) => {
      for (const { write, outcome } of answered) {
        if (outcome.kind === 'applied') {
          const answer = outcome.answer as { outcome?: string; txid?: string };
          if (NOTHING_CHANGED.has(answer.outcome ?? '')) await dropOverlays(write.write_id, tx);
          await tx.query(
            `UPDATE pending_writes SET state = 'applied', answer = $2, txid = $3, attempts = attempts + 1
              WHERE write_id = $1`,
            [write.write_id, JSON.stringify(outcome.answer), answer.txid ?? null],
          );
        } else {
          await dropOverlays(write.write_id, tx);
          await tx.query(
            `UPDATE pending_writes SET state = 'rejected', last_error = $2, attempts = attempts + 1
              WHERE write_id = $1`,
            [write.write_id, outcome.message],
          );
        }
      }
    });
    await forgetSettledWrites(pg, options.overlays);
    options.onSettled(answered.map((a) => a.write.write_id));
  }

  async function drain() {
    if (running || stopped) {
      wakeAgain = true;
      return;
    }
    running = true;
    try {
      do {
        wakeAgain = false;
        for (
          let batch = await nextBatch();
          batch.length && !stopped && !holdForSignIn;
          batch = await nextBatch()
        ) {
          setState('sending');
          const sent = await Promise.all(
            batch.map(async (write) => ({ write, outcome: await send(api, write) })),
          );
          const answered = sent.filter((s): s is { write: QueuedWrite; outcome: Settled } =>
            isSettled(s.outcome),
          );
          await settle(answered);
          if (answered.length) settledSinceFlush = true;
          const held = sent.filter((s): s is { write: QueuedWrite; outcome: Held } => !isSettled(s.outcome));
          const outcome = held.find((h) => h.outcome.kind === 'sign-in')?.outcome ?? held[0]?.outcome;
          if (outcome) {
            for (const { write, outcome } of held) {
              await pg.query(
                'UPDATE pending_writes SET attempts = attempts + 1, last_error = $2 WHERE write_id = $1',
                [write.write_id, outcome.message],
              );
            }
            if (outcome.kind === 'sign-in') {
              holdForSignIn = true;
              setState('session-expired');
            } else {
              backoff = Math.min(MAX_BACKOFF_MS, backoff ? backoff * 2 : 500);
              setState('waiting-for-network');
              clearTimeout(retryTimer);
              retryTimer = setTimeout(() => void drain(), backoff);
            }
            return;
          }
          backoff = 0;
        }
      } while (wakeAgain && !stopped && !holdForSignIn);
      if (!holdForSignIn) setState('idle');
    } catch (error) {
      // The database itself failed (closing, a failover): try again shortly, nothing is lost.
      console.error('The write sender stopped on an error; retrying', error);
      clearTimeout(retryTimer);
      retryTimer = setTimeout(() => void drain(), 1000);
    } finally {
      // Settled writes go to disk once per run of the queue, not once each (each flush writes
      // the database's changed files). A crash before it costs only resends, which the server's
      // write claim answers with the first answer.
      running = false;
      if (settledSinceFlush) {
        settledSinceFlush = false;
        void options.flush();
      }
    }
  }

  return {
    wake() {
      holdForSignIn = false;
      backoff = 0;
      clearTimeout(retryTimer);
      void drain();
    },
    stop() {
      stopped = true;
      clearTimeout(retryTimer);
    },
  };
}

/**
 * The first writes of the queue that may be sent together: the server may apply them in any
 * order, so none of them is to a record another one changes, and nothing follows a create (a
 * booking for a new customer, say, needs the customer first).
 */
export function batchOf<W extends Pick<QueuedWrite, 'procedure' | 'entity_table' | 'entity_id'>>(
  queued: readonly W[],
): W[] {
  const batch: W[] = [];
  const records = new Set<string>();
  for (const write of queued) {
    const record = `${write.entity_table}:${write.entity_id}`;
    if (records.has(record)) break;
    records.add(record);
    batch.push(write);
    if (write.procedure.endsWith('.create')) break;
  }
  return batch;
}

type Settled = { kind: 'applied'; answer: unknown } | { kind: 'refused'; message: string };
/** Not answered: the queue holds, for the network or for a sign-in. */
type Held = { kind: 'retry' | 'sign-in'; message: string };
type SendOutcome = Settled | Held;
const isSettled = (outcome: SendOutcome): outcome is Settled =>
  outcome.kind === 'applied' || outcome.kind === 'refused';

async function send(
  api: ReturnType<typeof createTRPCUntypedClient>,
  write: QueuedWrite,
): Promise<SendOutcome> {
  try {
    const answer = await api.mutation(write.procedure, { ...write.input, writeId: write.write_id });
    return { kind: 'applied', answer };
  } catch (error) {
    if (error instanceof TRPCClientError) {
      const code = (error.data as { code?: string } | undefined)?.code;
      if (code === 'UNAUTHORIZED') return { kind: 'sign-in', message: error.message };
      if (code && REFUSALS.has(code)) return { kind: 'refused', message: error.message };
      if (code) return { kind: 'retry', message: error.message };
    }
    return { kind: 'retry', message: 'The server could not be reached.' };
  }
}

/**
 * Applied writes whose overlay rows are all gone have nothing left to show: forget them.
 * Also called after the shape sync applies changes (the overlay triggers may have fired).
 */
export async function forgetSettledWrites(
  pg: Pick<PGliteInterface, 'query'>,
  overlays: readonly string[],
): Promise<void> {
  // Look before deleting: a DELETE, even of nothing, wakes every live query on these tables.
  const { rows } = await pg.query("SELECT 1 FROM pending_writes WHERE state = 'applied' LIMIT 1");
  if (!rows.length) return;
  const stillShown = overlays
    .map((o) => `NOT EXISTS (SELECT 1 FROM ${o} WHERE pending_write_id = p.write_id)`)
    .join(' AND ');
  await pg.query(`DELETE FROM pending_writes p WHERE state = 'applied' AND ${stillShown}`);
}

/** A synced change carrying one of these txids settles the applied write that made it. */
export async function settleByTxids(
  pg: Pick<PGliteInterface, 'query'>,
  overlays: readonly string[],
  txids: readonly string[],
): Promise<void> {
  if (!txids.length) return;
  const { rows } = await pg.query<{ write_id: string }>(
    "SELECT write_id FROM pending_writes WHERE state = 'applied' AND txid = ANY($1::text[])",
    [txids],
  );
  if (!rows.length) return;
  const settled = rows.map((r) => r.write_id);
  for (const overlay of overlays) {
    await pg.query(`DELETE FROM ${overlay} WHERE pending_write_id = ANY($1::uuid[])`, [settled]);
  }
  await forgetSettledWrites(pg, overlays);
}
