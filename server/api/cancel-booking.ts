// Cancelling a booking, for every caller (customer in the portal or from an email link,
// admin, fieldworker; online or replayed from an offline queue), through the one write path:
// lock the booking, decide with shared/cancel-decision.ts, write what was decided. The
// booking trigger then writes the audit event and queues the email; nothing is sent from here.
import {
  type CancelledBy,
  type Canceller,
  type CancelWrite,
  decideCancellation,
  type MeanwhileChange,
} from '../../shared/cancel-decision.ts';
import { cancelRejection } from '../../shared/outcomes.ts';
import type { Channel } from '../../shared/vocabulary.ts';
import { setActor } from '../db/actor.ts';
import { loadBookingToCancel, writeCancellation } from '../db/bookings.ts';
import type { Pool } from '../db/pool.ts';
import { loadCancelPolicy } from '../db/settings.ts';
import { acceptWrite, performWrite, rejectWrite, writerOf } from './write.ts';

export interface CancelRequest {
  readonly bookingId: string;
  readonly writeId: string;
  readonly channel: Channel;
  readonly write: CancelWrite;
}

export type CancelResponse =
  | { outcome: 'cancelled'; changedMeanwhile: MeanwhileChange[] }
  | { outcome: 'already-cancelled'; cancelledBy: CancelledBy | null };

export function cancelBooking(
  pool: Pool,
  canceller: Canceller,
  request: CancelRequest,
): Promise<CancelResponse & { txid: string }> {
  const { bookingId, writeId, channel, write } = request;
  // How a customer came (session, cancel link, view link) is part of the write: a view link's
  // refusal is not the answer to the same id sent again from a cancel link.
  const via = canceller.role === 'customer' ? canceller.via : null;
  const payload = { procedure: 'cancel', by: writerOf(canceller), input: { bookingId, channel, via, write } };
  return performWrite<CancelResponse>(pool, { writeId, payload }, async (db) => {
    const booking = await loadBookingToCancel(db, bookingId, { lock: true });
    const policy = await loadCancelPolicy(db);
    if (!policy) throw new Error('business_settings has no row');
    const outcome = decideCancellation({ now: new Date(), canceller, booking, policy, write });
    switch (outcome.kind) {
      case 'rejected': {
        const { code, message } = cancelRejection(outcome.reason, outcome.fee);
        return rejectWrite(code, message);
      }
      case 'already-cancelled':
        return acceptWrite({ outcome: 'already-cancelled', cancelledBy: outcome.cancelledBy });
      case 'applied':
        await setActor(db, {
          role: canceller.role,
          userId: canceller.role === 'customer' ? null : canceller.userId,
          customerId: canceller.role === 'customer' ? canceller.customerId : null,
          channel,
          clientAt: write.clientAt,
          writeId,
        });
        await writeCancellation(db, {
          bookingId,
          canceller,
          channel,
          comment: write.comment,
          fee: outcome.fee,
          writeId,
        });
        return acceptWrite({ outcome: 'cancelled', changedMeanwhile: [...outcome.changedMeanwhile] });
    }
  });
}
